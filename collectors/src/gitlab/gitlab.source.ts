import { z } from 'zod';
import { cron, envName, httpUrl, regex, sourceName } from '../source-fields.js';
import { DEFAULT_BOT_PATTERN } from './gitlab.mapper.js';

const SEGMENT = '[\\w.-]+';
/** A project's full path: its group, any subgroups, and its own path. */
export const gitlabProjectPath = z
  .string()
  .regex(
    new RegExp(`^${SEGMENT}(/${SEGMENT})+$`),
    'must be a project\'s full path, "group/project" or "group/subgroup/project"',
  );

/** A GitLab source (gitlab.com or a self-managed instance), as the config file and the API take it. */
export const gitlabSourceSchema = z
  .object({
    kind: z.literal('gitlab'),
    name: sourceName,
    base_url: httpUrl.default('https://gitlab.com').meta({
      title: 'Instance URL',
      description:
        'gitlab.com or a self-managed instance, e.g. https://gitlab.example.com (https://example.com/gitlab under a relative URL root).',
    }),
    token_env: envName.meta({
      title: 'Token variable',
      description:
        'Environment variable holding a personal, group or project access token with the read_api scope (GITLAB_* or *_TOKEN).',
    }),
    projects: z.array(gitlabProjectPath).default([]).meta({
      description:
        'Projects by full path, "group/project" or "group/subgroup/project". Needed unless a group is given.',
    }),
    group: z
      .string()
      .regex(
        new RegExp(`^${SEGMENT}(/${SEGMENT})*$`),
        'must be a group\'s full path, "group" or "group/subgroup"',
      )
      .optional()
      .meta({
        title: 'Or a group',
        description:
          'Every project of this group and its subgroups ("group" or "group/subgroup"), filtered by the include and exclude patterns.',
      }),
    include: z.array(regex).default([]).meta({
      title: 'Include patterns',
      description:
        "With a group: regular expressions on a project's path within the group (ml/serving in group acme); only projects matching one are read.",
    }),
    exclude: z.array(regex).default([]).meta({
      title: 'Exclude patterns',
      description:
        "With a group: regular expressions on a project's path within the group; projects matching one are skipped.",
    }),
    deployments_from: z.enum(['deployments', 'pipelines', 'releases']).default('deployments').meta({
      description:
        'What counts as a deployment: GitLab deployments, pipelines on the default branch (those the pipeline pattern matches), or releases.',
    }),
    production_environment: regex.default('^(prod|production)$').meta({
      description:
        "Regular expression (case-insensitive) a deployment's environment (or a pipeline's name) must match to count as production.",
    }),
    pipeline_pattern: regex.optional().meta({
      description:
        "With pipelines: a regular expression on the pipeline's name; only matching pipelines are deployments.",
    }),
    incident_label: z.string().min(1).optional().meta({
      description: 'Issues carrying this label are incidents, beside issues of type incident.',
    }),
    bot_pattern: regex.default(DEFAULT_BOT_PATTERN).meta({
      description:
        'Regular expression on a username: matching authors are bots, beside the users GitLab marks as bots and its access-token users.',
    }),
    webhook_secret_env: envName.optional().meta({
      title: 'Webhook secret variable',
      description:
        "Environment variable holding the secret token of the project's or group's webhook to POST /api/v1/webhooks/gitlab (GITLAB_* or *_SECRET).",
    }),
    schedule: cron.default('0 */30 * * * *'),
  })
  .strict()
  .refine((s) => s.projects.length > 0 || s.group !== undefined, {
    message: 'needs "projects" or "group"',
    path: ['projects'],
  });

export type GitlabSource = z.output<typeof gitlabSourceSchema>;
