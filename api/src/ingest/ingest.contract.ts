import { z } from 'zod';
import { requestSchemas, responseSchemas } from '../openapi/contract.registry.js';
import { EVENT_SCHEMAS } from './event.schema.js';

// POST /api/v1/events (api.md, "Ingest"): every event type's schema is the validator's own.

const EVENT_IDS: Record<keyof typeof EVENT_SCHEMAS, string> = {
  pull_request: 'PullRequestEvent',
  deployment: 'DeploymentEvent',
  incident: 'IncidentEvent',
  model_version: 'ModelVersionEvent',
  model_stage: 'ModelStageEvent',
};
for (const [type, schema] of Object.entries(EVENT_SCHEMAS))
  requestSchemas.add(schema, { id: EVENT_IDS[type as keyof typeof EVENT_SCHEMAS] });

export const eventSchema = z
  .discriminatedUnion(
    'type',
    Object.values(EVENT_SCHEMAS) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .register(requestSchemas, { id: 'Event', description: 'One event; `type` says which.' });

export const eventBatchSchema = z
  .object({ events: z.array(eventSchema).max(10_000) })
  .strict()
  .register(requestSchemas, {
    id: 'EventBatch',
    description:
      'Up to 10,000 events or 10 MB, all or nothing. As NDJSON (application/x-ndjson): one Event a line.',
  });

export const ingestResultSchema = z
  .object({
    accepted: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .register(responseSchemas, { id: 'IngestResult' });

export type IngestResult = z.infer<typeof ingestResultSchema>;
