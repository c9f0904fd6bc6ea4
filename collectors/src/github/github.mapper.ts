import type { DeploymentEvent, IncidentEvent, PullRequestEvent } from '../events.js';

// Pure functions from GitHub REST payloads (and webhook payloads, which carry the same objects) to
// normalized events. Native ids are shared by the collector and the webhook handler, so both update
// the same rows.

export interface GithubUser {
  login: string;
  type?: string;
}

export interface GithubPull {
  number: number;
  title?: string | null;
  user: GithubUser | null;
  state: string;
  draft?: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  base: { ref: string; repo?: { full_name: string } | null };
}

export interface GithubCommit {
  sha: string;
  commit: { author: { date?: string } | null };
}

export interface GithubReview {
  id: number;
  user: GithubUser | null;
  state: string;
  submitted_at?: string | null;
}

export interface GithubComment {
  id: number;
  user: GithubUser | null;
  created_at: string;
  updated_at: string;
  /** Issue comments: the issue (or PR) they belong to. */
  issue_url?: string;
  html_url?: string;
  /** Review comments: the PR they belong to. */
  pull_request_url?: string;
}

export interface GithubDeployment {
  id: number;
  sha: string;
  ref?: string;
  environment: string;
  created_at: string;
  updated_at?: string;
}

export interface GithubDeploymentStatus {
  state: string;
  created_at: string;
}

export interface GithubWorkflowRun {
  id: number;
  name?: string | null;
  head_sha: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
}

export interface GithubRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  published_at: string | null;
}

export interface GithubIssue {
  number: number;
  title?: string | null;
  state: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  labels?: (string | { name?: string })[];
  pull_request?: unknown;
}

/** A first response candidate: the earliest comment of one person on one PR. */
export interface CommentSummary {
  author: string;
  at: string;
  bot: boolean;
}

export const pullRequestId = (repo: string, number: number) => `${repo}/pulls/${number}`;
export const deploymentId = (repo: string, id: number) => `${repo}/deployments/${id}`;
export const workflowRunId = (repo: string, id: number) => `${repo}/runs/${id}`;
export const releaseId = (repo: string, id: number) => `${repo}/releases/${id}`;
export const incidentId = (repo: string, number: number) => `${repo}/issues/${number}`;

/** metrics.md: logins ending in [bot] or GitHub's user type Bot. */
export function isBot(user: GithubUser | null | undefined): boolean {
  if (!user) return false;
  return user.type === 'Bot' || user.login.endsWith('[bot]');
}

/** DevLake's PR status: OPEN when open; MERGED when closed with merged_at; else CLOSED. */
export function pullRequestStatus(
  pull: Pick<GithubPull, 'state' | 'merged_at'>,
): 'OPEN' | 'MERGED' | 'CLOSED' {
  if (pull.state === 'open') return 'OPEN';
  return pull.merged_at ? 'MERGED' : 'CLOSED';
}

export interface PullRequestDetails {
  commits: GithubCommit[];
  reviews: GithubReview[];
  comments: CommentSummary[];
}

export function mapPullRequest(
  repo: string,
  pull: GithubPull,
  details?: PullRequestDetails,
): PullRequestEvent {
  const event: PullRequestEvent = {
    type: 'pull_request',
    id: pullRequestId(repo, pull.number),
    repo,
    number: pull.number,
    title: pull.title ?? null,
    author: pull.user?.login ?? null,
    author_is_bot: isBot(pull.user),
    created_at: pull.created_at,
    merged_at: pull.merged_at,
    closed_at: pull.closed_at,
    merge_commit_sha: pull.merge_commit_sha,
    base_branch: pull.base.ref,
    draft: pull.draft ?? false,
  };
  if (details) {
    event.commits = details.commits.map(mapCommit);
    event.reviews = [
      ...details.reviews.flatMap((review) => mapReview(review) ?? []),
      // Earliest first (ties by login), whichever list or API each comment was read from.
      ...[...details.comments]
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.author < b.author ? -1 : 1))
        .map((c) => ({
          author: c.author,
          submitted_at: c.at,
          author_is_bot: c.bot,
        })),
    ];
  }
  return event;
}

/** The commit's authored date is the input to coding time (DevLake: commit.author.date). */
export function mapCommit(commit: GithubCommit): { sha: string; authored_at: string | null } {
  return { sha: commit.sha, authored_at: commit.commit.author?.date ?? null };
}

/** Reviews become first-response candidates dated submitted_at; PENDING and user-less ones drop. */
export function mapReview(
  review: GithubReview,
): NonNullable<PullRequestEvent['reviews']>[number] | undefined {
  if (!review.user || review.state.toUpperCase() === 'PENDING' || !review.submitted_at)
    return undefined;
  return {
    author: review.user.login,
    submitted_at: review.submitted_at,
    state: review.state.toUpperCase(),
    author_is_bot: isBot(review.user),
  };
}

/** The PR number a comment belongs to, or undefined for a comment on a plain issue. */
export function commentPullNumber(comment: GithubComment): number | undefined {
  const url =
    comment.pull_request_url ??
    (comment.html_url?.includes('/pull/') ? comment.issue_url : undefined);
  const match = url?.match(/\/(\d+)$/);
  return match ? Number(match[1]) : undefined;
}

/**
 * Folds comments into a per-PR index of each person's earliest comment: all that the first-response
 * rule needs, small enough to keep in the cursor, so an incremental sync reads only new comments.
 */
