import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { DeploymentEvent } from '../events.js';
import {
  advance,
  chunks,
  type ListCursor,
  oldestFirst,
  type Stamped,
} from '../github/watermark.js';
import { type GitlabClient, PER_PAGE, projectPath, statusOf } from './gitlab.client.js';
import { readNewer } from '../github/watermark.js';
import type { GitlabSource } from './gitlab.source.js';
import {
  gitlabDeploymentOutcome,
  type GitlabDeployment,
  type GitlabOutcome,
  type GitlabPipeline,
  type GitlabRelease,
  mapGitlabDeployment,
  mapGitlabRelease,
  mapPipeline,
  pipelineOutcome,
} from './gitlab.mapper.js';

export interface DeploymentsCursor extends ListCursor {
  /** Pipelines and releases: per environment, the commit of the latest success, the next compare's base. */
  lastSuccess?: Record<string, string>;
}

const PER_BATCH = 20;

/** How one `deployments_from` kind lists its items and turns them into deployments. */
interface DeploymentKind<T> {
  listUrl: string;
  stamp: (item: T) => Stamped;
  /** Items left out of the events and of the cursor's advance, read again next time. */
  later?: (item: T) => boolean;
  relevant: (item: T) => boolean;
  outcome: (item: T) => GitlabOutcome;
  environment: (item: T) => string;
  sha: (item: T) => string;
  /** What the deployment shipped: GitLab's MR list for deployments, else a compare of commits. */
  toEvent: (
    item: T,
    outcome: { status: 'success' | 'failure'; finishedAt: string },
    previousSuccess: string | undefined,
  ) => Promise<DeploymentEvent>;
}

/**
 * Deployments of one project, by `deployments_from`: GitLab deployments (each with the MRs GitLab
 * lists for it), pipelines on the default branch matching `pipeline_pattern`, or releases (each with
 * the commits since the previous success). Lists are ordered by update, so a deployment still
 * running is read again once it finishes, with no list of pending ones to keep.
 */
export async function* syncDeployments(
  client: GitlabClient,
  source: GitlabSource,
  repo: string,
  defaultBranch: () => Promise<string | undefined>,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  switch (source.deployments_from ?? 'deployments') {
    case 'deployments':
      yield* run(client, repo, context, deployments(client, repo));
      return;
    case 'pipelines': {
      const branch = await defaultBranch();
      // A project with no repository has no default branch and so no pipelines to read.
      if (!branch) return;
      yield* run(client, repo, context, pipelines(client, repo, branch, source.pipeline_pattern));
      return;
    }
    case 'releases':
      yield* run(client, repo, context, releases(client, repo));
      return;
  }
}

async function* run<T>(
  client: GitlabClient,
  repo: string,
  context: CollectorContext,
  kind: DeploymentKind<T>,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<DeploymentsCursor>('deployments', repo);
  const list = await readNewer<T>(client, kind.listUrl, start, kind.stamp);
  if (list.notModified) return;
  const ready = list.items.filter((item) => !kind.later?.(item));
  const items = oldestFirst(ready, kind.stamp);
  const lastSuccess = { ...start?.lastSuccess };
  let cursor: ListCursor | undefined = start;
  const batches = chunks(items, PER_BATCH);
  if (batches.length === 0) batches.push([]);
  const complete = ready.length === list.items.length;
  for (const [i, batch] of batches.entries()) {
    const events: DeploymentEvent[] = [];
    for (const item of batch) {
      if (!kind.relevant(item)) continue;
      const outcome = kind.outcome(item);
      if (outcome.status === 'none') continue;
      const environment = kind.environment(item);
      events.push(await kind.toEvent(item, outcome, lastSuccess[environment]));
      if (outcome.status === 'success') lastSuccess[environment] = kind.sha(item);
    }
    context.progress({ items: events.length });
    const last = i === batches.length - 1;
    // The ETag is kept only when nothing was held back, so held-back items are asked for again.
    cursor = advance(cursor, batch, kind.stamp, last && complete ? list.etag : undefined);
    const value: DeploymentsCursor = { ...cursor, lastSuccess };
    yield { events, cursors: [{ resource: 'deployments', scope: repo, value }] };
  }
}

