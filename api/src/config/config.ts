import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

// The one place that reads process.env and the config file. Everything else receives AppConfig.

const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression of 5 or 6 fields');
const regex = z.string().refine((value) => {
  try {
    new RegExp(value, 'i');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"');

export const githubSourceSchema = z
  .object({
    kind: z.literal('github'),
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"'),
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

export const mlflowSourceSchema = z
  .object({
    kind: z.literal('mlflow'),
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"'),
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

export const sourceSchema = z.discriminatedUnion('kind', [githubSourceSchema, mlflowSourceSchema]);
export type SourceConfig = z.infer<typeof sourceSchema>;
export type GithubSourceConfig = z.infer<typeof githubSourceSchema>;
export type MlflowSourceConfig = z.infer<typeof mlflowSourceSchema>;

export const teamSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"'),
    repos: z.array(repoName).default([]),
    models: z
      .array(z.object({ registry: z.string().min(1), model: z.string().min(1) }).strict())
      .default([]),
  })
  .strict();

const channelSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('slack'), name: z.string().min(1), webhook_url_env: envName })
    .strict(),
  z
    .object({
      kind: z.literal('email'),
      name: z.string().min(1),
      smtp_url_env: envName,
      from: z.string().min(3),
      to: z.array(z.string().min(3)).min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('github_issue'),
      name: z.string().min(1),
      repo: repoName,
      base_url: z.url().default('https://api.github.com'),
      token_env: envName,
      labels: z.array(z.string()).default(['lastmile-report']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('webhook'),
      name: z.string().min(1),
      url_env: envName,
      secret_env: envName.optional(),
    })
    .strict(),
]);
export type ChannelConfig = z.infer<typeof channelSchema>;

export const fileConfigSchema = z
  .object({
    timezone: z.string().default('UTC'),
    production_environment: regex.default('^(prod|production)$'),
    sources: z.array(sourceSchema).default([]),
    teams: z.array(teamSchema).default([]),
    reports: z
      .object({
        schedule: cron.default('0 0 8 * * 1'),
        teams: z.array(z.string()).default([]),
        channels: z.array(channelSchema).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type FileConfig = z.infer<typeof fileConfigSchema>;

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  configPath: string | undefined;
  adminToken: string | undefined;
  readToken: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  file: FileConfig;
  /** Reads a secret by the environment variable name that the config refers to. */
  secret(name: string | undefined): string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

function timeZoneProblem(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return undefined;
  } catch {
    return `timezone: "${tz}" is not an IANA time zone`;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT: "${env.PORT}" must be a port number (0-65535)`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as AppConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL: "${env.LOG_LEVEL}" must be one of debug, info, warn, error`);
  }
  for (const name of ['LASTMILE_ADMIN_TOKEN', 'LASTMILE_READ_TOKEN'] as const) {
    const value = env[name];
    if (value !== undefined && value !== '' && value.length < 16) {
      problems.push(`${name}: must be at least 16 characters`);
    }
  }

  const configPath = env.LASTMILE_CONFIG || undefined;
  let file: FileConfig = fileConfigSchema.parse({});
  if (configPath) {
    let raw: unknown;
    try {
      raw = YAML.parse(readFileSync(resolve(configPath), 'utf8')) ?? {};
    } catch (error) {
      problems.push(`LASTMILE_CONFIG: cannot read "${configPath}": ${(error as Error).message}`);
    }
    if (raw !== undefined) {
      const parsed = fileConfigSchema.safeParse(raw);
      if (parsed.success) {
        file = parsed.data;
        problems.push(...checkFileConfig(file));
      } else {
        for (const issue of parsed.error.issues) {
          problems.push(
            `${configPath}: ${formatIssuePath(issue.path) || '(root)'}: ${issue.message}`,
          );
        }
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.LASTMILE_DATA_DIR || './.lastmile'),
    configPath,
    adminToken: env.LASTMILE_ADMIN_TOKEN || undefined,
    readToken: env.LASTMILE_READ_TOKEN || undefined,
    logLevel,
    file,
    secret: (name) => (name ? env[name] || undefined : undefined),
  };
}

function checkFileConfig(file: FileConfig): string[] {
  const problems: string[] = [];
  const tz = timeZoneProblem(file.timezone);
  if (tz) problems.push(tz);
  const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
  for (const name of duplicates(file.sources.map((s) => s.name))) {
    problems.push(`sources: the name "${name}" is used twice`);
  }
  for (const name of duplicates(file.teams.map((t) => t.name))) {
    problems.push(`teams: the name "${name}" is used twice`);
  }
  const teamNames = new Set(file.teams.map((t) => t.name));
  file.reports.teams.forEach((team, i) => {
    if (!teamNames.has(team))
      problems.push(`reports.teams[${i}]: "${team}" is not a declared team`);
  });
  return problems;
}
