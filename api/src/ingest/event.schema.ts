import { z } from 'zod';
import type { LastmileEvent } from '@lastmile/collectors';
import { type ErrorDetail } from '../common/errors.js';
import { formatIssuePath, issueMessage } from '../config/config.js';
import { badTextReason, findBadText } from '../common/text-input.js';
import {
  boundedText,
  ID_BYTES,
  INDEXED_TEXT_BYTES,
  INT4_MAX,
  int4,
  isoTime,
  timeProblem,
  utf8Bytes,
} from '../common/input-schemas.js';

const time = isoTime();
const optionalTime = time.nullish();
const text = boundedText(1000, INDEXED_TEXT_BYTES).min(1, 'must not be empty');
const id = boundedText(400, ID_BYTES).min(1, 'must not be empty');
const repo = z
  .string({ error: 'must be a string "owner/name"' })
  .regex(/^[^\s/]+\/[^\s]+$/, 'must be "owner/name"')
  .refine((value) => utf8Bytes(value) <= INDEXED_TEXT_BYTES, {
    message: `must be at most ${INDEXED_TEXT_BYTES} bytes in UTF-8`,
  });
const sha = z
  .string({ error: 'must be a string' })
  .regex(/^[0-9a-zA-Z_.-]{4,64}$/, 'must be a commit sha');
const common = {
  id,
  source: z
    .string({ error: 'must be a string' })
    .regex(/^[\w.:-]{1,100}$/, 'must be letters, digits, ".", ":", "_" or "-"')
    .optional(),
};

const pullRequest = z
  .object({
    ...common,
    type: z.literal('pull_request'),
    repo,
    number: int4().positive('must be positive'),
    title: z.string().max(2000).nullish(),
    author: z.string().max(200).nullish(),
    author_is_bot: z.boolean({ error: 'must be true or false' }).optional(),
    created_at: time,
    merged_at: optionalTime,
    closed_at: optionalTime,
    merge_commit_sha: sha.nullish(),
    base_branch: z.string().max(500).nullish(),
    draft: z.boolean({ error: 'must be true or false' }).optional(),
    commits: z
      .array(z.object({ sha, authored_at: optionalTime }).strict())
      .max(10000)
      .optional(),
    reviews: z
      .array(
        z
          .object({
            author: z.string().max(200).nullable(),
            submitted_at: time,
            state: z.string().max(50).nullish(),
            author_is_bot: z.boolean().optional(),
          })
          .strict(),
      )
      .max(10000)
      .optional(),
    first_commit_at: optionalTime,
    first_review_at: optionalTime,
  })
  .strict();

const deployment = z
  .object({
    ...common,
    type: z.literal('deployment'),
    repo: repo.optional(),
    service: text.optional(),
    environment: text,
    sha,
    status: z.enum(['success', 'failure'], { error: 'must be "success" or "failure"' }),
    started_at: optionalTime,
    finished_at: time,
    commits: z.array(sha).max(10000).optional(),
    pull_requests: z.array(int4().positive('must be positive')).max(10000).optional(),
    fixes: id.nullish(),
  })
  .strict()
  .refine((d) => (d.repo === undefined) !== (d.service === undefined), {
    message: 'needs exactly one of "repo" or "service"',
    path: ['repo'],
  });

const incident = z
  .object({
    ...common,
    type: z.literal('incident'),
    repo: repo.nullish(),
    service: text.nullish(),
    team: text.nullish(),
    title: z.string().max(2000).nullish(),
    created_at: time,
    resolved_at: optionalTime,
    deployment_id: id.nullish(),
  })
  .strict();

const modelVersion = z
  .object({
    ...common,
    type: z.literal('model_version'),
    registry: text,
    model: text,
    version: text,
    created_at: time,
    run_id: z.string().max(200).nullish(),
    run_started_at: optionalTime,
  })
  .strict();

