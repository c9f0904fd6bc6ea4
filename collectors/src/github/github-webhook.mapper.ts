import type { LastmileEvent, DeploymentEvent, PullRequestEvent } from '../events.js';
import {
  deploymentId,
  deploymentOutcome,
  type GithubDeployment,
  type GithubIssue,
  type GithubPull,
  type GithubReview,
  type GithubWorkflowRun,
  hasLabel,
  mapDeployment,
  mapIncident,
  mapPullRequest,
  mapReview,
  mapWorkflowRun,
  pullRequestId,
  workflowRunId,
  workflowRunOutcome,
} from './github.mapper.js';
import type { GithubSource } from './github.source.js';

/** The stored version of an event (its raw jsonb), to keep what a webhook payload does not carry. */
export type StoredLookup = (
  type: 'pull_request' | 'deployment',
  nativeId: string,
) => Promise<LastmileEvent | undefined>;

export const ROUTED_GITHUB_EVENTS = [
  'pull_request',
  'pull_request_review',
  'deployment',
  'deployment_status',
  'workflow_run',
  'issues',
];

type Payload = Record<string, unknown>;

/**
 * The events one webhook delivery yields, with the collector's native ids so both update the same
 * rows. A payload carries one object, not its lists: a PR's commits and reviews, and a deployment's
 * shipped commits, are kept from the stored version (the scheduled sync fills what is missing).
 */
export async function githubWebhookEvents(
  event: string,
  payload: Payload,
  repo: string,
  source: GithubSource,
  stored: StoredLookup,
): Promise<LastmileEvent[]> {
  switch (event) {
    case 'pull_request':
      return [await pullRequest(payload.pull_request as GithubPull, repo, stored)];
    case 'pull_request_review':
      return [await pullRequestReview(payload, repo, stored)];
    case 'deployment_status':
      if ((source.deployments_from ?? 'deployments') !== 'deployments') return [];
      return deploymentStatus(payload, repo, stored);
    case 'workflow_run':
      if (source.deployments_from !== 'workflow_runs') return [];
      return workflowRun(payload.workflow_run as GithubWorkflowRun, repo, source, stored);
    case 'issues': {
      const issue = payload.issue as GithubIssue;
      if (issue.pull_request || !hasLabel(issue, source.incident_label ?? 'incident')) return [];
      return [mapIncident(repo, issue)];
    }
    default:
      // 'deployment' announces one with no status yet: its row comes with its first final status.
      return [];
  }
}

async function pullRequest(
  pull: GithubPull,
  repo: string,
  stored: StoredLookup,
): Promise<PullRequestEvent> {
  const previous = (await stored('pull_request', pullRequestId(repo, pull.number))) as
    PullRequestEvent | undefined;
  const event = mapPullRequest(repo, pull);
  if (previous?.commits) event.commits = previous.commits;
  if (previous?.reviews) event.reviews = previous.reviews;
  return event;
}

async function pullRequestReview(
  payload: Payload,
  repo: string,
  stored: StoredLookup,
): Promise<PullRequestEvent> {
  const event = await pullRequest(payload.pull_request as GithubPull, repo, stored);
  const review = mapReview(payload.review as GithubReview);
  if (!review) return event;
  // A re-sent or dismissed review replaces its earlier version (same author, same time).
  const others = (event.reviews ?? []).filter(
    (r) =>
      !(
        r.author === review.author && Date.parse(r.submitted_at) === Date.parse(review.submitted_at)
      ),
  );
  return { ...event, reviews: [...others, review] };
}

async function deploymentStatus(
  payload: Payload,
  repo: string,
  stored: StoredLookup,
): Promise<DeploymentEvent[]> {
  const deployment = payload.deployment as GithubDeployment;
  const status = payload.deployment_status as { state: string; created_at: string };
  const previous = (await stored('deployment', deploymentId(repo, deployment.id))) as
    DeploymentEvent | undefined;
  const statuses = [{ state: status.state, created_at: status.created_at }];
  // The stored outcome stands for the statuses seen before: a success is kept against a later
  // failure or inactive, and only a later success moves the finish.
  if (previous) statuses.push({ state: previous.status, created_at: previous.finished_at });
  const outcome = deploymentOutcome(statuses);
  if (outcome.status === 'pending') return [];
  if (!previous && status.state.toLowerCase() === 'inactive') return [];
  return [mapDeployment(repo, deployment, outcome, previous?.commits)];
}

async function workflowRun(
  run: GithubWorkflowRun,
  repo: string,
  source: GithubSource,
  stored: StoredLookup,
): Promise<DeploymentEvent[]> {
  if (source.workflow_pattern && !new RegExp(source.workflow_pattern, 'i').test(run.name ?? ''))
    return [];
  const outcome = workflowRunOutcome(run);
  if (outcome.status === 'pending') return [];
  const previous = (await stored('deployment', workflowRunId(repo, run.id))) as
    DeploymentEvent | undefined;
  return [mapWorkflowRun(repo, run, outcome, previous?.commits)];
}

/** Whether a repository belongs to the source: listed, or in its organisation and filters. */
export function tracksRepository(source: GithubSource, repo: string): boolean {
  const lower = repo.toLowerCase();
  if ((source.repos ?? []).some((r) => r.toLowerCase() === lower)) return true;
  if (!source.org) return false;
  const [owner, name = ''] = repo.split('/');
  if (owner?.toLowerCase() !== source.org.toLowerCase()) return false;
  const include = source.include ?? [];
  if (include.length > 0 && !include.some((p) => new RegExp(p, 'i').test(name))) return false;
  return !(source.exclude ?? []).some((p) => new RegExp(p, 'i').test(name));
}
