import { z } from 'zod';
import { cron, envName, httpUrl, regex, sourceName } from '../source-fields.js';

/** A SageMaker Model Registry, as the config file and the sources API take it. */
export const sagemakerSourceSchema = z
  .object({
    kind: z.literal('sagemaker'),
    name: sourceName,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region, e.g. "us-east-1"'),
    /** Another endpoint than the region's (a VPC endpoint, a test's stand-in). */
    endpoint_url: httpUrl.optional(),
    /**
     * approved: a version is in production while its package is Approved; endpoints: while an
     * InService endpoint whose name matches endpoint_pattern serves it.
     */
    production: z.enum(['approved', 'endpoints']).default('approved'),
    endpoint_pattern: regex.optional(),
    schedule: cron.default('0 */10 * * * *'),
    /** The variable holding the secret header value of POST /api/v1/webhooks/sagemaker. */
    secret_env: envName.optional(),
  })
  .strict()
  .refine((s) => s.production !== 'endpoints' || s.endpoint_pattern !== undefined, {
    message: 'needs "endpoint_pattern" when "production" is "endpoints"',
    path: ['endpoint_pattern'],
  });

export type SagemakerSource = z.output<typeof sagemakerSourceSchema>;
