import type { GithubClient } from './github.client.js';
import { classify, type ListCursor, type Stamped } from './watermark.js';

export { type NewerItems, readNewer } from './watermark.js';

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
