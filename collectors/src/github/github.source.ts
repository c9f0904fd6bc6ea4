import { z } from 'zod';
import { cron, envName, regex, sourceName } from '../source-fields.js';

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"');

/** A GitHub source, as the config file and the sources API take it. */
export const githubSourceSchema = z
  .object({
    kind: z.literal('github'),
    name: sourceName,
    base_url: z.url().default('https://api.github.com').meta({
      title: 'API URL',
      description:
        "GitHub's REST API: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.",
    }),
    token_env: envName.optional().meta({
      title: 'Token variable',
      description:
        'Environment variable holding a token that can read the repositories (GITHUB_* or *_TOKEN). Needed unless the GitHub App variables are set.',
    }),
    app_id_env: envName.optional().meta({
      title: 'GitHub App ID variable',
      description:
        "Environment variable holding a GitHub App's ID (GITHUB_*), in place of a token; with the private key and installation ID variables.",
    }),
    app_private_key_env: envName.optional().meta({
      title: 'GitHub App private key variable',
      description:
        "Environment variable holding the GitHub App's private key, PEM (GITHUB_* or *_KEY).",
    }),
    app_installation_id_env: envName.optional().meta({
      title: 'GitHub App installation variable',
      description:
        "Environment variable holding the App installation's ID (GITHUB_*); left out, the installation on the repositories' owner is used.",
    }),
    repos: z.array(repoName).default([]).meta({
      title: 'Repositories',
      description: 'Repositories as "owner/name". Needed unless an organisation is given.',
    }),
    org: z.string().min(1).optional().meta({
      title: 'Or an organisation',
      description:
        'Every repository of this organisation or user, filtered by the include and exclude patterns.',
    }),
    include: z.array(regex).default([]).meta({
      title: 'Include patterns',
      description:
        "With an organisation: regular expressions on a repository's name; only repositories matching one are read.",
    }),
    exclude: z.array(regex).default([]).meta({
      title: 'Exclude patterns',
      description:
        "With an organisation: regular expressions on a repository's name; repositories matching one are skipped.",
    }),
    deployments_from: z
      .enum(['deployments', 'workflow_runs', 'releases'])
      .default('deployments')
      .meta({
        description:
          'What counts as a deployment: GitHub Deployments, workflow runs (those the workflow pattern matches), or releases.',
      }),
    production_environment: regex.default('^(prod|production)$').meta({
      description:
        "Regular expression (case-insensitive) a deployment's environment must match to count as production.",
    }),
    workflow_pattern: regex.optional().meta({
      description:
        "With workflow runs: a regular expression on the workflow run's name; only matching runs are deployments.",
    }),
    incident_label: z.string().min(1).default('incident').meta({
      description: 'Issues carrying this label are incidents.',
    }),
    schedule: cron.default('0 */30 * * * *'),
    webhook_secret_env: envName.optional().meta({
      title: 'Webhook secret variable',
      description:
        "Environment variable holding the secret of the repository's or organisation's webhook to POST /api/v1/webhooks/github (GITHUB_* or *_SECRET).",
    }),
    api: z.enum(['graphql', 'rest', 'auto']).default('auto').meta({
      title: 'Read through',
      description:
        'How pull requests and deployments are read: GraphQL (100 PRs with their commits, reviews and comments a query), REST (a request per list page and two per merged PR, with ETags), or auto: GraphQL for a backfill and a large gap, REST with ETags for the polls of a quiet repository.',
    }),
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
