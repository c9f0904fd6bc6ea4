import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { DeploymentEvent } from '../events.js';
import { PER_PAGE, type GithubClient, RATE_LIMIT_FIELDS, type RateLimit } from './github.client.js';
import { learnEtag, type NewerItems, readAll, readNewer } from './github-list.js';
import type { GithubSource } from './github.source.js';
import {
  type DeploymentOutcome,
  deploymentOutcome,
  type GithubDeployment,
  type GithubDeploymentStatus,
  type GithubRelease,
  type GithubWorkflowRun,
  mapDeployment,
  mapRelease,
  mapWorkflowRun,
  workflowRunOutcome,
} from './github.mapper.js';
import {
  advance,
  chunks,
  classify,
  type ListCursor,
  oldestFirst,
  type Stamped,
} from './watermark.js';

export interface DeploymentsCursor extends ListCursor {
  /** Ids seen before they finished, asked again on each sync until they do. */
  pending?: number[];
  /** Per environment, the commit of the latest successful deployment: the base of the next compare. */
  lastSuccess?: Record<string, string>;
}

// A deployment that has not finished within a week never will.
const PENDING_FOR_MS = 7 * 24 * 3600 * 1000;
const PER_BATCH = 20;

/** How one `deployments_from` kind reads its items and turns them into deployments. */
interface DeploymentKind<T extends { id: number; created_at: string }> {
  listUrl: string;
  /** Reads the list newest first by GraphQL, as long as `more` says (absent: REST only). */
  graphqlList?: (more: (items: T[]) => boolean) => Promise<T[]>;
  extract?: (data: unknown) => T[];
  itemUrl: (id: number) => string;
  relevant: (item: T) => boolean;
  outcome: (item: T) => DeploymentOutcome | Promise<DeploymentOutcome>;
  environment: (item: T) => string;
  sha: (item: T) => string | Promise<string>;
  toEvent: (
    item: T,
    outcome: { status: 'success' | 'failure'; finishedAt: string },
    sha: string,
    commits?: string[],
  ) => DeploymentEvent;
}

/**
 * Deployments of one repository, oldest first, each with the commits it shipped: from the compare
 * API between the previous successful deployment's commit (same environment) and its own. The
 * first-ever one links none, since what it shipped reaches back before tracking began.
 */
export async function* syncDeployments(
  client: GithubClient,
  source: GithubSource,
  repo: string,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  const shipped = client.api === 'rest' ? compareAll(client, repo) : historyAll(client, repo);
  switch (source.deployments_from ?? 'deployments') {
    case 'deployments':
      yield* run(client, repo, context, githubDeployments(client, repo), shipped);
      return;
    case 'workflow_runs':
      yield* run(client, repo, context, workflowRuns(repo, source.workflow_pattern), shipped);
      return;
    case 'releases':
      yield* run(client, repo, context, releases(client, repo), shipped);
      return;
  }
}

/** What each deployment shipped: the commits from `base` (exclusive) to `head`, oldest first. */
type Shipped = (pairs: { base: string; head: string }[]) => Promise<(string[] | undefined)[]>;

