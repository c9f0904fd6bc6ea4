// The decisions API's shapes (api.md, "Decisions"): the contract's schemas and their types.

import { z } from 'zod';
import { isoTimeOut, responseSchemas } from '../openapi/contract.registry.js';
import { decisionSummarySchema } from './comparison.types.js';

export const decisionKindSchema = z.enum(['buy', 'build', 'other']);
export type DecisionKind = z.infer<typeof decisionKindSchema>;

/** What a decision touched: the union of what is named; a team stands for its repos and models. */
export const decisionScopeSchema = z
  .object({
    teams: z.array(z.string()),
    repos: z.array(z.string()),
    /** "registry/model", or a model name alone (every registry). */
    models: z
      .array(z.string())
      .meta({ description: '"registry/model", or a model name alone (every registry)' }),
  })
  .register(responseSchemas, { id: 'DecisionScope' });
export type DecisionScope = z.infer<typeof decisionScopeSchema>;

const decisionInputFields = {
  title: z.string(),
  kind: decisionKindSchema,
  vendor: z.string().nullable(),
  description: z.string().nullable(),
  effective_at: isoTimeOut,
  scope: decisionScopeSchema,
};

export const decisionSchema = z
  .object({
    id: z.number().int(),
    ...decisionInputFields,
    created_at: isoTimeOut,
    updated_at: isoTimeOut,
    /** On GET (list and one), not on writes; null when the scope names a deleted team. */
    summary: decisionSummarySchema.nullable().optional().meta({
      description:
        "the default reading's summary (12-week windows, 2 weeks of ramp-up, auto control) on GET; null when the scope names a deleted team",
    }),
  })
  .register(responseSchemas, { id: 'Decision' });

export const decisionListSchema = z
  .object({ decisions: z.array(decisionSchema) })
  .register(responseSchemas, { id: 'DecisionList' });

export type DecisionInput = z.infer<z.ZodObject<typeof decisionInputFields>>;
export type Decision = z.infer<typeof decisionSchema>;

export interface DecisionListFilter {
  team?: string;
  from?: Date;
  to?: Date;
}
