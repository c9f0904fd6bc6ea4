import type { CollectedBatch, CollectorContext, CursorUpdate } from '../collector.js';
import type { PullRequestEvent } from '../events.js';
import { type GithubClient, RATE_LIMIT_FIELDS, type RateLimit } from './github.client.js';
import {
  type CommentSummary,
  type GithubCommit,
  type GithubPull,
  type GithubReview,
  type GithubUser,
  mapPullRequest,
  mergeComments,
} from './github.mapper.js';
import { advance, classify, type ListCursor, oldestFirst, type Stamped } from './watermark.js';
import type { CommentsCursor } from './github-pulls.sync.js';

/** The pulls cursor: a watermark, and while a GraphQL backfill runs, where its pages stopped. */
export interface PullsCursor extends ListCursor {
  /** endCursor of the last committed page of the oldest-first backfill. */
  after?: string;
}

// PRs per query: with three nested connections of 100, a page costs 1 + 3 x 100 requests, 3 points.
export const PULLS_PER_QUERY = 100;
// GitHub answers a query that runs too long with a 502: the page is halved, down to this.
const MIN_PULLS_PER_QUERY = 10;
const NESTED = 100;

interface Actor {
  login: string;
  __typename: string;
}

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface PullNode {
  id: string;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommit: { oid: string } | null;
  potentialMergeCommit: { oid: string } | null;
  baseRefName: string;
  author: Actor | null;
  commits: Connection<CommitNode>;
  reviews: Connection<ReviewNode>;
  comments: Connection<CommentNode>;
}

interface CommitNode {
  commit: { oid: string; authoredDate: string | null };
}
interface ReviewNode {
  author: Actor | null;
  state: string;
  submittedAt: string | null;
}
interface CommentNode {
  author: Actor | null;
  createdAt: string;
  updatedAt: string;
}

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const COMMIT_FIELDS = 'nodes { commit { oid authoredDate } }';
const REVIEW_FIELDS = 'nodes { author { login __typename } state submittedAt }';
const COMMENT_FIELDS = 'nodes { author { login __typename } createdAt updatedAt }';

const PULL_FIELDS = `
  id number title state isDraft createdAt updatedAt closedAt mergedAt
  mergeCommit { oid } potentialMergeCommit { oid } baseRefName
  author { login __typename }
  commits(first: ${NESTED}) { ${PAGE_INFO} ${COMMIT_FIELDS} }
  reviews(first: ${NESTED}) { ${PAGE_INFO} ${REVIEW_FIELDS} }
  comments(first: ${NESTED}) { ${PAGE_INFO} ${COMMENT_FIELDS} }`;

const PULLS_QUERY = `query lastmilePulls($owner: String!, $name: String!, $first: Int!, $cursor: String, $direction: OrderDirection!) {
  ${RATE_LIMIT_FIELDS}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $cursor, orderBy: { field: UPDATED_AT, direction: $direction }) {
      totalCount
      ${PAGE_INFO}
      nodes { ${PULL_FIELDS} }
    }
  }
}`;

/** The rest of one PR's connection beyond its first page, paged on its own. */
const restOf = (connection: 'commits' | 'reviews' | 'comments', fields: string) =>
  `query lastmilePull_${connection}($id: ID!, $cursor: String) {
  ${RATE_LIMIT_FIELDS}
  node(id: $id) {
    ... on PullRequest {
      ${connection}(first: ${NESTED}, after: $cursor) { ${PAGE_INFO} ${fields} }
    }
  }
}`;

interface PullsPage {
  rateLimit?: RateLimit;
  repository: {
    pullRequests: Connection<PullNode> & { totalCount: number };
  };
}

/** GraphQL names a bot by its slug; REST (and so every row) by the login with "[bot]". */
function user(actor: Actor | null): GithubUser | null {
  if (!actor) return null;
  return actor.__typename === 'Bot'
    ? { login: actor.login.endsWith('[bot]') ? actor.login : `${actor.login}[bot]`, type: 'Bot' }
    : { login: actor.login, type: actor.__typename };
}

