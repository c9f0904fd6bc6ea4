import { z } from 'zod';
import { cron, envName, httpUrl, sourceName } from '../source-fields.js';

/** A Databricks Unity Catalog model registry, as the config file and the sources API take it. */
export const databricksUcSourceSchema = z
  .object({
    kind: z.literal('databricks_uc'),
    name: sourceName,
    /** The workspace URL, e.g. https://dbc-1234.cloud.databricks.com. */
    host: httpUrl,
    token_env: envName,
    catalogs: z.array(z.string().regex(/^[^.\s]+$/, 'must be a catalog name')).optional(),
    schemas: z
      .array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'must be catalog-qualified, e.g. "main.ml"'))
      .optional(),
    production_aliases: z.array(z.string().min(1)).default(['champion', 'prod', 'production']),
    schedule: cron.default('0 */10 * * * *'),
  })
  .strict();

export type DatabricksUcSource = z.output<typeof databricksUcSourceSchema>;
