import { z } from 'zod';
import { isoTimeOut, responseSchemas } from '../openapi/contract.registry.js';

/** GET /api/health: 200 when ok, 503 when degraded (database unreachable or migrations pending). */
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({
      reachable: z.boolean(),
      migrations_pending: z.number().int().nullable(),
    }),
    sources: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        last_sync: z
          .object({
            status: z.string(),
            started_at: isoTimeOut,
            finished_at: isoTimeOut.nullable(),
          })
          .nullable(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'Health' });

export type Health = z.infer<typeof healthSchema>;
