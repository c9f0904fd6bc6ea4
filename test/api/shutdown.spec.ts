import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SHUTDOWN_GRACE_MS } from '../../api/src/common/shutdown.js';

// SIGTERM while a 10,000-incident batch is written: the batch is written whole and answered, or
// not at all, and the process is gone within the stated bound. The built server, as `npm start`
// runs it (build first).
const MAIN = resolve(import.meta.dirname, '../../api/dist/api/src/main.js');
const TOKEN = 'shutdown-admin-token-0123456789';

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number>;
}

const INCIDENTS = Array.from({ length: 10_000 }, (_, i) => ({
  type: 'incident',
  id: `shutdown-${i}`,
  repo: `acme/repo-${i % 20}`,
  created_at: '2026-03-05T10:00:00Z',
  resolved_at: '2026-03-05T12:00:00Z',
}));

describe('shutdown', () => {
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `lastmile_shutdown_${Date.now().toString(36)}`;
  const database = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    await onServer(server, (c) => c.query(`CREATE DATABASE ${name}`));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await onServer(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  async function start(): Promise<Started> {
    const port = await freePort();
    const spawned = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database,
        PORT: String(port),
        LASTMILE_ADMIN_TOKEN: TOKEN,
        LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-shutdown-')),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    let output = '';
    spawned.stdout!.on('data', (chunk) => (output += chunk));
    spawned.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number>((done) => spawned.once('exit', () => done(Date.now())));
    for (let i = 0; ; i++) {
      if (spawned.exitCode !== null) throw new Error(`the server exited: ${output}`);
      if (
        await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error(`the server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child: spawned, port, output: () => output, exited };
  }

  const postIncidents = (port: number) =>
    fetch(`http://127.0.0.1:${port}/api/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ events: INCIDENTS }),
    }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { accepted?: number } }),
      () => ({ status: 0, body: {} as { accepted?: number } }),
    );

  const storedIncidents = () =>
    onServer(database, async (c) =>
      Number((await c.query(`SELECT count(*) AS n FROM incidents`)).rows[0].n),
    );

  it('finishes or rolls back a batch in flight on SIGTERM, and exits within the bound', async () => {
    const api = await start();
    const answer = postIncidents(api.port);
    // The batch is being written when the signal comes.
    await new Promise((r) => setTimeout(r, 700));
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const [{ status, body }, exitedAt] = await Promise.all([answer, api.exited]);
    expect(exitedAt - signalled).toBeLessThan(SHUTDOWN_GRACE_MS + 3_000);
    expect(api.output()).toContain('SIGTERM: finishing requests in flight');
    const stored = await storedIncidents();
    // Whole or nothing, and the client was told which.
    if (status === 200) {
      expect(body.accepted).toBe(10_000);
      expect(stored).toBe(10_000);
    } else {
      expect(stored).toBe(0);
    }
  });

  it('rolls back a batch still writing when the bound runs out, and exits at the bound', async () => {
    await onServer(database, (c) => c.query(`TRUNCATE incidents CASCADE`));
    const api = await start();
    // Another session holds the incidents table, so the batch cannot finish within the bound.
    const holder = new pg.Client({ connectionString: database });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE');
      const answer = postIncidents(api.port);
      for (let i = 0; ; i++) {
        const { rows } = await holder.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        if (rows[0].n > 0) break;
        if (i > 300) throw new Error('the batch never reached the incidents table');
        await new Promise((r) => setTimeout(r, 100));
      }
      const signalled = Date.now();
      api.child.kill('SIGTERM');
      const [{ status }, exitedAt] = await Promise.all([answer, api.exited]);
      expect(exitedAt - signalled).toBeGreaterThanOrEqual(SHUTDOWN_GRACE_MS - 500);
      expect(exitedAt - signalled).toBeLessThan(SHUTDOWN_GRACE_MS + 3_000);
      expect(status).not.toBe(200);
      expect(api.output()).toContain(
        `requests still in flight after ${SHUTDOWN_GRACE_MS / 1000} s: exiting`,
      );
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // The server's session never sent COMMIT: once the lock is gone, its transaction aborts.
    expect(await storedIncidents()).toBe(0);
  });
});