function deployments(client: GitlabClient, repo: string): DeploymentKind<GitlabDeployment> {
  const base = projectPath(repo);
  return {
    listUrl: `${base}/deployments?order_by=updated_at&sort=desc&per_page=${PER_PAGE}`,
    stamp: (deployment) => ({ time: deployment.updated_at, key: String(deployment.id) }),
    relevant: () => true,
    outcome: gitlabDeploymentOutcome,
    environment: (deployment) => deployment.environment?.name ?? 'unknown',
    sha: (deployment) => deployment.sha,
    toEvent: async (deployment, outcome) => {
      // GitLab links the MRs a deployment shipped only when it succeeds.
      const shipped =
        outcome.status === 'success'
          ? (
              await client.all<{ iid: number }>(
                `${base}/deployments/${deployment.id}/merge_requests?per_page=${PER_PAGE}`,
              )
            ).map((mr) => mr.iid)
          : undefined;
      return mapGitlabDeployment(repo, deployment, outcome, shipped);
    },
  };
}

function pipelines(
  client: GitlabClient,
  repo: string,
  branch: string,
  pattern: string | undefined,
): DeploymentKind<GitlabPipeline> {
  const matcher = pattern ? new RegExp(pattern, 'i') : undefined;
  const base = projectPath(repo);
  return {
    listUrl: `${base}/pipelines?ref=${encodeURIComponent(branch)}&order_by=updated_at&sort=desc&per_page=${PER_PAGE}`,
    stamp: (pipeline) => ({ time: pipeline.updated_at, key: String(pipeline.id) }),
    relevant: (pipeline) => !matcher || matcher.test(pipeline.name ?? ''),
    outcome: pipelineOutcome,
    environment: (pipeline) => pipeline.name || pipeline.ref,
    sha: (pipeline) => pipeline.sha,
    toEvent: async (pipeline, outcome, previous) =>
      mapPipeline(
        repo,
        pipeline,
        outcome,
        outcome.status === 'success'
          ? await compare(client, repo, previous, pipeline.sha)
          : undefined,
      ),
  };
}

function releases(client: GitlabClient, repo: string): DeploymentKind<GitlabRelease> {
  return {
    listUrl: `${projectPath(repo)}/releases?order_by=released_at&sort=desc&per_page=${PER_PAGE}`,
    stamp: (release) => ({
      time: release.released_at ?? release.created_at,
      key: release.tag_name,
    }),
    // An upcoming release ships at its release date: read again until then.
    later: (release) => release.upcoming_release === true,
    relevant: (release) => Boolean(release.commit?.id),
    outcome: (release) => ({
      status: 'success',
      finishedAt: release.released_at ?? release.created_at,
    }),
    environment: () => 'production',
    sha: (release) => release.commit?.id ?? '',
    toEvent: async (release, _outcome, previous) =>
      mapGitlabRelease(repo, release, await compare(client, repo, previous, release.commit!.id)),
  };
}

/**
 * The commits reachable from `to` and not from `from`; [] for the first success (what it shipped
 * reaches back before tracking began) and undefined (unknown: the ingest's time rule applies) when
 * GitLab cannot compare them, e.g. the base was force-pushed away.
 */
async function compare(
  client: GitlabClient,
  repo: string,
  from: string | undefined,
  to: string,
): Promise<string[] | undefined> {
  if (!from) return [];
  if (from === to) return [];
  try {
    const result = await client.get<{ commits?: { id: string }[] }>(
      `${projectPath(repo)}/repository/compare?from=${from}&to=${to}&straight=false`,
    );
    return result.notModified ? undefined : (result.data.commits ?? []).map((commit) => commit.id);
  } catch (error) {
    if ([404, 422].includes(statusOf(error) ?? 0)) return undefined;
    throw error;
  }
}
