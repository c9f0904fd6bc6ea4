import { z } from 'zod';
import { cron, envName, httpUrl, sourceName } from '../source-fields.js';

/** A Vertex AI Model Registry, as the config file and the sources API take it. */
export const vertexAiSourceSchema = z
  .object({
    kind: z.literal('vertex_ai'),
    name: sourceName,
    project: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a project id or number'),
    location: z.string().regex(/^[a-z]+(-[a-z0-9]+)+$/, 'must be a region, e.g. "us-central1"'),
    /** Default: https://<location>-aiplatform.googleapis.com. */
    api_endpoint: httpUrl.optional(),
    /** The variable that holds the path of a service-account key file (JSON). */
    credentials_env: envName,
    production_aliases: z
      .array(z.string().min(1))
      .refine((aliases) => !aliases.some((alias) => alias.toLowerCase() === 'default'), {
        message:
          'must not hold "default": it names the version a bare model resolves to, not production',
      })
      .default(['prod', 'production', 'champion']),
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
