import { z } from 'zod';
import { cron, envName, sourceName } from '../source-fields.js';

/** An MLflow registry source, as the config file and the sources API take it. */
export const mlflowSourceSchema = z
  .object({
    kind: z.literal('mlflow'),
    name: sourceName,
    base_url: z.url(),
    token_env: envName.optional(),
    username_env: envName.optional(),
    password_env: envName.optional(),
    production_stages: z.array(z.string().min(1)).default(['Production']),
    production_aliases: z.array(z.string().min(1)).default(['production', 'prod', 'champion']),
    schedule: cron.default('0 */10 * * * *'),
    webhook_secret_env: envName.optional(),
  })
  .strict();

export type MlflowSource = z.output<typeof mlflowSourceSchema>;
