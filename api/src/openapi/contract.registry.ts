import { z } from 'zod';

// The public contract's named schemas. Each module registers the zod schemas it validates requests
// with and types its responses by; the OpenAPI document (openapi-document.ts) is generated from
// these two registries, so the contract has one home: the code that enforces it.

export interface ContractMeta {
  /** The name under components.schemas. */
  id: string;
  description?: string;
}

/** Request bodies, read as the server accepts them (a field with a default may be left out). */
export const requestSchemas = z.registry<ContractMeta>();

/** Response bodies, as the server sends them. */
export const responseSchemas = z.registry<ContractMeta>();

export function schemaRef(id: string): { $ref: string } {
  return { $ref: `#/components/schemas/${id}` };
}

export function idOf(registry: typeof requestSchemas, schema: z.ZodType): string {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('This schema is not registered in the contract');
  return id;
}

/** ISO 8601 times in responses are UTC with a Z (api.md). */
export const isoTimeOut = z.string().meta({
  description: 'ISO 8601 time, UTC',
  examples: ['2026-03-02T10:06:00.000Z'],
});

/** Durations are seconds. */
export const seconds = z.number().meta({ description: 'seconds' });
