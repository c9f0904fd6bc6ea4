import { z } from 'zod';
import { cron, envName, httpUrl, sourceName } from '../source-fields.js';

/** A Vertex AI Model Registry, as the config file and the sources API take it. */
export const vertexAiSourceSchema = z
  .object({
    kind: z.literal('vertex_ai'),
    name: sourceName,
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a project id or number')
      .meta({
        title: 'Project',
        description: 'The Google Cloud project id or number, e.g. acme-ml.',
      }),
    location: z
      .string()
      .regex(/^[a-z]+(-[a-z0-9]+)+$/, 'must be a region, e.g. "us-central1"')
      .meta({ description: "The registry's region, e.g. europe-west4." }),
    api_endpoint: httpUrl.optional().meta({
      title: 'API endpoint',
      description: 'Left out, https://<location>-aiplatform.googleapis.com.',
    }),
    credentials_env: envName.meta({
      title: 'Key file variable',
      description:
        'Environment variable holding the path of a service-account key file (JSON) with aiplatform.models.list and aiplatform.models.get (VERTEX_*, GOOGLE_* or *_CREDENTIALS).',
    }),
    production_aliases: z
      .array(z.string().min(1))
      .refine((aliases) => !aliases.some((alias) => alias.toLowerCase() === 'default'), {
        message:
          'must not hold "default": it names the version a bare model resolves to, not production',
      })
      .default(['prod', 'production', 'champion'])
      .meta({
        description:
          'A version is in production while it holds one of these aliases ("default" never counts).',
      }),
    schedule: cron.default('0 */10 * * * *'),
  })
  .strict();

export type VertexAiSource = z.output<typeof vertexAiSourceSchema>;

export function vertexApiEndpoint(source: VertexAiSource): string {
  return (source.api_endpoint ?? `https://${source.location}-aiplatform.googleapis.com`).replace(
    /\/+$/,
    '',
  );
}
