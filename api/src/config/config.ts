import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { CronTime } from 'cron';
import { z } from 'zod';
import {
  type Collector,
  collectors as registeredCollectors,
  cron,
  envName,
  regex,
  type SourceBase,
} from '@lastmile/collectors';
import { SecretScrubber, sourceEnvProblems } from './secrets.js';

// The one place that reads process.env and the config file. Everything else receives AppConfig.

/**
 * Why a cron expression cannot be scheduled, or undefined: its next run is computed, so one that
 * never fires ("0 0 0 31 2 *") is refused before anything is stored.
 */
export function cronProblem(expression: string, timeZone = 'UTC'): string | undefined {
  try {
    new CronTime(expression, timeZone).sendAt();
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    if (/No execution date/i.test(message)) return 'never fires: no run in the next 8 years';
    return `is not a valid cron expression: ${message.split('\n')[0]}`;
  }
}

const repoName = z
  .string()
  .max(300, 'must be at most 300 characters')
  .regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"');
// A team's repositories: GitHub's "owner/name", or a GitLab project's full path with its subgroups.
const teamRepo = z
  .string()
  .max(300, 'must be at most 300 characters')
  .regex(
    /^[\w.-]+(\/[\w.-]+)+$/,
    'must be "owner/name" or a GitLab project\'s full path "group/subgroup/project"',
  );

/** A source's config as stored and handed to its collector: its kind's fields, checked by its schema. */
export type SourceConfig = SourceBase & Record<string, unknown>;

/**
 * The sources union, built from the registered collectors: each kind's own schema, chosen by
 * `kind`. An unknown kind is named with the kinds there are.
 */
export function sourceSchemaOf(kinds: readonly Collector[]): z.ZodType<SourceConfig> {
  const names = kinds.map((collector) => collector.kind);
  const schemas = kinds.map((collector) => collector.schema) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ];
  return z.discriminatedUnion('kind', schemas, {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be one of ${names.map((name) => `"${name}"`).join(', ')}`
        : undefined,
  }) as unknown as z.ZodType<SourceConfig>;
}

export const sourceSchema = sourceSchemaOf(registeredCollectors);

const modelPart = z
  .string()
  .min(1)
  .refine((value) => Buffer.byteLength(value) <= 500, 'must be at most 500 bytes in UTF-8');

export const teamSchema = z
  .object({
    name: z
      .string()
      .max(100, 'must be at most 100 characters')
      .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"'),
    repos: z.array(teamRepo).default([]),
    models: z.array(z.object({ registry: modelPart, model: modelPart }).strict()).default([]),
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

export function fileConfigSchemaOf(kinds: readonly Collector[]) {
  return z
    .object({
      timezone: z.string().default('UTC'),
      production_environment: regex.default('^(prod|production)$'),
      sources: z.array(sourceSchemaOf(kinds)).default([]),
      /** Variables, beyond the documented pattern, that API-made sources may name. */
      source_env_allowlist: z.array(envName).default([]),
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
}
export const fileConfigSchema = fileConfigSchemaOf(registeredCollectors);
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
  /** The source kinds this app knows: the registered collectors (tests add their own). */
  collectors: readonly Collector[];
  /** Reads a secret by the environment variable name that the config refers to. */
  secret(name: string | undefined): string | undefined;
  /** Scrubs every secret value the server knows out of text that is stored or logged. */
  secrets: SecretScrubber;
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

/**
 * A zod issue in the words every 400 and config error uses: a missing field "is required" and
 * unknown fields are named, rather than zod's "Invalid input: expected string, received undefined".
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

/** Each issue of a failed parse as a 400's details: the field's path and what is wrong with it. */
export function issueDetails(
  error: z.ZodError,
  root = '(body)',
): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath(issue.path) || root,
    message: issueMessage(issue),
  }));
}

function timeZoneProblem(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return undefined;
  } catch {
    return `timezone: "${tz}" is not an IANA time zone`;
  }
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  collectors: readonly Collector[] = registeredCollectors,
): AppConfig {
  const schema = fileConfigSchemaOf(collectors);
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
  let file: FileConfig = schema.parse({});
  if (configPath) {
    let raw: unknown;
    try {
      raw = YAML.parse(readFileSync(resolve(configPath), 'utf8')) ?? {};
    } catch (error) {
      problems.push(`LASTMILE_CONFIG: cannot read "${configPath}": ${(error as Error).message}`);
    }
    if (raw !== undefined) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        file = parsed.data;
        problems.push(...checkFileConfig(file));
      } else {
        for (const issue of parsed.error.issues) {
          problems.push(
            `${configPath}: ${formatIssuePath(issue.path) || '(root)'}: ${issueMessage(issue)}`,
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
    collectors,
    secret: (name) => (name ? env[name] || undefined : undefined),
    secrets: new SecretScrubber(env, file),
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
  file.sources.forEach((source, i) => {
    for (const problem of sourceEnvProblems(source, file, 'config'))
      problems.push(`sources[${i}].${problem.path}: ${problem.message}`);
    const schedule =
      typeof source.schedule === 'string' && !tz
        ? cronProblem(source.schedule, file.timezone)
        : undefined;
    if (schedule) problems.push(`sources[${i}].schedule: ${schedule}`);
  });
  const reportSchedule = tz ? undefined : cronProblem(file.reports.schedule, file.timezone);
  if (reportSchedule) problems.push(`reports.schedule: ${reportSchedule}`);
  const teamNames = new Set(file.teams.map((t) => t.name));
  file.reports.teams.forEach((team, i) => {
    if (!teamNames.has(team))
      problems.push(`reports.teams[${i}]: "${team}" is not a declared team`);
  });
  return problems;
}
