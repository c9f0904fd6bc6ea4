import { z } from 'zod';
import {
  gitlabDeploymentId,
  gitlabIncidentId,
  gitlabProjectPath,
  hookTime,
  hookTimeText,
  mergeRequestId,
  pipelineId,
} from '@lastmile/collectors';
import type { ErrorDetail } from '../../common/errors.js';
import {
  INDEXED_TEXT_BYTES,
  int4,
  TIME_FORMAT_HINT,
  timeProblem,
  utf8Bytes,
} from '../../common/input-schemas.js';
import { schemaProblems } from '../payload-problems.js';

// What each routed GitLab event's payload must hold for its events to be made: a payload sent with
// the right token but without it is a 400 naming the field, not a TypeError deep in the mapper or
// a value PostgreSQL refuses. Other fields pass through.

const GITLAB_TIME_HINT =
  'must be a time as GitLab sends it (2026-03-02T14:00:00Z, 2026-03-02 14:00:00 UTC or 2026-03-02 14:00:00 +0100)';

/** A time in any of GitLab's webhook forms, one that PostgreSQL stores as it is. */
const time = z.string({ error: GITLAB_TIME_HINT }).superRefine((value, context) => {
  const text = hookTimeText(value);
  const problem = timeProblem(text) ?? (Number.isNaN(Date.parse(text)) ? TIME_FORMAT_HINT : null);
  if (problem)
    context.addIssue({
      code: 'custom',
      message: problem === TIME_FORMAT_HINT ? GITLAB_TIME_HINT : problem,
    });
});
const optionalTime = time.nullish();
const id = z.number({ error: 'must be a number' }).int('must be an integer').nonnegative();
const text = z.string({ error: 'must be a string' });

const project = z
  .object({
    path_with_namespace: gitlabProjectPath.refine((path) => utf8Bytes(path) <= INDEXED_TEXT_BYTES, {
      message: `must be at most ${INDEXED_TEXT_BYTES} bytes in UTF-8`,
    }),
    default_branch: text.nullish(),
  })
  .loose();
const user = z.object({ username: text, bot: z.boolean().optional() }).loose().nullish();

const mergeRequest = z
  .object({
    iid: int4().positive(),
    title: text.nullish(),
    state: text.optional(),
    created_at: optionalTime,
    updated_at: time,
    merged_at: optionalTime,
    closed_at: optionalTime,
    merge_commit_sha: text.nullish(),
    target_branch: text.optional(),
    last_commit: z.object({ id: text.optional() }).loose().nullish(),
  })
  .loose();

const note = z
  .object({ project, user, object_attributes: z.object({ noteable_type: text.nullish() }).loose() })
  .loose();
/** A note on an MR carries the MR as it is after the note. */
const mergeRequestNote = note.extend({
  object_attributes: z
    .object({ noteable_type: text, id, created_at: time, system: z.boolean().optional() })
    .loose(),
  merge_request: mergeRequest,
});

const labels = z
  .array(
    z.union([text, z.object({ title: text.nullish(), name: text.nullish() }).loose()], {
      error: 'must be a label name or an object with its title',
    }),
  )
  .nullish();
const issue = z
  .object({
    project,
    labels,
    object_attributes: z
      .object({
        iid: int4().positive(),
        title: text.nullish(),
        state: text.optional(),
        created_at: time,
        updated_at: time,
        closed_at: optionalTime,
        issue_type: text.nullish(),
        type: text.nullish(),
        labels,
      })
      .loose(),
  })
  .loose();

const payloads: Record<string, z.ZodType> = {
  'Merge Request Hook': z.object({ project, user, object_attributes: mergeRequest }).loose(),
  'Deployment Hook': z
    .object({
      project,
      deployment_id: id,
      status: text,
      status_changed_at: time,
      environment: text.nullish(),
      commit_url: text.nullish(),
      short_sha: text.nullish(),
    })
    .loose(),
  'Pipeline Hook': z
    .object({
      project,
      object_attributes: z
        .object({
          id,
          status: text,
          ref: text.nullish(),
          sha: text.nullish(),
          tag: z.boolean().nullish(),
          name: text.nullish(),
          created_at: time,
          finished_at: optionalTime,
        })
        .loose(),
    })
    .loose(),
  'Issue Hook': issue,
  'Confidential Issue Hook': issue,
};

type Payload = Record<string, unknown>;
type Fields = Record<string, string | number | null | undefined>;

const isMergeRequestNote = (payload: Payload) =>
  (payload.object_attributes as Fields | undefined)?.noteable_type === 'MergeRequest';

/** Each problem of a routed event's payload, by field; none for events that are not used. */
export function payloadProblems(event: string, payload: Payload): ErrorDetail[] {
  if (event === 'Note Hook' || event === 'Confidential Note Hook')
    return schemaProblems(isMergeRequestNote(payload) ? mergeRequestNote : note, payload);
  const schema = Object.hasOwn(payloads, event) ? payloads[event] : undefined;
  return schema ? schemaProblems(schema, payload) : [];
}

type StoredKind = 'pull_request' | 'deployment' | 'incident';

export interface ObjectVersion {
  /** The object, per source: two GitLab instances may both have a project of the same path. */
  key: string;
  updatedAt: string;
  /** The row a poll (or an earlier delivery) stored for the object, and what to call it. */
  stored: { kind: StoredKind; nativeId: string; noun: string };
}

/**
 * The object a checked payload describes and its version: an MR, an issue by its updated_at, a
 * deployment by its status change, a pipeline by its finish (a running pipeline by its creation,
 * so it never undoes a finished one). A delivery older than the stored version is ignored.
 */
export function objectVersion(
  event: string,
  payload: Payload,
  repo: string,
  source: string,
): ObjectVersion | undefined {
  const attrs = payload.object_attributes as Fields;
  const object = (
    name: string,
    id: string,
    kind: StoredKind,
    nativeId: string,
    time: unknown,
  ): ObjectVersion => ({
    key: `${name}:${source}:${repo.toLowerCase()}${id}`,
    updatedAt: hookTime(time)!,
    stored: { kind, nativeId, noun: name.replace('_', ' ') },
  });
  switch (event) {
    case 'Merge Request Hook':
    case 'Note Hook':
    case 'Confidential Note Hook': {
      if (event !== 'Merge Request Hook' && !isMergeRequestNote(payload)) return undefined;
      const mr = (event === 'Merge Request Hook' ? attrs : payload.merge_request) as Fields;
      const iid = mr.iid as number;
      return object(
        'merge_request',
        `!${iid}`,
        'pull_request',
        mergeRequestId(repo, iid),
        mr.updated_at,
      );
    }
    case 'Deployment Hook': {
      const id = payload.deployment_id as number;
      const nativeId = gitlabDeploymentId(repo, id);
      return object('deployment', `/${id}`, 'deployment', nativeId, payload.status_changed_at);
    }
    case 'Pipeline Hook': {
      const id = attrs.id as number;
      const time = attrs.finished_at ?? attrs.created_at;
      return object('pipeline', `/${id}`, 'deployment', pipelineId(repo, id), time);
    }
    case 'Issue Hook':
    case 'Confidential Issue Hook': {
      const iid = attrs.iid as number;
      return object('issue', `#${iid}`, 'incident', gitlabIncidentId(repo, iid), attrs.updated_at);
    }
    default:
      return undefined;
  }
}
