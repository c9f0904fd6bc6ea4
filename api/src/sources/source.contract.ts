import { z } from 'zod';
import { collectors as registeredCollectors } from '@lastmile/collectors';
import { sourceSchema } from '../config/config.js';
import { isoTimeOut, requestSchemas, responseSchemas } from '../openapi/contract.registry.js';

// The sources API (api.md, "Sources and sync"). A source's body is the config file's entry: every
// kind's schema, as the config reads it, is in the OpenAPI document through the union.

export const sourceBodySchema = sourceSchema.register(requestSchemas, { id: 'SourceBody' });

/** PATCH: the fields sent replace the stored ones (kind stays); the result is checked as a whole. */
export const sourcePatchSchema = z.looseObject({}).register(requestSchemas, {
  id: 'SourcePatch',
  description:
    "Fields of the source's kind (SourceBody) to change; kind cannot change. The result is validated as a whole. A field sent as null is taken out: an optional one is unset, one with a default takes its default again.",
});

export const syncRunSchema = z
  .object({
    id: z.string(),
    source_id: z.number().int(),
    source: z.string(),
    trigger: z.string().meta({ examples: ['schedule', 'api', 'webhook'] }),
    status: z.enum(['running', 'succeeded', 'failed']),
    started_at: isoTimeOut,
    finished_at: isoTimeOut.nullable(),
    items: z.number().int(),
    pages: z.number().int(),
    requests: z.number().int(),
    points: z.number().int().meta({ description: 'GitHub GraphQL points the run used' }),
    points_remaining: z
      .number()
      .int()
      .nullable()
      .meta({ description: "GitHub GraphQL points the token had left at the run's last query" }),
    estimated_finish_at: isoTimeOut
      .nullable()
      .meta({ description: 'when the collector expects the run to finish, where it can tell' }),
    error: z.string().nullable(),
    duration_seconds: z.number().nullable(),
  })
  .register(responseSchemas, { id: 'SyncRun' });

const sourceDisplaySchema = z
  .object({
    label: z.string(),
    fields: z.array(z.object({ label: z.string(), value: z.string() })),
    links: z.array(z.object({ label: z.string(), href: z.string() })),
  })
  .meta({ description: "how the web shows the source, as its kind's collector describes it" });

const viewFields = {
  id: z.number().int(),
  origin: z.enum(['config', 'api']).meta({ description: 'where the source is declared' }),
  display: sourceDisplaySchema,
  problem: z.string().nullable().meta({
    description:
      'why the server skips this source (a schedule that never fires, a variable it may not read), set at start; null when it runs',
  }),
  last_sync: syncRunSchema.nullable(),
  schedule_words: z.string().meta({ description: 'the schedule in words ("every 30 minutes")' }),
  next_run_at: isoTimeOut
    .nullable()
    .meta({ description: "its next run, in the config's time zone; null when it never fires" }),
};

/** A source as stored (defaults filled in), its id, origin and last sync. Secrets never appear. */
export const sourceViewSchema = z
  .discriminatedUnion(
    'kind',
    registeredCollectors.map((kind) =>
      (kind.schema as unknown as z.ZodObject).safeExtend(viewFields),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .register(responseSchemas, { id: 'Source' });

/** POST and PATCH: the source written, and what keeps it from syncing as it stands. */
export const sourceWrittenSchema = z
  .discriminatedUnion(
    'kind',
    registeredCollectors.map((kind) =>
      (kind.schema as unknown as z.ZodObject).safeExtend({
        ...viewFields,
        warnings: z
          .array(z.string())
          .meta({ description: 'e.g. "GITHUB_TOKEN is not set in the server\'s environment"' }),
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .register(responseSchemas, { id: 'SourceWritten' });

/** POST /api/v1/sources/{id}/test: each step of the kind's check (`<kind>.check.ts`). */
export const sourceCheckSchema = z
  .object({
    ok: z.boolean(),
    steps: z.array(
      z.object({
        step: z.string().meta({ examples: ['credentials', 'reach', 'auth', 'access'] }),
        ok: z.boolean(),
        message: z.string(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'SourceCheck' });

export const sourceListSchema = z
  .object({ sources: z.array(sourceViewSchema) })
  .register(responseSchemas, { id: 'SourceList' });

export const syncRunListSchema = z
  .object({ runs: z.array(syncRunSchema) })
  .register(responseSchemas, { id: 'SyncRunList' });

export const syncStartedSchema = z
  .object({ run_id: z.string() })
  .register(responseSchemas, { id: 'SyncStarted' });

/** GET /api/v1/source-kinds: a field of a kind's source, as its schema states it. */
export const sourceKindFieldSchema = z
  .object({
    name: z.string().meta({ description: "the field's key in the source's body" }),
    label: z.string().meta({ description: 'a short label for it, e.g. "Token variable"' }),
    type: z.enum(['text', 'text_list', 'one_of', 'boolean', 'number']).meta({
      description:
        'text: a string; text_list: a list of strings (an array in the body); one_of: one of `options`; boolean; number',
    }),
    options: z
      .array(z.string())
      .optional()
      .meta({ description: 'the values a one_of field takes' }),
    required: z.boolean().meta({
      description:
        'whether a new source must have it; a field with a default is not required (the API fills it in)',
    }),
    default: z
      .union([z.string(), z.array(z.string()), z.boolean(), z.number()])
      .optional()
      .meta({ description: 'the value the API stores when the field is left out' }),
    description: z
      .string()
      .nullable()
      .meta({ description: 'what the field is for and what it takes, as its schema says' }),
    secret_variable: z.boolean().meta({
      description:
        'true for a `*_env` field: its value is the name of a server environment variable that holds a secret (a token, key or password), never the secret itself; the name must follow the variable rules of POST /api/v1/sources',
    }),
  })
  .register(responseSchemas, { id: 'SourceKindField' });

export const sourceKindSchema = z
  .object({
    kind: z.string().meta({ examples: ['gitlab'] }),
    label: z.string().meta({ examples: ['GitLab'] }),
    model_registry: z.boolean().meta({
      description:
        "whether the kind is a model registry (its models are kept under the source's name)",
    }),
    fields: z.array(sourceKindFieldSchema).meta({
      description: "every field of the kind's schema but `kind`, in the schema's order",
    }),
  })
  .register(responseSchemas, { id: 'SourceKind' });

export const sourceKindListSchema = z
  .object({ kinds: z.array(sourceKindSchema) })
  .register(responseSchemas, { id: 'SourceKindList' });
