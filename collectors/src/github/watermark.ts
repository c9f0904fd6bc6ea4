// The incremental scan every code host's list shares (GitHub's and GitLab's): read newest first
// down to the watermark, then process oldest first, so the cursor committed with each chunk is
// itself a watermark. A crash between chunks resumes exactly after the last committed item: no
// gap, no duplicate.

export interface ListCursor {
  /** Time of the newest item processed (ISO). */
  watermark?: string;
  /** Keys of the items processed at exactly the watermark (ties in one second). */
  keys?: string[];
  /** ETag of the list's first page, kept only once the whole list was processed. */
  etag?: string;
}

export interface Stamped {
  time: string;
  key: string;
}

/** Whether the newest-first read must stop at this item, skip it (done before), or take it. */
export function classify(cursor: ListCursor | undefined, item: Stamped): 'stop' | 'skip' | 'take' {
  if (!cursor?.watermark) return 'take';
  const time = Date.parse(item.time);
  const watermark = Date.parse(cursor.watermark);
  if (time < watermark) return 'stop';
  if (time === watermark && (cursor.keys ?? []).includes(item.key)) return 'skip';
  return 'take';
}

/** Oldest first, ties by key, so chunks advance the watermark monotonically. */
export function oldestFirst<T>(items: T[], stamp: (item: T) => Stamped): T[] {
  return [...items].sort((a, b) => {
    const sa = stamp(a);
    const sb = stamp(b);
    return (
      Date.parse(sa.time) - Date.parse(sb.time) || (sa.key < sb.key ? -1 : sa.key > sb.key ? 1 : 0)
    );
  });
}

/** The cursor after processing `done` (oldest first); the ETag only when the list is complete. */
export function advance<T>(
  cursor: ListCursor | undefined,
  done: T[],
  stamp: (item: T) => Stamped,
  etag: string | undefined,
): ListCursor {
  let watermark = cursor?.watermark;
  let keys = cursor?.keys ?? [];
  for (const item of done) {
    const { time, key } = stamp(item);
    if (watermark === undefined || Date.parse(time) > Date.parse(watermark)) {
      watermark = time;
      keys = [key];
    } else if (Date.parse(time) === Date.parse(watermark) && !keys.includes(key)) {
      keys = [...keys, key];
    }
  }
  return { ...(watermark ? { watermark, keys } : {}), ...(etag ? { etag } : {}) };
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A code host's client, as the scan reads it: a list's pages, the first conditional on `etag`. */
export interface PagedList {
  pages<T>(
    url: string,
    etag?: string,
    extract?: (data: unknown) => T[],
  ): AsyncGenerator<{ items: T[]; etag?: string; first: boolean }, { notModified: boolean }>;
}

export type NewerItems<T> =
  | { notModified: true }
  | { notModified: false; items: T[]; etag?: string; /** stopped at maxPages */ more?: boolean };

/** Reads a newest-first list down to the cursor's watermark; a 304 on the first page reads nothing. */
export async function readNewer<T>(
  client: PagedList,
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
