// Validation of decision bodies and comparison queries: every problem is reported at once, each
// naming its field, as api.md asks of every 400.

import { z } from 'zod';
import { type ErrorDetail, ValidationFailedError } from '../common/errors.js';
import { issueDetails } from '../config/config.js';
import { requestSchemas } from '../openapi/contract.registry.js';
import { isoTime } from '../common/input-schemas.js';
import type { DecisionInput } from './decision.types.js';

const time = isoTime().transform((value) => new Date(value).toISOString());

const optionalText = (max: number) =>
  z
    .string({ error: 'must be a string or null' })
    .max(max, `must be at most ${max} characters`)
    .nullish();

const names = (what: string, pattern: RegExp, hint: string) =>
  z
    .array(z.string({ error: `must be a ${what}` }).regex(pattern, hint), {
      error: `must be a list of ${what}s`,
    })
    .max(500, 'must name at most 500 entries')
    .optional();

const scope = z
  .object(
    {
      teams: names('team name', /^[a-z0-9][a-z0-9_.-]*$/i, 'must be a team name'),
      repos: names('repository', /^[^\s/]+\/[^\s]+$/, 'must be "owner/name"'),
      models: names('model', /^\S(.*\S)?$/, 'must be "registry/model" or a model name'),
    },
    { error: 'must be an object {"teams", "repos", "models"}' },
  )
  .strict();

const decisionFields = {
  title: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  kind: z.enum(['buy', 'build', 'other'], { error: 'must be "buy", "build" or "other"' }),
  vendor: optionalText(200),
  description: optionalText(10_000),
  effective_at: time,
  scope,
};

export const createDecisionSchema = z
  .object(decisionFields)
  .strict()
  .register(requestSchemas, { id: 'DecisionCreate' });
export const patchDecisionSchema = z
  .object(decisionFields)
  .partial()
  .strict()
  .register(requestSchemas, { id: 'DecisionPatch' });

function detailsOf(error: z.ZodError): ErrorDetail[] {
  return issueDetails(error);
}

function ensureObject(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailedError([{ path: '(body)', message: 'must be a JSON object' }]);
  }
}

/** A full decision from a POST body, normalized; throws a 400 listing every problem. */
export function parseDecision(body: unknown): DecisionInput {
  ensureObject(body);
  const parsed = createDecisionSchema.safeParse(body);
  const details = parsed.success ? [] : detailsOf(parsed.error);
  if (parsed.success) details.push(...scopeProblems(parsed.data.scope));
  if (!parsed.success || details.length > 0) throw new ValidationFailedError(details);
  const { scope: given, vendor, description, ...rest } = parsed.data;
  return {
    ...rest,
    vendor: vendor ?? null,
    description: description ?? null,
    scope: { teams: unique(given.teams), repos: unique(given.repos), models: unique(given.models) },
  };
}

/** A PATCH body applied to the stored decision, then validated as a whole. */
export function applyPatch(current: DecisionInput, body: unknown): DecisionInput {
  ensureObject(body);
  const parsed = patchDecisionSchema.safeParse(body);
  if (!parsed.success) throw new ValidationFailedError(detailsOf(parsed.error));
  // Only the fields sent change; `scope`, when sent, replaces the whole scope.
  const { title, kind, vendor, description, effective_at, scope: currentScope } = current;
  return parseDecision({
    title,
    kind,
    vendor,
    description,
    effective_at,
    scope: currentScope,
    ...(body as object),
  });
}

function scopeProblems(given: z.infer<typeof scope>): ErrorDetail[] {
  const total =
    (given.teams?.length ?? 0) + (given.repos?.length ?? 0) + (given.models?.length ?? 0);
  return total === 0
    ? [{ path: 'scope', message: 'must name at least one team, repository or model' }]
    : [];
}

function unique(values: string[] | undefined): string[] {
  return [...new Set(values ?? [])];
}
