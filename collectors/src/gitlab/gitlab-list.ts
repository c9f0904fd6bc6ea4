import { classify, type ListCursor, type Stamped } from '../github/watermark.js';
import type { GitlabClient } from './gitlab.client.js';

export type NewerItems<T> =
  { notModified: true } | { notModified: false; items: T[]; etag?: string };

/** Reads a newest-first list down to the cursor's watermark; a 304 on the first page reads nothing. */
export async function readNewer<T>(
  client: GitlabClient,
  url: string,
  cursor: ListCursor | undefined,
  stamp: (item: T) => Stamped,
): Promise<NewerItems<T>> {
  const items: T[] = [];
  let etag: string | undefined;
  const pages = client.pages<T>(url, cursor?.etag);
  for (;;) {
    const page = await pages.next();
    if (page.done) {
      if (page.value.notModified) return { notModified: true };
      break;
    }
    if (page.value.first) etag = page.value.etag;
    let stopped = false;
    for (const item of page.value.items) {
      const verdict = classify(cursor, stamp(item));
      if (verdict === 'stop') {
        stopped = true;
        break;
      }
      if (verdict === 'take') items.push(item);
    }
    if (stopped) {
      await pages.return({ notModified: false });
      break;
    }
  }
  return { notModified: false, items, etag };
}
