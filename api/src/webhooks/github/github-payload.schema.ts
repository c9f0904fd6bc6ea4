import { z } from 'zod';
import type { ErrorDetail } from '../../common/errors.js';
import { int4, isoTime } from '../../common/input-schemas.js';
import { schemaProblems } from '../payload-problems.js';

// What each routed event's payload must hold for its events to be made: a signed payload without
// it is a 400 naming the field, not a TypeError deep in a mapper. Other fields pass through.

const time = isoTime();
const optionalTime = time.nullish();
const repository = z.object({ full_name: z.string().regex(/^[^\s/]+\/[^\s]+$/) }).loose();
const pull = z
  .object({
    number: int4().positive(),
    created_at: time,
    updated_at: time,
    merged_at: optionalTime,
    closed_at: optionalTime,
  })
  .loose();

const payloads: Record<string, z.ZodType> = {
  pull_request: z.object({ repository, pull_request: pull }).loose(),
  pull_request_review: z
    .object({
      repository,
      pull_request: pull,
      review: z.object({ submitted_at: optionalTime }).loose(),
    })
    .loose(),
  deployment_status: z
    .object({
      repository,
      deployment: z.object({ id: z.number().int(), created_at: time }).loose(),
      deployment_status: z.object({ state: z.string(), created_at: time }).loose(),
    })
    .loose(),
  workflow_run: z
    .object({
      repository,
      workflow_run: z.object({ id: z.number().int(), updated_at: time }).loose(),
    })
    .loose(),
  issues: z
    .object({
      repository,
      issue: z.object({ number: int4().positive(), created_at: time, updated_at: time }).loose(),
    })
    .loose(),
};

/** Each problem of a routed event's payload, by field; none for events that are not used. */
export function payloadProblems(event: string, payload: unknown): ErrorDetail[] {
  const schema = Object.hasOwn(payloads, event) ? payloads[event] : undefined;
  return schema ? schemaProblems(schema, payload) : [];
}

type Payload = Record<string, Record<string, unknown>>;

/**
 * The object a delivery describes, per source (two hosts can have a repository of the same name),
 * and its version (its updated_at): a delivery older than the version stored is ignored.
 * Deployment statuses need none: their outcome only moves forward.
 */
export function objectVersion(
  event: string,
  payload: Payload,
  repo: string,
  source: string,
): { key: string; updatedAt: string } | undefined {
  const lower = `${source}:${repo.toLowerCase()}`;
  switch (event) {
    case 'pull_request':
    case 'pull_request_review':
      return {
        key: `pull_request:${lower}#${String(payload.pull_request.number)}`,
        updatedAt: String(payload.pull_request.updated_at),
      };
    case 'issues':
      return {
        key: `issue:${lower}#${String(payload.issue.number)}`,
        updatedAt: String(payload.issue.updated_at),
      };
    case 'workflow_run':
      return {
        key: `workflow_run:${lower}/${String(payload.workflow_run.id)}`,
        updatedAt: String(payload.workflow_run.updated_at),
      };
    default:
      return undefined;
  }
}