async function* run<T extends { id: number; created_at: string }>(
  client: GithubClient,
  repo: string,
  context: CollectorContext,
  kind: DeploymentKind<T>,
  shipped: Shipped,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<DeploymentsCursor>('deployments', repo);
  const stamp = (item: T): Stamped => ({ time: item.created_at, key: String(item.id) });
  const byGraphql =
    kind.graphqlList !== undefined &&
    (client.api === 'graphql' || (client.api === 'auto' && start === undefined));
  let list: NewerItems<T>;
  let again: T[] = [];
  if (byGraphql) {
    const read = await readByGraphql(kind, start, stamp);
    list = { notModified: false, items: read.items };
    again = read.again;
  } else {
    // auto polls the REST list (a 304 when nothing changed) and reads a change by GraphQL.
    const poll = client.api === 'auto' && kind.graphqlList !== undefined;
    list = await readNewer<T>(
      client,
      kind.listUrl,
      start,
      stamp,
      kind.extract,
      poll ? 1 : Infinity,
    );
    if (list.notModified && !start?.pending?.length) return;
    if (poll) {
      // The polled page's ETag stays good: whatever is newer than it, GraphQL reads now.
      const etag = list.notModified ? start?.etag : list.etag;
      const read = await readByGraphql(kind, start, stamp);
      again = read.again;
      list = { notModified: false, items: read.items, etag };
    } else {
      for (const id of start?.pending ?? []) {
        const item = await client.get<T>(kind.itemUrl(id));
        if (!item.notModified) again.push(item.data);
      }
    }
  }
  const fresh = list.notModified ? [] : list.items;
  const items = oldestFirst([...fresh, ...again], stamp);
  const lastSuccess = { ...start?.lastSuccess };
  const pending = new Set<number>();
  let cursor: ListCursor | undefined = start;
  // By GraphQL a batch's shipped commits are one query, so batches are as long as its aliases.
  const batches = chunks(items, client.api === 'rest' ? PER_BATCH : HISTORY_ALIASES);
  if (batches.length === 0) batches.push([]);
  for (const [i, batch] of batches.entries()) {
    const done: {
      item: T;
      outcome: { status: 'success' | 'failure'; finishedAt: string };
      sha: string;
      pair?: number;
    }[] = [];
    const pairs: { base: string; head: string }[] = [];
    for (const item of batch) {
      if (!kind.relevant(item)) continue;
      const outcome = await kind.outcome(item);
      if (outcome.status === 'pending') {
        if (context.now().getTime() - Date.parse(item.created_at) < PENDING_FOR_MS)
          pending.add(item.id);
        continue;
      }
      const sha = await kind.sha(item);
      const environment = kind.environment(item);
      let pair: number | undefined;
      if (outcome.status === 'success') {
        const base = lastSuccess[environment];
        // The first-ever one links none; the rest what was shipped since the last success.
        pair = base ? pairs.push({ base, head: sha }) - 1 : -1;
        lastSuccess[environment] = sha;
      }
      done.push({ item, outcome, sha, pair });
    }
    const commits = await shipped(pairs);
    const events: DeploymentEvent[] = done.map(({ item, outcome, sha, pair }) =>
      kind.toEvent(
        item,
        outcome,
        sha,
        pair === undefined ? undefined : pair < 0 ? [] : commits[pair],
      ),
    );
    context.progress({ items: events.length });
    const last = i === batches.length - 1;
    cursor = advance(
      cursor,
      batch,
      stamp,
      last && !list.notModified ? list.etag : last ? start?.etag : undefined,
    );
    // Pending ones of later batches stay listed until their batch is done.
    const later = batches
      .slice(i + 1)
      .flat()
      .filter((item) => again.includes(item));
    const value: DeploymentsCursor = {
      ...cursor,
      pending: [...pending, ...later.map((item) => item.id)],
      lastSuccess,
    };
    // auto: a backfill by GraphQL learns the REST list's ETag, so the next poll can be a 304.
    if (last && byGraphql && client.api === 'auto') {
      const etag = await learnEtag(client, kind.listUrl, value, stamp, kind.extract);
      if (etag) value.etag = etag;
    }
    yield { events, cursors: [{ resource: 'deployments', scope: repo, value }] };
  }
}

/**
 * The list by GraphQL, newest first, down to the watermark or to the oldest deployment still
 * pending, whichever is older: the pending ones come again with the new ones, no request each.
 */
async function readByGraphql<T extends { id: number; created_at: string }>(
  kind: DeploymentKind<T>,
  start: DeploymentsCursor | undefined,
  stamp: (item: T) => Stamped,
): Promise<{ items: T[]; again: T[] }> {
  const pending = new Set(start?.pending ?? []);
  const fresh: T[] = [];
  const again: T[] = [];
  await kind.graphqlList!((items) => {
    for (const item of items) {
      const verdict = classify(start, stamp(item));
      if (verdict === 'take') fresh.push(item);
      else if (pending.has(item.id)) {
        again.push(item);
        pending.delete(item.id);
      } else if (verdict === 'stop' && pending.size === 0) return false;
    }
    return true;
  });
  return { items: fresh, again };
}

function compareAll(client: GithubClient, repo: string): Shipped {
  return async (pairs) => {
    const out: (string[] | undefined)[] = [];
    for (const { base, head } of pairs) out.push(await compare(client, repo, base, head));
    return out;
  };
}

// Deployments whose history is asked in one query (by alias): 100 connections cost 1 point.
const HISTORY_ALIASES = 100;
// A base further back than this many commits is taken as not an ancestor (e.g. force-pushed away).
const HISTORY_PAGES = 5;

/**
 * What each deployment shipped, from `Commit.history` of its commit walked back to the previous
 * success's commit; many deployments per query, by aliases. A base not met is unknown (undefined),
 * as a compare that GitHub cannot make.
 */
