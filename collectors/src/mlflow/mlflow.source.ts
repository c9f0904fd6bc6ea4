import { z } from 'zod';
import { cron, envName, sourceName } from '../source-fields.js';

/** An MLflow registry source, as the config file and the sources API take it. */
export const mlflowSourceSchema = z
  .object({
    kind: z.literal('mlflow'),
    name: sourceName,
    base_url: z.url().meta({
      title: 'Tracking server URL',
      description:
        'The MLflow tracking server (open source or Databricks), e.g. https://mlflow.example.com; its REST API is under /api/2.0/mlflow/.',
    }),
    token_env: envName.optional().meta({
      title: 'Token variable',
      description:
        'Environment variable holding a bearer token (MLFLOW_* or *_TOKEN); or use the username and password variables.',
    }),
    username_env: envName.optional().meta({
      title: 'Basic auth user variable',
      description: 'Environment variable holding the basic auth user (MLFLOW_* or *_USERNAME).',
    }),
    password_env: envName.optional().meta({
      title: 'Basic auth password variable',
      description: 'Environment variable holding the basic auth password (MLFLOW_* or *_PASSWORD).',
    }),
    production_stages: z
      .array(z.string().min(1))
      .default(['Production'])
      .meta({ description: 'A version is in production while its stage is one of these.' }),
    production_aliases: z
      .array(z.string().min(1))
      .default(['production', 'prod', 'champion'])
      .meta({ description: 'A version is in production while it holds one of these aliases.' }),
    schedule: cron.default('0 */10 * * * *'),
    webhook_secret_env: envName.optional().meta({
      title: 'Webhook secret variable',
      description:
        "Environment variable holding the secret of MLflow's registry webhook to POST /api/v1/webhooks/mlflow (MLFLOW_* or *_SECRET).",
    }),
  })
  .strict();

export type MlflowSource = z.output<typeof mlflowSourceSchema>;