/** A GraphQL PR as the REST payload it stands for, so one mapper serves both paths. */
export function restPull(node: PullNode): GithubPull {
  return {
    number: node.number,
    title: node.title,
    user: user(node.author),
    state: node.state === 'OPEN' ? 'open' : 'closed',
    draft: node.isDraft,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    closed_at: node.closedAt,
    merged_at: node.mergedAt,
    // REST's merge_commit_sha is GitHub's test merge until the PR is merged.
    merge_commit_sha: node.mergeCommit?.oid ?? node.potentialMergeCommit?.oid ?? null,
    base: { ref: node.baseRefName },
  };
}

const stampNode = (node: PullNode): Stamped => ({ time: node.updatedAt, key: String(node.number) });

/**
 * Pull requests of one repository by GraphQL: 100 PRs a query, each with its commits, reviews and
 * comments nested, the rare longer connection paged on its own. With no watermark yet it is a
 * backfill, oldest first, each page committed with the cursor after it, so a run that stops goes
 * on from that page. Otherwise it reads newest first down to the watermark, as the REST path does.
 * Review comments (which GraphQL nests a level deeper, at a hundred times the points) come from the
 * repository-wide REST list; `comments` is that list's cursor, read before.
 */
export async function* syncPullsGraphql(
  client: GithubClient,
  repo: string,
  context: CollectorContext,
  comments: { cursor: CommentsCursor; finish: (cursor: CommentsCursor) => Promise<CommentsCursor> },
): AsyncGenerator<CollectedBatch> {
  const [owner, name] = repo.split('/') as [string, string];
  const start = context.cursor<PullsCursor>('pulls', repo);
  const backfill = start === undefined || start.after !== undefined;
  let index = comments.cursor.index ?? {};
  let newest = comments.cursor.since;
  const fold = async (nodes: PullNode[]) => {
    const events: PullRequestEvent[] = [];
    for (const node of nodes) {
      const pull = restPull(node);
      const nested = await complete(client, node);
      index = mergeComments(index, node.number, summaries(nested.comments));
      for (const c of nested.comments)
        if (!newest || Date.parse(c.updatedAt) > Date.parse(newest)) newest = c.updatedAt;
      events.push(
        mapPullRequest(
          repo,
          pull,
          pull.merged_at
            ? {
                commits: nested.commits.map(restCommit),
                reviews: nested.reviews.map(restReview),
                comments: index[String(node.number)] ?? [],
              }
            : undefined,
        ),
      );
    }
    context.progress({ items: events.length });
    return events;
  };
  const finishComments = async (): Promise<CursorUpdate> => ({
    resource: 'comments',
    scope: repo,
    value: await comments.finish({ ...comments.cursor, index, since: newest }),
  });
  const began = Date.now();
  let queries = 0;
  const estimate = (total: number, done: number, cost: number) => {
    queries++;
    const left = Math.ceil(Math.max(0, total - done) / PULLS_PER_QUERY);
    client.estimateFinish({ queries: left, points: left * cost }, (Date.now() - began) / queries);
  };

  if (backfill) {
    let cursor: PullsCursor | undefined = start;
    let done = 0;
    for await (const page of pullPages(client, owner, name, 'ASC', start?.after ?? null)) {
      const connection = page.repository.pullRequests;
      const events = await fold(connection.nodes);
      done += connection.nodes.length;
      estimate(connection.totalCount, done, page.rateLimit?.cost ?? 1);
      cursor = {
        ...advance(cursor, connection.nodes, stampNode, undefined),
        after: connection.pageInfo.endCursor ?? cursor?.after,
      };
      yield { events, cursors: [{ resource: 'pulls', scope: repo, value: cursor }] };
    }
    // Done: the watermark alone, so the next sync reads newest first down to it.
    const finished: PullsCursor = { ...cursor };
    delete finished.after;
    yield {
      events: [],
      cursors: [{ resource: 'pulls', scope: repo, value: finished }, await finishComments()],
    };
    return;
  }

  // Newest first down to the watermark, then oldest first in batches of a page.
  const fresh: PullNode[] = [];
  for await (const page of pullPages(client, owner, name, 'DESC', null)) {
    let stop = false;
    for (const node of page.repository.pullRequests.nodes) {
      const verdict = classify(start, stampNode(node));
      if (verdict === 'stop') {
        stop = true;
        break;
      }
      if (verdict === 'take') fresh.push(node);
    }
    if (stop) break;
  }
  const nodes = oldestFirst(fresh, stampNode);
  let cursor: PullsCursor | undefined = start;
  for (let i = 0; i < nodes.length || i === 0; i += PULLS_PER_QUERY) {
    const batch = nodes.slice(i, i + PULLS_PER_QUERY);
    const last = i + PULLS_PER_QUERY >= nodes.length;
    const events = await fold(batch);
    cursor = advance(cursor, batch, stampNode, undefined);
    yield {
      events,
      cursors: [
        { resource: 'pulls', scope: repo, value: cursor },
        ...(last ? [await finishComments()] : []),
      ],
    };
  }
}