function historyAll(client: GithubClient, repo: string): Shipped {
  const [owner, name] = repo.split('/') as [string, string];
  return async (pairs) => {
    const out: (string[] | undefined)[] = pairs.map(({ base, head }) =>
      base === head ? [] : undefined,
    );
    let open = pairs
      .map((pair, index) => ({
        ...pair,
        index,
        after: null as string | null,
        seen: [] as string[],
        pages: 0,
      }))
      .filter((pair) => pair.base !== pair.head);
    while (open.length > 0) {
      const round = open.slice(0, HISTORY_ALIASES);
      const variables: Record<string, unknown> = { owner, name };
      const declarations = ['$owner: String!', '$name: String!'];
      const aliases = round.map((pair, i) => {
        variables[`o${i}`] = pair.head;
        variables[`a${i}`] = pair.after;
        declarations.push(`$o${i}: GitObjectID!`, `$a${i}: String`);
        return `h${i}: object(oid: $o${i}) { ... on Commit { history(first: 100, after: $a${i}) { pageInfo { hasNextPage endCursor } nodes { oid } } } }`;
      });
      const query = `query lastmileShipped(${declarations.join(', ')}) {
  ${RATE_LIMIT_FIELDS}
  repository(owner: $owner, name: $name) {
    ${aliases.join('\n    ')}
  }
}`;
      const data = await client.graphql<{
        rateLimit?: RateLimit;
        repository: Record<
          string,
          {
            history?: {
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
              nodes: { oid: string }[];
            };
          } | null
        >;
      }>(query, variables);
      const next: typeof open = [];
      round.forEach((pair, i) => {
        const history = data.repository[`h${i}`]?.history;
        if (!history) return; // the head is gone: unknown
        const at = history.nodes.findIndex((node) => node.oid === pair.base);
        const shas = history.nodes.slice(0, at >= 0 ? at : undefined).map((node) => node.oid);
        pair.seen.push(...shas);
        pair.pages++;
        if (at >= 0) out[pair.index] = [...pair.seen].reverse();
        else if (history.pageInfo.hasNextPage && pair.pages < HISTORY_PAGES) {
          pair.after = history.pageInfo.endCursor;
          next.push(pair);
        }
      });
      open = [...next, ...open.slice(HISTORY_ALIASES)];
    }
    return out;
  };
}

/**
 * The commits reachable from `head` and not from `base`; undefined (unknown, so the ingest's time
 * rule applies) when GitHub cannot compare them, e.g. the base was force-pushed away.
 */
async function compare(
  client: GithubClient,
  repo: string,
  base: string,
  head: string,
): Promise<string[] | undefined> {
  if (base === head) return [];
  try {
    const commits = await readAll<{ sha: string }>(
      client,
      `/repos/${repo}/compare/${base}...${head}?per_page=${PER_PAGE}`,
      (data) => (data as { commits: { sha: string }[] }).commits,
    );
    return commits.map((commit) => commit.sha);
  } catch (error) {
    if ([404, 422].includes((error as { status?: number }).status ?? 0)) return undefined;
    throw error;
  }
}

type ListedDeployment = GithubDeployment & { statuses?: GithubDeploymentStatus[] };

const DEPLOYMENTS_QUERY = `query lastmileDeployments($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT_FIELDS}
  repository(owner: $owner, name: $name) {
    deployments(first: ${PER_PAGE}, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId commitOid environment createdAt updatedAt
        statuses(first: ${PER_PAGE}) { nodes { state createdAt } }
      }
    }
  }
}`;

/** Pages a newest-first GraphQL list, handing each page over until `more` says stop. */
async function pageNewestFirst<N, T>(
  client: GithubClient,
  query: string,
  repo: string,
  nodesOf: (data: never) => N[],
  map: (node: N) => T,
  more: (items: T[]) => boolean,
): Promise<T[]> {
  const [owner, name] = repo.split('/') as [string, string];
  for await (const page of client.graphqlPages<{ rateLimit?: RateLimit }>(query, {
    owner,
    name,
    cursor: null,
  })) {
    if (!more(nodesOf(page as never).map(map))) break;
  }
  return [];
}

