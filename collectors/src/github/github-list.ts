import type { GithubClient } from './github.client.js';
import { classify, type ListCursor, type Stamped } from './watermark.js';

export type NewerItems<T> =
  | { notModified: true }
  | { notModified: false; items: T[]; etag?: string; /** stopped at maxPages */ more?: boolean };

/** Reads a newest-first list down to the cursor's watermark; a 304 on the first page reads nothing. */
export async function readNewer<T>(
  client: GithubClient,
  url: string,
  cursor: ListCursor | undefined,
  stamp: (item: T) => Stamped,
  extract?: (data: unknown) => T[],
  maxPages = Infinity,
): Promise<NewerItems<T>> {
  const items: T[] = [];
  let etag: string | undefined;
  let read = 0;
  const pages = client.pages<T>(url, cursor?.etag, extract);
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
    if (++read >= maxPages) {
      await pages.return({ notModified: false });
      return { notModified: false, items, etag, more: true };
    }
  }
  return { notModified: false, items, etag };
}

/** Every page of a list (no watermark), e.g. a PR's commits or a compare's commits. */
export async function readAll<T>(
  client: GithubClient,
  url: string,
  extract?: (data: unknown) => T[],
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of client.pages<T>(url, undefined, extract)) items.push(...page.items);
  return items;
}

/**
 * The ETag of a list's first page, when that page holds nothing newer than the cursor (so a 304 on
 * it later truly means nothing new); undefined otherwise.
 */
export async function learnEtag<T>(
  client: GithubClient,
  url: string,
  cursor: ListCursor | undefined,
  stamp: (item: T) => Stamped,
  extract: (data: unknown) => T[] = (data) => data as T[],
): Promise<string | undefined> {
  const page = await client.get<unknown>(url);
  if (page.notModified) return undefined;
  const items = extract(page.data);
  if (!Array.isArray(items)) return undefined;
  return items.every((item) => classify(cursor, stamp(item)) !== 'take') ? page.etag : undefined;
}