/** The pages of PRs from `after` on, each as large as GitHub answers in time. */
async function* pullPages(
  client: GithubClient,
  owner: string,
  name: string,
  direction: 'ASC' | 'DESC',
  after: string | null,
): AsyncGenerator<PullsPage> {
  let first = PULLS_PER_QUERY;
  let cursor = after;
  for (;;) {
    try {
      for await (const page of client.graphqlPages<PullsPage>(PULLS_QUERY, {
        owner,
        name,
        first,
        cursor,
        direction,
      })) {
        cursor = page.repository.pullRequests.pageInfo.endCursor ?? cursor;
        yield page;
      }
      return;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (!(status === 502 || status === 504) || first <= MIN_PULLS_PER_QUERY) throw error;
      first = Math.max(MIN_PULLS_PER_QUERY, Math.floor(first / 2));
    }
  }
}

/** A PR's commits, reviews and comments in full: connections past their first page paged alone. */
async function complete(
  client: GithubClient,
  node: PullNode,
): Promise<{ commits: CommitNode[]; reviews: ReviewNode[]; comments: CommentNode[] }> {
  const rest = async <T>(
    connection: 'commits' | 'reviews' | 'comments',
    fields: string,
    first: Connection<T>,
  ): Promise<T[]> => {
    const all = [...first.nodes];
    if (!first.pageInfo.hasNextPage) return all;
    for await (const page of client.graphqlPages<{
      rateLimit?: RateLimit;
      node: Record<string, Connection<T>>;
    }>(restOf(connection, fields), { id: node.id, cursor: first.pageInfo.endCursor })) {
      all.push(...page.node[connection].nodes);
    }
    return all;
  };
  // Commits and reviews are read for merged PRs only, as the metrics (and the REST path) do.
  const merged = node.mergedAt !== null;
  return {
    commits: merged ? await rest('commits', COMMIT_FIELDS, node.commits) : node.commits.nodes,
    reviews: merged ? await rest('reviews', REVIEW_FIELDS, node.reviews) : node.reviews.nodes,
    comments: merged ? await rest('comments', COMMENT_FIELDS, node.comments) : node.comments.nodes,
  };
}

function restCommit(node: CommitNode): GithubCommit {
  return {
    sha: node.commit.oid,
    commit: { author: { date: node.commit.authoredDate ?? undefined } },
  };
}

// The mapper reads no review id (GitHub's GraphQL one is a 32-bit Int, deprecated for reviews).
function restReview(node: ReviewNode): GithubReview {
  return {
    id: 0,
    user: user(node.author),
    state: node.state,
    submitted_at: node.submittedAt,
  };
}

/** Each commenter's earliest comment on the PR. */
function summaries(nodes: CommentNode[]): CommentSummary[] {
  const earliest = new Map<string, CommentSummary>();
  for (const node of nodes) {
    const who = user(node.author);
    if (!who) continue;
    const seen = earliest.get(who.login);
    if (seen && Date.parse(seen.at) <= Date.parse(node.createdAt)) continue;
    earliest.set(who.login, {
      author: who.login,
      at: node.createdAt,
      bot: who.type === 'Bot' || who.login.endsWith('[bot]'),
    });
  }
  return [...earliest.values()];
}
