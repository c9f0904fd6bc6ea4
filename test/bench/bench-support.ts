import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

// What the HTTP benchmarks share: a fresh database on the server, the real API started as its own
// process from the build (so its memory is measured alone), and the arithmetic of the figures.

export const ROOT = resolve(import.meta.dirname, '../..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const MAIN = join(ROOT, 'api/dist/api/src/main.js');
const MIGRATE = join(ROOT, 'api/dist/api/src/cli/migrate.js');
/** How package.json's start script and the Dockerfile start the API (its heap limit). */
const API_NODE_FLAGS = ['--max-old-space-size=256'];

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(
      'Set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test\n',
    );
    process.exit(2);
  }
  if (!existsSync(MAIN)) {
    process.stderr.write('The API is not built: run `npm run build` first.\n');
    process.exit(2);
  }
  return url;
}

export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs work on a connection of its own to the given server or database, then closes it. */
export async function admin<T>(
  server: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const createDatabase = (server: string, name: string) =>
  admin(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    await client.query(`CREATE DATABASE "${name}"`);
  });

export const dropDatabase = (server: string, name: string) =>
  admin(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

/** The database's comment, used as a "fully loaded" marker by benchmarks that keep their data. */
export const databaseComment = (server: string, name: string) =>
  admin(server, async (client) => {
    const { rows } = await client.query(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows.length === 0 ? undefined : ((rows[0].comment as string | null) ?? '');
  });

/**
 * VACUUM ANALYZE of a loaded database: what autovacuum would do a minute after a load, done at
 * once (and done at all on servers that run with autovacuum off, as this machine's does).
 */
export const vacuumAnalyze = (server: string, name: string) =>
  admin(databaseUrl(server, name), (client) => client.query('VACUUM ANALYZE'));

export const setDatabaseComment = (server: string, name: string, comment: string) =>
  admin(server, (client) =>
    client.query(`COMMENT ON DATABASE "${name}" IS '${comment.replace(/'/g, "''")}'`),
  );

export function migrateDatabase(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MIGRATE], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'ignore',
    });
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`migrate exited with ${code}`)),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === 'object' ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Samples a process's resident memory every 100 ms; VmHWM is the kernel's own peak. */
export class RssSampler {
  peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  sample(): number {
    const rss = statusField(this.pid, 'VmRSS');
    if (rss > this.peakBytes) this.peakBytes = rss;
    return rss;
  }

  kernelPeakBytes(): number {
    return statusField(this.pid, 'VmHWM');
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface RunningApi {
  url: string;
  pid: number;
  rss: RssSampler;
  stop(): Promise<void>;
}

/**
 * The real API from the build, on a free port, against the given database, or on its embedded
 * engine (a data directory of its own) when there is none.
 */
export async function startApi(database: string | undefined): Promise<RunningApi> {
  const port = await freePort();
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [...API_NODE_FLAGS, MAIN], {
    cwd: ROOT,
    env: {
      ...inherited,
      ...(database ? { DATABASE_URL: database } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      LASTMILE_ADMIN_TOKEN: ADMIN_TOKEN,
      LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-bench-')),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error('the API did not start within a minute');
    await new Promise((done) => setTimeout(done, 100));
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    rss: new RssSampler(pid),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function postEvents(
  api: RunningApi,
  body: string,
): Promise<{ accepted: number; inserted: number; updated: number; unchanged: number }> {
  const response = await fetch(`${api.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
    body,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`POST /api/v1/events answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** percentile_cont's interpolation. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} needs a positive number\n`);
    process.exit(2);
  }
  return value;
}

export const flag = (name: string) => process.argv.includes(`--${name}`);
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const thousands = (value: number) => Math.round(value).toLocaleString('en');

/**
 * The machine's own speed, printed beside each benchmark's figures so runs on different machines
 * can be compared: machines of the same kind here have differed by twice in the COPY rate. Two
 * fixed tasks, median of five runs each: PostgreSQL sorting 1,000,000 float8 values (what the
 * duration metrics spend most of their time on), and Node.js hashing 20 MB of JSON text.
 */
export async function machineYardstick(server: string): Promise<string> {
  const sortMs = await admin(server, async (client) => {
    const times: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const started = process.hrtime.bigint();
      await client.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (i * 2654435761::int8 % 4294967291)::float8)
         FROM generate_series(1, 1000000) AS i`,
      );
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return percentile(times, 0.5);
  });
  const text = JSON.stringify(
    Array.from({ length: 100_000 }, (_, i) => ({
      id: `pr-${i}`,
      at: new Date(i * 1000).toISOString(),
    })),
  ).repeat(4);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = process.hrtime.bigint();
    createHash('sha1').update(text).digest('hex');
    JSON.parse(text.slice(0, text.length / 4));
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return `machine    PostgreSQL sorts 1M float8 in ${sortMs.toFixed(0)} ms; Node.js hashes 20 MB and parses 5 MB of JSON in ${percentile(times, 0.5).toFixed(0)} ms (medians of 5)`;
}
