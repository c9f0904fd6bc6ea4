import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { PullRequestEvent } from '../events.js';
import { PER_PAGE, type GithubClient } from './github.client.js';
import { learnEtag, readAll, readNewer } from './github-list.js';
import { type PullsCursor, syncPullsGraphql } from './github-pulls-graphql.sync.js';
import {
  type CommentSummary,
  type GithubComment,
  type GithubCommit,
  type GithubPull,
  type GithubReview,
  indexComments,
  mapPullRequest,
} from './github.mapper.js';
import { advance, chunks, oldestFirst, type Stamped } from './watermark.js';

/** Per repository: who commented first on each PR, and where the comment lists were read to. */
export interface CommentsCursor {
  since?: string;
  etags?: { issues?: string; pulls?: string };
  index?: Record<string, CommentSummary[]>;
}

// PRs per committed batch: each merged one costs two detail requests.
const PULLS_PER_BATCH = 20;
// In auto, a gap whose REST details would cost more requests than this is read by GraphQL.
const AUTO_REST_DETAILS = 10;

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
  const pullsCursor = context.cursor<PullsCursor>('pulls', repo);
  const backfilling = pullsCursor === undefined || pullsCursor.after !== undefined;
  const stored = context.cursor<CommentsCursor>('comments', repo);
  if (client.api === 'graphql' || (client.api === 'auto' && backfilling)) {
    // Review comments from the REST list; issue comments come nested in the PRs.
    const comments = await readComments(client, repo, stored, ['pulls'], false);
    yield* byGraphql(client, repo, context, comments.cursor, stored?.since);
    return;
  }
  const comments = await readComments(client, repo, stored);
  const url = `/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=${PER_PAGE}`;
  const list = await readNewer<GithubPull>(
    client,
    url,
    pullsCursor,
    stampPull,
    undefined,
    client.api === 'auto' ? 1 : Infinity,
  );
  if (
    client.api === 'auto' &&
    !list.notModified &&
    (list.more || list.items.filter((p) => p.merged_at).length * 2 > AUTO_REST_DETAILS)
  ) {
    // A large gap: one GraphQL query reads a hundred PRs with their details.
    yield* byGraphql(client, repo, context, comments.cursor, comments.cursor.since);
    return;
  }
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

/**
 * The GraphQL path; in auto it then learns the REST list's ETag, so that the next poll of a quiet
 * repository is a 304 again.
 */
async function* byGraphql(
  client: GithubClient,
  repo: string,
  context: CollectorContext,
  comments: CommentsCursor,
  etagsSince: string | undefined,
): AsyncGenerator<CollectedBatch> {
  let last: PullsCursor | undefined;
  for await (const batch of syncPullsGraphql(client, repo, context, {
    cursor: comments,
    finish: (cursor) => learnCommentEtags(client, repo, etagsSince, cursor),
  })) {
    const pulls = batch.cursors.find((c) => c.resource === 'pulls');
    if (pulls) last = pulls.value as PullsCursor;
    yield batch;
  }
  if (client.api !== 'auto' || !last || last.after !== undefined) return;
  const etag = await learnEtag<GithubPull>(
    client,
    `/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=${PER_PAGE}`,
    last,
    stampPull,
  );
  if (etag)
    yield { events: [], cursors: [{ resource: 'pulls', scope: repo, value: { ...last, etag } }] };
}

type CommentKind = 'issues' | 'pulls';

/**
 * The repository-wide comment lists since the cursor's time, folded into the per-PR index. Each
 * list is read from the newest comment on once more when that time moved, so that its next read
 * (the same URL) learns an ETag and an unchanged list then costs a 304.
 */
export async function readComments(
  client: GithubClient,
  repo: string,
  cursor: CommentsCursor | undefined,
  kinds: CommentKind[] = ['issues', 'pulls'],
  /** Read from the newest comment on again (the GraphQL path does so once its PRs are read). */
  relearn = true,
): Promise<{ changed: boolean; cursor: CommentsCursor }> {
  const state = {
    index: cursor?.index ?? {},
    newest: cursor?.since,
    etags: { ...cursor?.etags },
    changed: false,
  };
  for (const kind of kinds) await readList(client, repo, kind, cursor?.since, cursor?.since, state);
  if (relearn && state.newest !== cursor?.since) {
    const since = state.newest;
    for (const kind of ['issues', 'pulls'] as const)
      await readList(client, repo, kind, since, cursor?.since, state);
  }
  return {
    changed: state.changed,
    cursor: { since: state.newest, etags: state.etags, index: state.index },
  };
}

/**
 * After the GraphQL path read the issue comments nested in the PRs (and folded them in): each list
 * whose URL moved to the cursor's new time is read once, to learn its ETag.
 */
export async function learnCommentEtags(
  client: GithubClient,
  repo: string,
  before: string | undefined,
  cursor: CommentsCursor,
): Promise<CommentsCursor> {
  const state = {
    index: cursor.index ?? {},
    newest: cursor.since,
    etags: { ...cursor.etags },
    changed: false,
  };
  for (const kind of ['issues', 'pulls'] as const) {
    if (cursor.since === before && state.etags[kind]) continue;
    await readList(client, repo, kind, cursor.since, before, state);
  }
  // A comment written meanwhile moves the time on; the next sync reads from there.
  return { since: state.newest, etags: state.etags, index: state.index };
}

async function readList(
  client: GithubClient,
  repo: string,
  kind: CommentKind,
  since: string | undefined,
  etagSince: string | undefined,
  state: {
    index: Record<string, CommentSummary[]>;
    newest: string | undefined;
    etags: { issues?: string; pulls?: string };
    changed: boolean;
  },
): Promise<void> {
  // Oldest first: every page is read anyway, and `since` (updated at or after) keeps the URL, and
  // so its ETag, the same until a comment is added or edited.
  const query = since ? `&since=${encodeURIComponent(since)}` : '';
  const pages = client.pages<GithubComment>(
    `/repos/${repo}/${kind}/comments?sort=updated&direction=asc&per_page=${PER_PAGE}${query}`,
    since === etagSince ? state.etags[kind] : undefined,
  );
  for (;;) {
    const page = await pages.next();
    if (page.done) return;
    state.changed = true;
    if (page.value.first) state.etags[kind] = page.value.etag;
    state.index = indexComments(state.index, page.value.items).index;
    for (const comment of page.value.items) {
      if (!state.newest || Date.parse(comment.updated_at) > Date.parse(state.newest))
        state.newest = comment.updated_at;
    }
  }
}
