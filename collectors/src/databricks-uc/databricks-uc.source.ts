import { z } from 'zod';
import { cron, envName, httpUrl, sourceName } from '../source-fields.js';

/** A Databricks Unity Catalog model registry, as the config file and the sources API take it. */
export const databricksUcSourceSchema = z
  .object({
    kind: z.literal('databricks_uc'),
    name: sourceName,
    host: httpUrl.meta({
      title: 'Workspace URL',
      description: 'The Databricks workspace, e.g. https://dbc-1234.cloud.databricks.com.',
    }),
    token_env: envName.meta({
      title: 'Token variable',
      description:
        "Environment variable holding a token whose principal has USE CATALOG and USE SCHEMA on the models' catalogs and schemas and EXECUTE on the models (DATABRICKS_* or *_TOKEN).",
    }),
    catalogs: z
      .array(z.string().regex(/^[^.\s]+$/, 'must be a catalog name'))
      .optional()
      .meta({
        description:
          'Read the models of these catalogs. With neither catalogs nor schemas, every model the token can read.',
      }),
    schemas: z
      .array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'must be catalog-qualified, e.g. "main.ml"'))
      .optional()
      .meta({ description: 'Read the models of these schemas, catalog-qualified ("main.ml").' }),
    production_aliases: z
      .array(z.string().min(1))
      .default(['champion', 'prod', 'production'])
      .meta({ description: 'A version is in production while it holds one of these aliases.' }),
    schedule: cron.default('0 */10 * * * *'),
  })
  .strict();

export type DatabricksUcSource = z.output<typeof databricksUcSourceSchema>;
