import { z } from 'zod';
import { cron, envName, regex, sourceName } from '../source-fields.js';

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"');

/** A GitHub source, as the config file and the sources API take it. */
export const githubSourceSchema = z
  .object({
    kind: z.literal('github'),
    name: sourceName,
    base_url: z.url().default('https://api.github.com'),
    token_env: envName.optional(),
    app_id_env: envName.optional(),
    app_private_key_env: envName.optional(),
    app_installation_id_env: envName.optional(),
    repos: z.array(repoName).default([]),
    org: z.string().min(1).optional(),
    include: z.array(regex).default([]),
    exclude: z.array(regex).default([]),
    deployments_from: z.enum(['deployments', 'workflow_runs', 'releases']).default('deployments'),
    production_environment: regex.default('^(prod|production)$'),
    workflow_pattern: regex.optional(),
    incident_label: z.string().min(1).default('incident'),
    schedule: cron.default('0 */30 * * * *'),
    webhook_secret_env: envName.optional(),
    /**
     * How pull requests and deployments are read: GraphQL (100 PRs with their commits, reviews and
     * comments a query), REST (a request per list page and two per merged PR, with ETags), or auto:
     * GraphQL for a backfill and a large gap, REST with ETags for the polls of a quiet repository.
     */
    api: z.enum(['graphql', 'rest', 'auto']).default('auto'),
  })
  .strict()
  .refine((s) => s.repos.length > 0 || s.org !== undefined, {
    message: 'needs "repos" or "org"',
    path: ['repos'],
  })
  .refine((s) => s.token_env !== undefined || s.app_id_env !== undefined, {
    message: 'needs "token_env" or the GitHub App variables ("app_id_env", "app_private_key_env")',
    path: ['token_env'],
  });

export type GithubSource = z.output<typeof githubSourceSchema>;
