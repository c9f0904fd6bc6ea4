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
    base_url: httpUrl.default('https://gitlab.com'),
    /** A personal, group or project access token with the read_api scope. */
    token_env: envName,
    projects: z.array(gitlabProjectPath).default([]),
    group: z
      .string()
      .regex(
        new RegExp(`^${SEGMENT}(/${SEGMENT})*$`),
        'must be a group\'s full path, "group" or "group/subgroup"',
      )
      .optional(),
    /** Patterns on a project's path within the group (`ml/serving` in group `acme`). */
    include: z.array(regex).default([]),
    exclude: z.array(regex).default([]),
    deployments_from: z.enum(['deployments', 'pipelines', 'releases']).default('deployments'),
    production_environment: regex.default('^(prod|production)$'),
    pipeline_pattern: regex.optional(),
    incident_label: z.string().min(1).optional(),
    bot_pattern: regex.default(DEFAULT_BOT_PATTERN),
    webhook_secret_env: envName.optional(),
    schedule: cron.default('0 */30 * * * *'),
  })
  .strict()
  .refine((s) => s.projects.length > 0 || s.group !== undefined, {
    message: 'needs "projects" or "group"',
    path: ['projects'],
  });

export type GitlabSource = z.output<typeof gitlabSourceSchema>;
