import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `npm start` on the embedded default: the built server, a new data directory, no DATABASE_URL.
const MAIN = resolve(import.meta.dirname, '../../api/dist/api/src/main.js');
const REPORT = resolve(import.meta.dirname, '../../api/dist/api/src/cli/report.js');
const TOKEN = 'embedded-admin-token-0123456789';

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function startServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LASTMILE_DATA_DIR: dataDir,
    PORT: String(port),
    ...env,
  };
  const child = spawn(process.execPath, [MAIN], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // PGlite's start takes seconds, more on a busy machine: wait up to two minutes.
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      // The start is over once the person is told so.
      if (response.ok && output.includes('Lastmile is running'))
        return { child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /api/health: ${output}`);
}

// Nest runs the shutdown hooks (closing the pool and the engine), then re-raises the signal.
function stop(child: ChildProcess): Promise<string> {
  return new Promise((done) => {
    child.once('exit', (code, signal) =>
      done(code === 0 || signal === 'SIGTERM' ? 'stopped' : `exit ${code} ${signal}`),
    );
    child.kill('SIGTERM');
  });
}

/** The same incident each time: the first write inserts it, a later one finds it unchanged. */
async function postIncident(port: number, token: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      events: [{ type: 'incident', id: 'i-1', created_at: '2026-03-01T00:00:00Z' }],
    }),
  });
  return response.json();
}

describe('the embedded start', () => {
  it('serves health from a new data directory, and again after a restart with its data', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lastmile-embedded-')), 'data');
    const port = await freePort();

    const first = await startServer(dataDir, port);
    const made = first.output();
    expect(made).toContain('Lastmile made an admin token');
    const tokenFile = join(dataDir, 'admin-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const adminToken = made.match(/\n {2}(lm_\S+)\n/)![1];
    // What a person reads last before "running" is the token, not forty route-mapping lines.
    const running = made.indexOf('Lastmile is running');
    const notice = made.indexOf('\nLastmile made an admin token');
    expect(notice).toBeGreaterThan(-1);
    expect(made.slice(notice, running)).toMatch(
      /^\nLastmile made an admin token[^\n]*\n\n {2}lm_\S+\n\n[^\n]*LASTMILE_ADMIN_TOKEN\.\n\n$/,
    );
    expect(made).not.toContain('Mapped {');

    // `npm run report` on the data directory the server holds: one sentence naming the holder.
    const report = spawnSync(process.execPath, [REPORT], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LASTMILE_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(report.status).toBe(2);
    expect(report.stdout).toBe('');
    const lines = report.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`is in use by process ${first.child.pid} (node ${MAIN})`);
    expect(lines[0]).toContain('stop that process first, or set DATABASE_URL');
    expect(await postIncident(port, adminToken)).toEqual({
      accepted: 1,
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    expect(await stop(first.child)).toBe('stopped');

    const second = await startServer(dataDir, port, {
      LASTMILE_ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'debug',
    });
    expect(second.output()).not.toContain('Lastmile made an admin token');
    expect(second.output()).toContain('Mapped {/api/v1/events, POST} route');
    expect(await postIncident(port, TOKEN)).toEqual({
      accepted: 1,
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
    // The token never reaches the log.
    expect(second.output()).not.toContain(TOKEN);
    expect(await stop(second.child)).toBe('stopped');
  }, 300_000);

  it('is built before the tests run', () => {
    // `npm test` builds first; `npm run test:unit` without a build cannot check the start.
    expect(existsSync(MAIN) ? MAIN : `build first (npm run build): ${MAIN} is missing`).toBe(MAIN);
  });
});
