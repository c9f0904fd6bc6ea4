import type { DeploymentEvent, IncidentEvent, PullRequestEvent } from '../events.js';

// Pure functions from GitLab REST payloads to normalized events. A project's `repo` is its full path
// (`group/subgroup/project`). Native ids are shared by the collector and the webhook mapper, so both
// update the same rows.

export interface GitlabUser {
  id?: number;
  username: string;
  name?: string;
  /** Set by GitLab on bot users (project and group access tokens, service accounts). */
  bot?: boolean;
}

export interface GitlabProject {
  id: number;
  path_with_namespace: string;
  path?: string;
  default_branch?: string | null;
  archived?: boolean;
}

export interface GitlabMergeRequest {
  id: number;
  iid: number;
  title?: string | null;
  state: string;
  draft?: boolean;
  work_in_progress?: boolean;
  author: GitlabUser | null;
  created_at: string;
  updated_at: string;
  merged_at?: string | null;
  closed_at?: string | null;
  merge_commit_sha?: string | null;
  squash_commit_sha?: string | null;
  squash?: boolean;
  squash_on_merge?: boolean;
  sha?: string | null;
  target_branch: string;
}

export interface GitlabCommit {
  id: string;
  authored_date?: string | null;
  created_at?: string | null;
}

export interface GitlabApprovals {
  approved_by?: { user: GitlabUser; approved_at?: string | null }[];
}

export interface GitlabNote {
  id: number;
  body: string;
  author: GitlabUser | null;
  created_at: string;
  system: boolean;
}

export interface GitlabDeployment {
  id: number;
  iid?: number;
  sha: string;
  ref?: string;
  status: string;
  created_at: string;
  updated_at: string;
  environment: { name: string } | null;
  deployable?: { status?: string; finished_at?: string | null } | null;
}

