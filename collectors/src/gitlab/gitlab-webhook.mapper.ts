import type { DeploymentEvent, LastmileEvent, PullRequestEvent } from '../events.js';
import {
  gitlabDeploymentId,
  type GitlabIssue,
  type GitlabMergeRequest,
  isGitlabBot,
  isIncident,
  mapGitlabIncident,
  mapMergeRequest,
  mapPipeline,
  mapReviews,
  mergeRequestId,
  pipelineId,
  pipelineOutcome,
} from './gitlab.mapper.js';
import type { GitlabSource } from './gitlab.source.js';

// Webhook payloads (X-Gitlab-Event) to the collector's events, with the same native ids. A payload
// carries one object and not its lists (an MR's commits, approvals and notes; a deployment's MRs),
// so those are kept from the stored version; the scheduled sync reconciles whatever a hook missed.

/** The stored version of an event (its raw jsonb), to keep what a payload does not carry. */
export type GitlabStoredLookup = (
  type: 'pull_request' | 'deployment',
  nativeId: string,
) => Promise<LastmileEvent | undefined>;

export const ROUTED_GITLAB_EVENTS = [
  'Merge Request Hook',
  'Note Hook',
  'Confidential Note Hook',
  'Deployment Hook',
  'Pipeline Hook',
  'Issue Hook',
  'Confidential Issue Hook',
];

type Payload = Record<string, unknown>;
type Attributes = Record<string, unknown>;

/** A payload's text field, or the fallback when it is missing or not text. */
const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;

/**
 * Webhook times come as ISO 8601 (`2013-12-03T17:23:34Z`) or, in older payloads and some hooks, as
 * `2013-12-03 17:23:34 UTC` or `2021-04-28 21:50:00 +0200`: the latter two are written as ISO 8601,
 * digits unchanged, so that the API can check them as it checks any time; others are left as sent.
 */
export function hookTimeText(value: string): string {
  const spaced = value.match(
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) (UTC|[+-]\d{2}:?\d{2})$/,
  );
  return spaced
    ? `${spaced[1]}T${spaced[2]}${spaced[3] === 'UTC' ? 'Z' : spaced[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`
    : value;
}

/** A webhook time (any of the forms above) as ISO 8601 in UTC; null when it is none. */
export function hookTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const at = Date.parse(hookTimeText(value));
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** Whether a project belongs to the source: listed, or in its group and filters. */
export function tracksProject(source: GitlabSource, path: string): boolean {
  const lower = path.toLowerCase();
  if (source.projects.some((p) => p.toLowerCase() === lower)) return true;
  if (!source.group) return false;
  const prefix = `${source.group.toLowerCase()}/`;
  if (!lower.startsWith(prefix)) return false;
  const within = path.slice(prefix.length);
  if (source.include.length > 0 && !source.include.some((p) => new RegExp(p, 'i').test(within)))
    return false;
  return !source.exclude.some((p) => new RegExp(p, 'i').test(within));
}

/** The project path a payload is about. */
export function hookProject(payload: Payload): string | undefined {
  return (payload.project as { path_with_namespace?: string } | undefined)?.path_with_namespace;
}

/**
 * A payload's events. `older`: the payload's object is older than what is stored (a late or
 * replayed delivery). Its fields must not roll the stored version back, so such a payload yields
 * only what it adds beside them: a note's or an approval's response, added to the stored MR.
 */
export async function gitlabWebhookEvents(
  event: string,
  payload: Payload,
  repo: string,
  source: GitlabSource,
  stored: GitlabStoredLookup,
  older = false,
): Promise<LastmileEvent[]> {
  switch (event) {
    case 'Merge Request Hook': {
      const attrs = payload.object_attributes as Attributes;
      if (attrs.action !== 'approved') {
        return older ? [] : [await mergeRequest(attrs, payload, repo, source, stored)];
      }
      const base = older
        ? await storedMergeRequest(repo, Number(attrs.iid), stored)
        : await mergeRequest(attrs, payload, repo, source, stored);
      if (!base) return [];
      const approved = approvedBy(base, payload, attrs, source);
      return older && approved === base ? [] : [approved];
    }
    case 'Note Hook':
    case 'Confidential Note Hook':
      return noted(payload, repo, source, stored, older);
    case 'Deployment Hook':
      if (older) return [];
      if (source.deployments_from !== 'deployments') return [];
      return deployment(payload, repo, stored);
    case 'Pipeline Hook':
      if (older) return [];
      if (source.deployments_from !== 'pipelines') return [];
      return pipeline(payload, repo, source, stored);
    case 'Issue Hook':
    case 'Confidential Issue Hook': {
      if (older) return [];
      const issue = hookIssue(payload.object_attributes as Attributes, payload);
      return isIncident(issue, source.incident_label) ? [mapGitlabIncident(repo, issue)] : [];
    }
    default:
      return [];
  }
}

