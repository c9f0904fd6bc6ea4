import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { PullRequestEvent } from '../events.js';
import { PER_PAGE, type GithubClient } from './github.client.js';
import { readAll, readNewer } from './github-list.js';
import {
  type CommentSummary,
  type GithubComment,
  type GithubCommit,
  type GithubPull,
  type GithubReview,
  indexComments,
  mapPullRequest,
} from './github.mapper.js';
import { advance, chunks, type ListCursor, oldestFirst, type Stamped } from './watermark.js';

/** Per repository: who commented first on each PR, and where the comment lists were read to. */
export interface CommentsCursor {
  since?: string;
  etags?: { issues?: string; pulls?: string };
  index?: Record<string, CommentSummary[]>;
}

// PRs per committed batch: each merged one costs two detail requests.
const PULLS_PER_BATCH = 20;

const stampPull = (pull: GithubPull): Stamped => ({
  time: pull.updated_at,
  key: String(pull.number),
});

/**
 * Pull requests of one repository: the repository-wide comment lists since the last sync (folded
 * into a per-PR index kept in the cursor), then the PRs updated since the watermark, with commits
 * and reviews fetched only for merged ones (the only ones the metrics read).
 */
export async function* syncPulls(
  client: GithubClient,
  repo: string,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  const comments = await readComments(
    client,
    repo,
    context.cursor<CommentsCursor>('comments', repo),
  );
  const pullsCursor = context.cursor<ListCursor>('pulls', repo);
  const list = await readNewer<GithubPull>(
    client,
    `/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=${PER_PAGE}`,
    pullsCursor,
    stampPull,
  );
  const commentsUpdate = comments.changed
    ? [{ resource: 'comments', scope: repo, value: comments.cursor }]
    : [];
  if (list.notModified) {
    if (commentsUpdate.length > 0) yield { events: [], cursors: commentsUpdate };
    return;
  }
  const pulls = oldestFirst(list.items, stampPull);
  const index = comments.cursor.index ?? {};
  let cursor = pullsCursor;
  const batches = chunks(pulls, PULLS_PER_BATCH);
  if (batches.length === 0) batches.push([]);
  for (const [i, batch] of batches.entries()) {
    const last = i === batches.length - 1;
    const events: PullRequestEvent[] = [];
    for (const pull of batch) {
      if (!pull.merged_at) {
        events.push(mapPullRequest(repo, pull));
        continue;
      }
      const [commits, reviews] = [
        await readAll<GithubCommit>(
          client,
          `/repos/${repo}/pulls/${pull.number}/commits?per_page=${PER_PAGE}`,
        ),
        await readAll<GithubReview>(
          client,
          `/repos/${repo}/pulls/${pull.number}/reviews?per_page=${PER_PAGE}`,
        ),
      ];
      events.push(
        mapPullRequest(repo, pull, {
          commits,
          reviews,
          comments: index[String(pull.number)] ?? [],
        }),
      );
    }
    context.progress({ items: events.length });
    cursor = advance(cursor, batch, stampPull, last ? list.etag : undefined);
    yield {
      events,
      cursors: [{ resource: 'pulls', scope: repo, value: cursor }, ...(last ? commentsUpdate : [])],
    };
  }
}

async function readComments(
  client: GithubClient,
  repo: string,
  cursor: CommentsCursor | undefined,
): Promise<{ changed: boolean; cursor: CommentsCursor }> {
  let index = cursor?.index ?? {};
  let newest = cursor?.since;
  const etags = { ...cursor?.etags };
  let changed = false;
  const read = async (kind: 'issues' | 'pulls', since: string | undefined) => {
    // Oldest first: every page is read anyway, and `since` (updated at or after) keeps the URL, and
    // so its ETag, the same until a comment is added or edited.
    const query = since ? `&since=${encodeURIComponent(since)}` : '';
    const pages = client.pages<GithubComment>(
      `/repos/${repo}/${kind}/comments?sort=updated&direction=asc&per_page=${PER_PAGE}${query}`,
      since === cursor?.since ? etags[kind] : undefined,
    );
    for (;;) {
      const page = await pages.next();
      if (page.done) return;
      changed = true;
      if (page.value.first) etags[kind] = page.value.etag;
      index = indexComments(index, page.value.items).index;
      for (const comment of page.value.items) {
        if (!newest || Date.parse(comment.updated_at) > Date.parse(newest))
          newest = comment.updated_at;
      }
    }
  };
  for (const kind of ['issues', 'pulls'] as const) await read(kind, cursor?.since);
  if (newest !== cursor?.since) {
    // The next sync asks from the newest comment on: one request now learns that URL's ETag, so an
    // unchanged list then costs a 304.
    const since = newest;
    for (const kind of ['issues', 'pulls'] as const) await read(kind, since);
  }
  return { changed, cursor: { since: newest, etags, index } };
}