export interface GitlabPipeline {
  id: number;
  iid?: number;
  sha: string;
  ref: string;
  status: string;
  name?: string | null;
  created_at: string;
  updated_at: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface GitlabRelease {
  tag_name: string;
  name?: string | null;
  created_at: string;
  released_at?: string | null;
  upcoming_release?: boolean;
  commit?: { id: string } | null;
}

export interface GitlabIssue {
  id?: number;
  iid: number;
  title?: string | null;
  state: string;
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  issue_type?: string | null;
  type?: string | null;
  labels?: (string | { title?: string; name?: string })[];
}

export const mergeRequestId = (repo: string, iid: number) => `${repo}/merge_requests/${iid}`;
export const gitlabDeploymentId = (repo: string, id: number) => `${repo}/deployments/${id}`;
export const pipelineId = (repo: string, id: number) => `${repo}/pipelines/${id}`;
export const gitlabReleaseId = (repo: string, tag: string) => `${repo}/releases/${tag}`;
export const gitlabIncidentId = (repo: string, iid: number) => `${repo}/issues/${iid}`;

/** The service accounts a source names by default: `renovate-bot`, `release-bot`, … */
export const DEFAULT_BOT_PATTERN = '-bot$';
// The users GitLab creates for project and group access tokens: project_42_bot_<hex>.
const TOKEN_BOT = /^(project|group)_\d+_bot(_[0-9a-f]+)?$/i;

/** Bots: the users GitLab marks as bots or names as token bots, and names matching the pattern. */
export function isGitlabBot(
  user: GitlabUser | null | undefined,
  pattern: string = DEFAULT_BOT_PATTERN,
): boolean {
  if (!user) return false;
  return (
    user.bot === true ||
    TOKEN_BOT.test(user.username) ||
    new RegExp(pattern, 'i').test(user.username)
  );
}

/**
 * The commit that put the MR on its target branch: the squash commit when squashed, else the merge
 * commit, else (a fast-forward merge) the MR's head, which is then on the branch as it is.
 */
export function landedSha(mr: GitlabMergeRequest): string | null {
  if (mr.state !== 'merged' && !mr.merged_at) return null;
  if ((mr.squash || mr.squash_on_merge) && mr.squash_commit_sha) return mr.squash_commit_sha;
  return mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.sha ?? null;
}

export interface MergeRequestDetails {
  commits: GitlabCommit[];
  approvals: GitlabApprovals;
  notes: GitlabNote[];
}

const APPROVED_NOTE = /^approved this merge request/i;

export function mapMergeRequest(
  repo: string,
  mr: GitlabMergeRequest,
  botPattern?: string,
  details?: MergeRequestDetails,
): PullRequestEvent {
  const merged = mr.state === 'merged' || Boolean(mr.merged_at);
  const event: PullRequestEvent = {
    type: 'pull_request',
    id: mergeRequestId(repo, mr.iid),
    repo,
    number: mr.iid,
    title: mr.title ?? null,
    author: mr.author?.username ?? null,
    author_is_bot: isGitlabBot(mr.author, botPattern),
    created_at: mr.created_at,
    // An MR merged before GitLab kept merged_at has only its close time.
    merged_at: merged ? (mr.merged_at ?? mr.closed_at ?? mr.updated_at) : null,
    closed_at: mr.closed_at ?? (merged ? (mr.merged_at ?? null) : null),
    merge_commit_sha: landedSha(mr),
    base_branch: mr.target_branch,
    draft: mr.draft ?? mr.work_in_progress ?? false,
  };
  if (details) {
    event.commits = details.commits.map(mapGitlabCommit);
    event.reviews = mapReviews(mr, details, botPattern);
  }
  return event;
}

/** The commit's authored date is the input to coding time. */
export function mapGitlabCommit(commit: GitlabCommit): { sha: string; authored_at: string | null } {
  return { sha: commit.id, authored_at: commit.authored_date ?? commit.created_at ?? null };
}

/**
 * First-response candidates by people other than the author: each approval, dated by GitLab's
 * approval time or else by its "approved this merge request" system note, and each comment (a note
 * that is not a system note). Approvals later withdrawn still were a response at their time.
 */
export function mapReviews(
  mr: Pick<GitlabMergeRequest, 'author'>,
  details: Pick<MergeRequestDetails, 'approvals' | 'notes'>,
  botPattern?: string,
): NonNullable<PullRequestEvent['reviews']> {
  const author = mr.author?.username;
  const reviews: NonNullable<PullRequestEvent['reviews']> = [];
  const add = (user: GitlabUser | null, at: string | null | undefined, state: string) => {
    if (!user || !at || user.username === author) return;
    if (
      reviews.some(
        (r) =>
          r.author === user.username &&
          r.state === state &&
          Date.parse(r.submitted_at) === Date.parse(at),
      )
    )
      return;
    reviews.push({
      author: user.username,
      submitted_at: at,
      state,
      author_is_bot: isGitlabBot(user, botPattern),
    });
  };
  for (const note of details.notes) {
    if (note.system && APPROVED_NOTE.test(note.body)) add(note.author, note.created_at, 'APPROVED');
    else if (!note.system) add(note.author, note.created_at, 'COMMENTED');
  }
  for (const approval of details.approvals.approved_by ?? []) {
    const noted = reviews.some(
      (r) => r.author === approval.user.username && r.state === 'APPROVED',
    );
    if (!noted) add(approval.user, approval.approved_at, 'APPROVED');
  }
  return reviews;
}

export type GitlabOutcome =
  { status: 'success' | 'failure'; finishedAt: string } | { status: 'none' };

/**
 * success → success, failed → failure, each finished when its job did (deployable.finished_at) or,
 * made through the API with no job, at its last update; created, running, blocked and canceled ones
 * are neither (the first three are read again when they change).
 */
export function gitlabDeploymentOutcome(deployment: GitlabDeployment): GitlabOutcome {
  const finishedAt = deployment.deployable?.finished_at ?? deployment.updated_at;
  if (deployment.status === 'success') return { status: 'success', finishedAt };
  if (deployment.status === 'failed') return { status: 'failure', finishedAt };
  return { status: 'none' };
}

export function mapGitlabDeployment(
  repo: string,
  deployment: GitlabDeployment,
  outcome: { status: 'success' | 'failure'; finishedAt: string },
  mergeRequests?: number[],
): DeploymentEvent {
  return {
    type: 'deployment',
    id: gitlabDeploymentId(repo, deployment.id),
    repo,
    environment: deployment.environment?.name ?? 'unknown',
    sha: deployment.sha,
    status: outcome.status,
    started_at: deployment.created_at,
    finished_at: outcome.finishedAt,
    ...(mergeRequests ? { pull_requests: mergeRequests } : {}),
  };
}

/** success → success, failed → failure; canceled, skipped, manual and unfinished are neither. */
export function pipelineOutcome(pipeline: GitlabPipeline): GitlabOutcome {
  const finishedAt = pipeline.finished_at ?? pipeline.updated_at;
  if (pipeline.status === 'success') return { status: 'success', finishedAt };
  if (pipeline.status === 'failed') return { status: 'failure', finishedAt };
  return { status: 'none' };
}

/**
 * A pipeline as a deployment. Pipelines carry no environment, so the pipeline's name stands for it
 * (the branch when it has none) and the source's production pattern is matched against it.
 */
export function mapPipeline(
  repo: string,
  pipeline: GitlabPipeline,
  outcome: { status: 'success' | 'failure'; finishedAt: string },
  commits?: string[],
): DeploymentEvent {
  return {
    type: 'deployment',
    id: pipelineId(repo, pipeline.id),
    repo,
    environment: pipeline.name || pipeline.ref,
    sha: pipeline.sha,
    status: outcome.status,
    started_at: pipeline.started_at ?? pipeline.created_at,
    finished_at: outcome.finishedAt,
    ...(commits ? { commits } : {}),
  };
}

/** A release ships to production when it is released (an upcoming release is not yet). */
export function mapGitlabRelease(
  repo: string,
  release: GitlabRelease,
  commits?: string[],
): DeploymentEvent {
  return {
    type: 'deployment',
    id: gitlabReleaseId(repo, release.tag_name),
    repo,
    environment: 'production',
    sha: release.commit?.id ?? '',
    status: 'success',
    started_at: release.created_at,
    finished_at: release.released_at ?? release.created_at,
    ...(commits ? { commits } : {}),
  };
}

function labelNames(issue: GitlabIssue): string[] {
  return (issue.labels ?? []).flatMap((l) =>
    typeof l === 'string' ? l : (l.title ?? l.name ?? []),
  );
}

/** An incident: an issue of GitLab's type incident, or carrying the source's incident label. */
export function isIncident(issue: GitlabIssue, label: string | undefined): boolean {
  const type = (issue.issue_type ?? issue.type ?? '').toLowerCase();
  if (type === 'incident') return true;
  return (
    label !== undefined && labelNames(issue).some((l) => l.toLowerCase() === label.toLowerCase())
  );
}

/** Opened at created_at, resolved when closed. */
export function mapGitlabIncident(repo: string, issue: GitlabIssue): IncidentEvent {
  const closed = issue.state === 'closed';
  return {
    type: 'incident',
    id: gitlabIncidentId(repo, issue.iid),
    repo,
    title: issue.title ?? null,
    created_at: issue.created_at,
    resolved_at: closed ? (issue.closed_at ?? issue.updated_at) : null,
  };
}