const modelStage = z
  .object({
    ...common,
    type: z.literal('model_stage'),
    registry: text,
    model: text,
    version: text,
    action: z.enum(['promote', 'demote'], { error: 'must be "promote" or "demote"' }),
    at: time,
    environment: text.optional(),
    precision: z
      .enum(['exact', 'registry', 'observed'], {
        error: 'must be "exact", "registry" or "observed"',
      })
      .optional(),
    precision_seconds: int4().nonnegative('must not be negative').nullish(),
  })
  .strict();

/** Every event type's schema, by type: the validator below and the OpenAPI document read these. */
export const EVENT_SCHEMAS = {
  pull_request: pullRequest,
  deployment,
  incident,
  model_version: modelVersion,
  model_stage: modelStage,
} as const;
const schemas = EVENT_SCHEMAS;

/** Validates a whole batch; returns every problem, each with the event's index and field path. */
export function validateEvents(
  events: unknown[],
  pathOf: (index: number) => string = (index) => `events[${index}]`,
): { events: LastmileEvent[]; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const valid: LastmileEvent[] = [];
  events.forEach((event, index) => {
    const prefix = pathOf(index);
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      errors.push({ index, path: prefix, message: 'must be an object' });
      return;
    }
    const type = (event as { type?: unknown }).type;
    const badText = findBadText(event, prefix);
    if (badText) {
      errors.push({ index, ...badText });
      return;
    }
    // Own keys only: "toString" or "__proto__" must not find Object.prototype's members.
    const schema =
      typeof type === 'string' && Object.hasOwn(schemas, type)
        ? schemas[type as keyof typeof schemas]
        : undefined;
    if (!schema) {
      errors.push({
        index,
        path: `${prefix}.type`,
        message: `must be one of ${Object.keys(schemas).join(', ')}`,
      });
      return;
    }
    const parsed = schema.safeParse(event);
    if (parsed.success) {
      // The schemas are strict and transform nothing: keep the request's object, not a copy of it.
      valid.push(event as LastmileEvent);
    } else {
      for (const issue of parsed.error.issues) {
        const field = formatIssuePath(issue.path);
        errors.push({
          index,
          path: field ? `${prefix}.${field}` : prefix,
          message: issueMessage(issue),
        });
      }
    }
  });
  return { events: valid, errors };
}

const INDEXED_KEYS = new Set(['repo', 'registry', 'model', 'version', 'environment', 'service']);
const INT4_KEYS = new Set(['number', 'precision_seconds', 'pull_requests']);
const isTimeKey = (key: string) => key === 'at' || key.endsWith('_at');

/**
 * For events a server part made (webhooks, collectors), which may carry fields of their own: the
 * problems PostgreSQL would have with them (NUL, lone surrogates, unreal times, int4 overflows,
 * strings too long for their index), each with its field path.
 */
export function storableProblems(
  events: readonly object[],
  pathOf: (index: number) => string,
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const visit = (value: unknown, key: string, path: string, index: number): void => {
    if (typeof value === 'string') {
      const reason =
        badTextReason(value) ??
        (isTimeKey(key) ? timeProblem(value) : undefined) ??
        (key === 'id' && utf8Bytes(value) > ID_BYTES
          ? `must be at most ${ID_BYTES} bytes in UTF-8`
          : undefined) ??
        (INDEXED_KEYS.has(key) && utf8Bytes(value) > INDEXED_TEXT_BYTES
          ? `must be at most ${INDEXED_TEXT_BYTES} bytes in UTF-8`
          : undefined);
      if (reason) problems.push({ index, path, message: reason });
    } else if (typeof value === 'number') {
      if (INT4_KEYS.has(key) && !(Number.isInteger(value) && Math.abs(value) <= INT4_MAX))
        problems.push({ index, path, message: `must be an integer of at most ${INT4_MAX}` });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, key, `${path}[${i}]`, index));
    } else if (value !== null && typeof value === 'object') {
      for (const [child, item] of Object.entries(value))
        visit(item, child, `${path}.${child}`, index);
    }
  };
  events.forEach((event, index) => {
    for (const [key, value] of Object.entries(event))
      visit(value, key, `${pathOf(index)}.${key}`, index);
  });
  return problems;
}