function githubDeployments(client: GithubClient, repo: string): DeploymentKind<ListedDeployment> {
  return {
    listUrl: `/repos/${repo}/deployments?per_page=${PER_PAGE}`,
    // The statuses come nested: no request per deployment.
    graphqlList: (more) =>
      pageNewestFirst(
        client,
        DEPLOYMENTS_QUERY,
        repo,
        (data: {
          repository: {
            deployments: {
              nodes: {
                databaseId: number;
                commitOid: string;
                environment: string | null;
                createdAt: string;
                updatedAt: string;
                statuses: { nodes: { state: string; createdAt: string }[] };
              }[];
            };
          };
        }) => data.repository.deployments.nodes,
        (node) => ({
          id: node.databaseId,
          sha: node.commitOid,
          environment: node.environment ?? '',
          created_at: node.createdAt,
          updated_at: node.updatedAt,
          statuses: node.statuses.nodes.map((status) => ({
            state: status.state.toLowerCase(),
            created_at: status.createdAt,
          })),
        }),
        more,
      ),
    itemUrl: (id) => `/repos/${repo}/deployments/${id}`,
    relevant: () => true,
    outcome: async (deployment) =>
      deploymentOutcome(
        deployment.statuses ??
          (await readAll<GithubDeploymentStatus>(
            client,
            `/repos/${repo}/deployments/${deployment.id}/statuses?per_page=${PER_PAGE}`,
          )),
      ),
    environment: (deployment) => deployment.environment,
    sha: (deployment) => deployment.sha,
    toEvent: (deployment, outcome, _sha, commits) =>
      mapDeployment(
        repo,
        {
          id: deployment.id,
          sha: deployment.sha,
          environment: deployment.environment,
          created_at: deployment.created_at,
        },
        outcome,
        commits,
      ),
  };
}

function workflowRuns(
  repo: string,
  pattern: string | undefined,
): DeploymentKind<GithubWorkflowRun> {
  const matcher = pattern ? new RegExp(pattern, 'i') : undefined;
  return {
    listUrl: `/repos/${repo}/actions/runs?per_page=${PER_PAGE}`,
    extract: (data) => (data as { workflow_runs: GithubWorkflowRun[] }).workflow_runs,
    itemUrl: (id) => `/repos/${repo}/actions/runs/${id}`,
    // A run that completed as neutral, skipped or stale deployed nothing and will not change.
    relevant: (workflowRun) =>
      (!matcher || matcher.test(workflowRun.name ?? '')) &&
      !(
        workflowRun.status?.toLowerCase() === 'completed' &&
        workflowRunOutcome(workflowRun).status === 'pending'
      ),
    outcome: (workflowRun) => workflowRunOutcome(workflowRun),
    environment: (workflowRun) => workflowRun.name ?? 'workflow',
    sha: (workflowRun) => workflowRun.head_sha,
    toEvent: (workflowRun, outcome, _sha, commits) =>
      mapWorkflowRun(repo, workflowRun, outcome, commits),
  };
}

type ListedRelease = GithubRelease & { sha?: string };

const RELEASES_QUERY = `query lastmileReleases($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT_FIELDS}
  repository(owner: $owner, name: $name) {
    releases(first: ${PER_PAGE}, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { databaseId tagName isDraft isPrerelease createdAt publishedAt tagCommit { oid } }
    }
  }
}`;

function releases(client: GithubClient, repo: string): DeploymentKind<ListedRelease> {
  return {
    listUrl: `/repos/${repo}/releases?per_page=${PER_PAGE}`,
    // The tag's commit comes with each release: no request per release.
    graphqlList: (more) =>
      pageNewestFirst(
        client,
        RELEASES_QUERY,
        repo,
        (data: {
          repository: {
            releases: {
              nodes: {
                databaseId: number;
                tagName: string;
                isDraft: boolean;
                isPrerelease: boolean;
                createdAt: string;
                publishedAt: string | null;
                tagCommit: { oid: string } | null;
              }[];
            };
          };
        }) => data.repository.releases.nodes,
        (node) => ({
          id: node.databaseId,
          tag_name: node.tagName,
          draft: node.isDraft,
          prerelease: node.isPrerelease,
          created_at: node.createdAt,
          published_at: node.publishedAt,
          sha: node.tagCommit?.oid ?? '',
        }),
        more,
      ),
    itemUrl: (id) => `/repos/${repo}/releases/${id}`,
    relevant: () => true,
    // A draft is not shipped yet: asked again until it is published.
    outcome: (release) =>
      release.draft
        ? { status: 'pending' }
        : { status: 'success', finishedAt: release.published_at ?? release.created_at },
    environment: (release) => (release.prerelease ? 'prerelease' : 'production'),
    sha: async (release) => {
      if (release.sha !== undefined) return release.sha;
      const commit = await client.get<string>(
        `/repos/${repo}/commits/${encodeURIComponent(release.tag_name)}`,
        undefined,
        'application/vnd.github.sha',
      );
      return commit.notModified ? '' : String(commit.data).trim();
    },
    toEvent: (release, _outcome, sha, commits) =>
      mapRelease(
        repo,
        {
          id: release.id,
          tag_name: release.tag_name,
          draft: release.draft,
          prerelease: release.prerelease,
          created_at: release.created_at,
          published_at: release.published_at,
        },
        sha,
        commits,
      ),
  };
}
