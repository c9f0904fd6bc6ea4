import { z } from 'zod';
import { cron, envName, httpUrl, regex, sourceName } from '../source-fields.js';

/** A SageMaker Model Registry, as the config file and the sources API take it. */
export const sagemakerSourceSchema = z
  .object({
    kind: z.literal('sagemaker'),
    name: sourceName,
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region, e.g. "us-east-1"')
      .meta({
        title: 'AWS region',
        description:
          "The registry's AWS region, e.g. us-east-1. Credentials come from the server's standard AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE).",
      }),
    endpoint_url: httpUrl.optional().meta({
      title: 'Endpoint URL',
      description:
        "Another endpoint than the region's (a VPC endpoint, a test's stand-in); left out, the region's.",
    }),
    production: z.enum(['approved', 'endpoints']).default('approved').meta({
      description:
        'approved: a version is in production while its package is Approved; endpoints: while an InService endpoint whose name matches the endpoint pattern serves it.',
    }),
    endpoint_pattern: regex.optional().meta({
      description:
        "With endpoints: a regular expression on an endpoint's name, e.g. ^prod-. Needed then.",
    }),
    schedule: cron.default('0 */10 * * * *'),
    secret_env: envName.optional().meta({
      title: 'Webhook secret variable',
      description:
        'Environment variable holding the X-Lastmile-Secret header value of the EventBridge API destination to POST /api/v1/webhooks/sagemaker (SAGEMAKER_* or *_SECRET).',
    }),
  })
  .strict()
  .refine((s) => s.production !== 'endpoints' || s.endpoint_pattern !== undefined, {
    message: 'needs "endpoint_pattern" when "production" is "endpoints"',
    path: ['endpoint_pattern'],
  });

export type SagemakerSource = z.output<typeof sagemakerSourceSchema>;