export function indexComments(
  index: Record<string, CommentSummary[]>,
  comments: GithubComment[],
): { index: Record<string, CommentSummary[]>; touched: Set<number> } {
  const next: Record<string, CommentSummary[]> = { ...index };
  const touched = new Set<number>();
  for (const comment of comments) {
    const number = commentPullNumber(comment);
    const user = comment.user;
    if (number === undefined || !user) continue;
    const key = String(number);
    const list = [...(next[key] ?? [])];
    const existing = list.findIndex((c) => c.author === user.login);
    if (existing >= 0 && Date.parse(list[existing].at) <= Date.parse(comment.created_at)) continue;
    const summary = { author: user.login, at: comment.created_at, bot: isBot(user) };
    if (existing >= 0) list[existing] = summary;
    else list.push(summary);
    next[key] = list;
    touched.add(number);
  }
  return { index: next, touched };
}

/** Folds one PR's commenters (each one's earliest comment) into the index, earliest kept. */
export function mergeComments(
  index: Record<string, CommentSummary[]>,
  number: number,
  summaries: CommentSummary[],
): Record<string, CommentSummary[]> {
  if (summaries.length === 0) return index;
  const key = String(number);
  const list = [...(index[key] ?? [])];
  for (const summary of summaries) {
    const existing = list.findIndex((c) => c.author === summary.author);
    if (existing < 0) list.push(summary);
    else if (Date.parse(summary.at) < Date.parse(list[existing].at)) list[existing] = summary;
  }
  return { ...index, [key]: list };
}

export type DeploymentOutcome =
  { status: 'success' | 'failure'; finishedAt: string } | { status: 'pending' };

/**
 * A deployment's outcome from its statuses: success finishing at the latest SUCCESS status (a later
 * INACTIVE, set when a newer deployment supersedes it, would stretch a 21-second deploy to days);
 * else a failure at the latest failure or error; a deployment only ever marked inactive was
 * superseded after succeeding (as DevLake reads it); anything else is still running.
 */
export function deploymentOutcome(statuses: GithubDeploymentStatus[]): DeploymentOutcome {
  const latest = (states: string[]) =>
    statuses
      .filter((s) => states.includes(s.state.toLowerCase()))
      .map((s) => s.created_at)
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  const success = latest(['success']);
  if (success) return { status: 'success', finishedAt: success };
  const failure = latest(['failure', 'error']);
  if (failure) return { status: 'failure', finishedAt: failure };
  const inactive = latest(['inactive']);
  if (inactive) return { status: 'success', finishedAt: inactive };
  return { status: 'pending' };
}

export function mapDeployment(
  repo: string,
  deployment: GithubDeployment,
  outcome: { status: 'success' | 'failure'; finishedAt: string },
  commits?: string[],
): DeploymentEvent {
  return {
    type: 'deployment',
    id: deploymentId(repo, deployment.id),
    repo,
    environment: deployment.environment,
    sha: deployment.sha,
    status: outcome.status,
    started_at: deployment.created_at,
    finished_at: outcome.finishedAt,
    ...(commits ? { commits } : {}),
  };
}

const RUN_FAILURES = ['failure', 'cancelled', 'timed_out', 'startup_failure'];

/**
 * By conclusion, which GitHub sets when a run completes: success → success; failure, cancelled,
 * timed_out, startup_failure → failure; neutral, skipped, stale, action_required and unfinished
 * runs are no deployment outcome (yet).
 */
export function workflowRunOutcome(run: GithubWorkflowRun): DeploymentOutcome {
  const conclusion = run.conclusion?.toLowerCase();
  if (conclusion === 'success') return { status: 'success', finishedAt: run.updated_at };
  if (conclusion && RUN_FAILURES.includes(conclusion))
    return { status: 'failure', finishedAt: run.updated_at };
  return { status: 'pending' };
}

/**
 * A workflow run as a deployment: started at run_started_at, finished at updated_at. Runs carry no
 * environment, so the workflow's name stands for it and the source's production pattern is matched
 * against it (as DevLake's production pattern is matched against run names).
 */
export function mapWorkflowRun(
  repo: string,
  run: GithubWorkflowRun,
  outcome: { status: 'success' | 'failure'; finishedAt: string },
  commits?: string[],
): DeploymentEvent {
  return {
    type: 'deployment',
    id: workflowRunId(repo, run.id),
    repo,
    environment: run.name ?? 'workflow',
    sha: run.head_sha,
    status: outcome.status,
    started_at: run.run_started_at ?? run.created_at,
    finished_at: outcome.finishedAt,
    ...(commits ? { commits } : {}),
  };
}

/** A published release ships to production; a prerelease to "prerelease". */
export function mapRelease(
  repo: string,
  release: GithubRelease,
  sha: string,
  commits?: string[],
): DeploymentEvent {
  const at = release.published_at ?? release.created_at;
  return {
    type: 'deployment',
    id: releaseId(repo, release.id),
    repo,
    environment: release.prerelease ? 'prerelease' : 'production',
    sha,
    status: 'success',
    started_at: release.created_at,
    finished_at: at,
    ...(commits ? { commits } : {}),
  };
}

export function hasLabel(issue: GithubIssue, label: string): boolean {
  return (issue.labels ?? []).some(
    (l) => (typeof l === 'string' ? l : l.name)?.toLowerCase() === label.toLowerCase(),
  );
}

/** An issue with the incident label is an incident, resolved when closed. */
export function mapIncident(repo: string, issue: GithubIssue): IncidentEvent {
  return {
    type: 'incident',
    id: incidentId(repo, issue.number),
    repo,
    title: issue.title ?? null,
    created_at: issue.created_at,
    resolved_at: issue.state === 'closed' ? issue.closed_at : null,
  };
}
