import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { DeploymentEvent } from '../events.js';
import { PER_PAGE, type GithubClient } from './github.client.js';
import type { GithubSource } from './github.source.js';
import { readAll, readNewer } from './github-list.js';
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
import { advance, chunks, type ListCursor, oldestFirst, type Stamped } from './watermark.js';

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
  switch (source.deployments_from ?? 'deployments') {
    case 'deployments':
      yield* run(client, repo, context, githubDeployments(client, repo));
      return;
    case 'workflow_runs':
      yield* run(client, repo, context, workflowRuns(repo, source.workflow_pattern));
      return;
    case 'releases':
      yield* run(client, repo, context, releases(client, repo));
      return;
  }
}

async function* run<T extends { id: number; created_at: string }>(
  client: GithubClient,
  repo: string,
  context: CollectorContext,
  kind: DeploymentKind<T>,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<DeploymentsCursor>('deployments', repo);
  const stamp = (item: T): Stamped => ({ time: item.created_at, key: String(item.id) });
  const list = await readNewer<T>(client, kind.listUrl, start, stamp, kind.extract);
  if (list.notModified && !start?.pending?.length) return;
  const again: T[] = [];
  for (const id of start?.pending ?? []) {
    const item = await client.get<T>(kind.itemUrl(id));
    if (!item.notModified) again.push(item.data);
  }
  const fresh = list.notModified ? [] : list.items;
  const items = oldestFirst([...fresh, ...again], stamp);
  const lastSuccess = { ...start?.lastSuccess };
  const pending = new Set<number>();
  let cursor: ListCursor | undefined = start;
  const batches = chunks(items, PER_BATCH);
  if (batches.length === 0) batches.push([]);
  for (const [i, batch] of batches.entries()) {
    const events: DeploymentEvent[] = [];
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
      let commits: string[] | undefined;
      if (outcome.status === 'success') {
        const base = lastSuccess[environment];
        commits = base ? await compare(client, repo, base, sha) : [];
        lastSuccess[environment] = sha;
      }
      events.push(kind.toEvent(item, outcome, sha, commits));
    }
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
    yield { events, cursors: [{ resource: 'deployments', scope: repo, value }] };
  }
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

function githubDeployments(client: GithubClient, repo: string): DeploymentKind<GithubDeployment> {
  return {
    listUrl: `/repos/${repo}/deployments?per_page=${PER_PAGE}`,
    itemUrl: (id) => `/repos/${repo}/deployments/${id}`,
    relevant: () => true,
    outcome: async (deployment) =>
      deploymentOutcome(
        await readAll<GithubDeploymentStatus>(
          client,
          `/repos/${repo}/deployments/${deployment.id}/statuses?per_page=${PER_PAGE}`,
        ),
      ),
    environment: (deployment) => deployment.environment,
    sha: (deployment) => deployment.sha,
    toEvent: (deployment, outcome, _sha, commits) =>
      mapDeployment(repo, deployment, outcome, commits),
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

function releases(client: GithubClient, repo: string): DeploymentKind<GithubRelease> {
  return {
    listUrl: `/repos/${repo}/releases?per_page=${PER_PAGE}`,
    itemUrl: (id) => `/repos/${repo}/releases/${id}`,
    relevant: () => true,
    // A draft is not shipped yet: asked again until it is published.
    outcome: (release) =>
      release.draft
        ? { status: 'pending' }
        : { status: 'success', finishedAt: release.published_at ?? release.created_at },
    environment: (release) => (release.prerelease ? 'prerelease' : 'production'),
    sha: async (release) => {
      const commit = await client.get<string>(
        `/repos/${repo}/commits/${encodeURIComponent(release.tag_name)}`,
        undefined,
        'application/vnd.github.sha',
      );
      return commit.notModified ? '' : String(commit.data).trim();
    },
    toEvent: (release, _outcome, sha, commits) => mapRelease(repo, release, sha, commits),
  };
}
