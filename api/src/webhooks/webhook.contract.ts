import { z } from 'zod';
import { responseSchemas } from '../openapi/contract.registry.js';

// What a webhook delivery is answered with (api.md, "Webhooks").

const status = z.enum(['stored', 'duplicate', 'ignored']).meta({
  description:
    'stored; duplicate: a delivery id seen before; ignored: an event Lastmile does not use, or a payload older than what is stored (the reason says which)',
});

export const githubDeliveryResultSchema = z
  .object({
    status,
    /** The GitHub sources the delivery was stored for. */
    sources: z.array(z.string()).optional(),
    events: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .register(responseSchemas, { id: 'GithubDeliveryResult' });

export const mlflowDeliveryResultSchema = z
  .object({
    status,
    source: z.string(),
    events: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .register(responseSchemas, { id: 'MlflowDeliveryResult' });

/** GitLab's and SageMaker's deliveries: each may be stored for several sources. */
export const deliveryResultSchema = z
  .object({
    status,
    sources: z.array(z.string()).optional(),
    events: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .register(responseSchemas, { id: 'DeliveryResult' });

export type DeliveryResult = z.infer<typeof deliveryResultSchema>;
export type GithubDeliveryResult = z.infer<typeof githubDeliveryResultSchema>;
export type MlflowDeliveryResult = z.infer<typeof mlflowDeliveryResultSchema>;