/**
 * An MR from a hook's attributes: the author is known by id only, so it is the stored author, or
 * the acting user when that is the author. merged_at is sent by recent GitLab versions; else the
 * time of the merge action, else the stored one.
 */
async function mergeRequest(
  attrs: Attributes,
  payload: Payload,
  repo: string,
  source: GitlabSource,
  stored: GitlabStoredLookup,
): Promise<PullRequestEvent> {
  const iid = Number(attrs.iid);
  const previous = (await stored('pull_request', mergeRequestId(repo, iid))) as
    PullRequestEvent | undefined;
  const actor = payload.user as { id?: number; username: string; bot?: boolean } | undefined;
  const state = text(attrs.state, 'opened');
  const updated = hookTime(attrs.updated_at) ?? new Date(0).toISOString();
  const merged = state === 'merged';
  // Without merged_at (GitLab before 18), a merge hook's update time is the merge's.
  const mergedAt = merged ? (hookTime(attrs.merged_at) ?? previous?.merged_at ?? updated) : null;
  const author =
    previous?.author !== undefined && previous.author !== null
      ? { username: previous.author, bot: previous.author_is_bot }
      : actor && actor.id === attrs.author_id
        ? actor
        : null;
  const mr: GitlabMergeRequest = {
    id: Number(attrs.id),
    iid,
    title: (attrs.title as string | undefined) ?? previous?.title ?? null,
    state,
    draft: Boolean(attrs.draft ?? attrs.work_in_progress),
    author,
    created_at: hookTime(attrs.created_at) ?? previous?.created_at ?? updated,
    updated_at: updated,
    merged_at: mergedAt,
    closed_at:
      state === 'closed'
        ? (hookTime(attrs.closed_at) ?? previous?.closed_at ?? updated)
        : merged
          ? mergedAt
          : null,
    merge_commit_sha:
      (attrs.merge_commit_sha as string | null | undefined) ?? previous?.merge_commit_sha ?? null,
    sha: (attrs.last_commit as { id?: string } | undefined)?.id ?? null,
    target_branch: text(attrs.target_branch, previous?.base_branch ?? ''),
  };
  const event = mapMergeRequest(repo, mr, source.bot_pattern);
  // A bot the stored version knew (GitLab's flag) stays a bot.
  if (previous?.author_is_bot) event.author_is_bot = true;
  if (previous?.commits) event.commits = previous.commits;
  if (previous?.reviews) event.reviews = previous.reviews;
  return event;
}

/** An approval hook: the acting user approved at the MR's update time. */
function approvedBy(
  event: PullRequestEvent,
  payload: Payload,
  attrs: Attributes,
  source: GitlabSource,
): PullRequestEvent {
  const user = payload.user as { username: string; bot?: boolean } | undefined;
  const at = hookTime(attrs.updated_at);
  if (!user || !at || user.username === event.author) return event;
  const review = {
    author: user.username,
    submitted_at: at,
    state: 'APPROVED',
    author_is_bot: isGitlabBot(user, source.bot_pattern),
  };
  // An approval known before (from the sync's system note, or this hook sent again) keeps its time:
  // the first response is the earliest.
  if ((event.reviews ?? []).some((r) => r.author === review.author && r.state === 'APPROVED'))
    return event;
  return { ...event, reviews: [...(event.reviews ?? []), review] };
}

/** The MR as stored, to add a late response to. */
async function storedMergeRequest(
  repo: string,
  iid: number,
  stored: GitlabStoredLookup,
): Promise<PullRequestEvent | undefined> {
  return (await stored('pull_request', mergeRequestId(repo, iid))) as PullRequestEvent | undefined;
}

/**
 * A note on an MR: a comment (or an approval's system note) by someone else is a response. Under
 * `older`, the MR embedded in the note is older than the stored one: only the response is added.
 */
