// Which environment variables a source may read, and the scrubbing of every secret value the
// server knows out of text that is stored or logged.

import type { ErrorDetail } from '../common/errors.js';

/** The server's own secrets: no source reads them, whatever the config says. */
export const SERVER_SECRET_NAMES = ['DATABASE_URL', 'LASTMILE_ADMIN_TOKEN', 'LASTMILE_READ_TOKEN'];

/**
 * What a source created through the API may name in a `*_env` key (or the config's allowlist): a
 * variable named for a source kind (GITHUB_*, MLFLOW_*, DATABRICKS_*, ...) or for a credential
 * (*_TOKEN, *_SECRET, *_KEY, *_PASSWORD, ...). Never HOME, PATH, SMTP_URL or the like.
 */
export const SOURCE_ENV_PATTERN =
  /^(?:(?:GITHUB|GH|GITLAB|GL|MLFLOW|DATABRICKS|UC|SAGEMAKER|SM|AWS|VERTEX|GOOGLE|LASTMILE)_[A-Z0-9_]+|[A-Z][A-Z0-9_]*_(?:TOKEN|SECRET|KEY|KEY_FILE|PASSWORD|USER|USERNAME|CREDENTIALS))$/;
export const SOURCE_ENV_RULE =
  'must name a variable named for a source kind (GITHUB_*, GITLAB_*, MLFLOW_*, DATABRICKS_*, UC_*, SAGEMAKER_*, SM_*, AWS_*, VERTEX_*, GOOGLE_*, LASTMILE_*) or a credential (*_TOKEN, *_SECRET, *_KEY, *_KEY_FILE, *_PASSWORD, *_USER, *_USERNAME, *_CREDENTIALS), or one listed in the config file\'s "source_env_allowlist"';

interface EnvNames {
  sources: readonly Record<string, unknown>[];
  reports: { channels: readonly Record<string, unknown>[] };
  source_env_allowlist: readonly string[];
}

/** The values of the `*_env` keys of an object, with their keys. */
export function envKeys(object: Record<string, unknown>): [string, string][] {
  return Object.entries(object).filter(
    (entry): entry is [string, string] => entry[0].endsWith('_env') && typeof entry[1] === 'string',
  );
}

/**
 * Server secrets: the fixed names and every variable a report channel names (an SMTP URL, a Slack
 * webhook), unless a config-file source names it too (one GitHub token for a source and the
 * report issue is the admin's choice).
 */
export function serverSecretNames(file: EnvNames): Set<string> {
  const sourceNames = new Set(file.sources.flatMap((s) => envKeys(s).map(([, name]) => name)));
  const names = new Set(SERVER_SECRET_NAMES);
  for (const channel of file.reports.channels)
    for (const [, name] of envKeys(channel)) if (!sourceNames.has(name)) names.add(name);
  return names;
}

/** Each `*_env` key of a source that names a variable it may not read. */
export function sourceEnvProblems(
  source: Record<string, unknown>,
  file: EnvNames,
  origin: 'config' | 'api',
): ErrorDetail[] {
  const secrets = serverSecretNames(file);
  const problems: ErrorDetail[] = [];
  for (const [key, name] of envKeys(source)) {
    if (SERVER_SECRET_NAMES.includes(name) || (origin === 'api' && secrets.has(name))) {
      problems.push({
        path: key,
        message: `names ${name}, a secret of the server's own; a source may not read it`,
      });
    } else if (
      origin === 'api' &&
      !SOURCE_ENV_PATTERN.test(name) &&
      !file.source_env_allowlist.includes(name)
    ) {
      problems.push({ path: key, message: SOURCE_ENV_RULE });
    }
  }
  return problems;
}

const REDACTED = '[redacted]';
/** An Authorization header, as HTTP, JSON or a log spells it: its value goes. */
const AUTHORIZATION =
  /(\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?)(?:(?:bearer|token|basic|digest)\s+)?[^\s"',;}]+/gi;
const BEARER = /\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Shorter values would scrub ordinary words out of messages. */
const MIN_SECRET_LENGTH = 4;

/**
 * Scrubs text of the values of every secret variable the server knows (the server's own, every
 * `*_env` the config file names, its allowlist, and every variable a source may name), of URL
 * passwords in them, and of Authorization header values. Values are read when scrubbing, so a
 * variable set after start is covered.
 */
export class SecretScrubber {
  private readonly extra = new Set<string>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly file: EnvNames,
  ) {}

  /** A secret that is not in the environment (the admin token kept in the data directory). */
  addValue(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.extra.add(value);
  }

  private names(): Set<string> {
    const names = serverSecretNames(this.file);
    for (const source of this.file.sources) for (const [, n] of envKeys(source)) names.add(n);
    for (const name of this.file.source_env_allowlist) names.add(name);
    for (const name of Object.keys(this.env)) if (SOURCE_ENV_PATTERN.test(name)) names.add(name);
    return names;
  }

  values(): string[] {
    const values = new Set(this.extra);
    for (const name of this.names()) {
      const value = this.env[name];
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      values.add(value);
      // As JSON and URLs spell it, where an upstream echoes it.
      values.add(JSON.stringify(value).slice(1, -1));
      values.add(encodeURIComponent(value));
      try {
        const url = new URL(value);
        if (url.password) {
          values.add(url.password);
          values.add(decodeURIComponent(url.password));
        }
      } catch {
        // Not a URL: the value alone.
      }
    }
    // Longest first, so a value holding another is replaced whole.
    return [...values]
      .filter((v) => v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values())
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out.replace(AUTHORIZATION, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
  }
}