async function noted(
  payload: Payload,
  repo: string,
  source: GitlabSource,
  stored: GitlabStoredLookup,
  older: boolean,
): Promise<LastmileEvent[]> {
  const attrs = payload.object_attributes as Attributes;
  if (attrs.noteable_type !== 'MergeRequest' || !payload.merge_request) return [];
  const embedded = payload.merge_request as Attributes;
  const event = older
    ? await storedMergeRequest(repo, Number(embedded.iid), stored)
    : await mergeRequest(embedded, {}, repo, source, stored);
  if (!event) return [];
  const user = payload.user as { username: string; bot?: boolean } | undefined;
  const [review] = mapReviews(
    { author: event.author ? { username: event.author } : null },
    {
      approvals: {},
      notes: [
        {
          id: Number(attrs.id),
          body: text(attrs.note, text(attrs.body, '')),
          author: user ?? null,
          created_at: hookTime(attrs.created_at) ?? new Date(0).toISOString(),
          system: Boolean(attrs.system),
        },
      ],
    },
    source.bot_pattern,
  );
  if (!review) return older ? [] : [event];
  if (user) review.author_is_bot = isGitlabBot(user, source.bot_pattern);
  const others = (event.reviews ?? []).filter(
    (r) =>
      !(
        r.author === review.author &&
        r.state === review.state &&
        Date.parse(r.submitted_at) === Date.parse(review.submitted_at)
      ),
  );
  // A response already stored, from a late note: nothing to add.
  if (older && others.length < (event.reviews ?? []).length) return [];
  return [{ ...event, reviews: [...others, review] }];
}

/**
 * A deployment's status change. The payload names the commit only in `commit_url`; its MRs come
 * from the stored version (the sync reads GitLab's list for it).
 */
async function deployment(
  payload: Payload,
  repo: string,
  stored: GitlabStoredLookup,
): Promise<DeploymentEvent[]> {
  const status = text(payload.status, '');
  if (status !== 'success' && status !== 'failed') return [];
  const id = Number(payload.deployment_id);
  const previous = (await stored('deployment', gitlabDeploymentId(repo, id))) as
    DeploymentEvent | undefined;
  const sha =
    text(payload.commit_url, '').match(/\/commit\/([^/?#]+)$/)?.[1] ??
    previous?.sha ??
    text(payload.short_sha, '');
  const finishedAt = hookTime(payload.status_changed_at) ?? previous?.finished_at;
  if (!finishedAt) return [];
  return [
    {
      type: 'deployment',
      id: gitlabDeploymentId(repo, id),
      repo,
      environment: text(payload.environment, previous?.environment ?? 'unknown'),
      sha,
      status: status === 'success' ? 'success' : 'failure',
      started_at: previous?.started_at ?? null,
      finished_at: finishedAt,
      ...(previous?.pull_requests ? { pull_requests: previous.pull_requests } : {}),
    },
  ];
}

async function pipeline(
  payload: Payload,
  repo: string,
  source: GitlabSource,
  stored: GitlabStoredLookup,
): Promise<DeploymentEvent[]> {
  const attrs = payload.object_attributes as Attributes;
  const branch = (payload.project as { default_branch?: string } | undefined)?.default_branch;
  if (attrs.tag || (branch && attrs.ref !== branch)) return [];
  const name = (attrs.name as string | null | undefined) ?? null;
  if (source.pipeline_pattern && !new RegExp(source.pipeline_pattern, 'i').test(name ?? ''))
    return [];
  const created = hookTime(attrs.created_at) ?? new Date(0).toISOString();
  const run = {
    id: Number(attrs.id),
    sha: text(attrs.sha, ''),
    ref: text(attrs.ref, ''),
    status: text(attrs.status, ''),
    name,
    created_at: created,
    updated_at: hookTime(attrs.finished_at) ?? created,
    finished_at: hookTime(attrs.finished_at),
  };
  const outcome = pipelineOutcome(run);
  if (outcome.status === 'none') return [];
  const previous = (await stored('deployment', pipelineId(repo, run.id))) as
    DeploymentEvent | undefined;
  return [mapPipeline(repo, run, outcome, previous?.commits)];
}

function hookIssue(attrs: Attributes, payload: Payload): GitlabIssue {
  const labels = (attrs.labels ?? payload.labels ?? []) as { title?: string }[];
  const created = hookTime(attrs.created_at) ?? new Date(0).toISOString();
  return {
    iid: Number(attrs.iid),
    title: (attrs.title as string | undefined) ?? null,
    state: text(attrs.state, 'opened'),
    created_at: created,
    updated_at: hookTime(attrs.updated_at) ?? created,
    closed_at: hookTime(attrs.closed_at),
    issue_type: (attrs.issue_type as string | undefined) ?? (attrs.type as string | undefined),
    labels,
  };
}
