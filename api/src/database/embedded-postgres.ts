import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { isAlive } from '../common/processes.js';

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on the wire protocol so that `pg` and TypeORM
 * talk to it exactly as to a server. It runs as any user (root included), needs no download, keeps
 * its data under the data directory, and listens on a free loopback port of its own.
 *
 * PGlite is a single session: queries of several connections would interleave inside one
 * transaction, so the server takes one connection and the pool must be of size one.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  dataDir: string | undefined,
): Promise<EmbeddedPostgres> {
  let db: PGlite;
  let release = () => {};
  if (dataDir) {
    const pgdata = join(dataDir, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    release = lockDataDir(dataDir);
    try {
      db = await PGlite.create(pgdata);
    } catch (error) {
      release();
      throw error;
    }
  } else {
    db = await PGlite.create();
  }
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 1 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      release();
    },
  };
}

/** Another live process has the embedded engine's data directory open. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly command: string | undefined,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} ` +
        `(${command ?? 'a running `npm start`?'}). PGlite serves one process at a time: stop that ` +
        'process first, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
}

/**
 * Throws DataDirInUseError when another live process holds the data directory, taking nothing:
 * the commands check before Nest starts, whose own report of a failed provider is a stack trace.
 */
export function assertDataDirFree(dataDir: string): void {
  const holder = liveHolder(join(dataDir, 'engine.pid'));
  if (holder !== undefined) throw new DataDirInUseError(dataDir, holder, commandOf(holder));
}

/**
 * PGlite does not lock its directory, and two processes writing it corrupt it: a pid file does.
 * A lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  assertDataDirFree(dataDir);
  const path = join(dataDir, 'engine.pid');
  writeFileSync(path, String(process.pid));
  return () => rmSync(path, { force: true });
}

function liveHolder(pidFile: string): number | undefined {
  let holder: number;
  try {
    holder = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  return holder && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

/** The holder's command line, so that a person knows which process to stop (Linux's /proc). */
function commandOf(pid: number): string | undefined {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (command.length === 0) return undefined;
    command[0] = basename(command[0]);
    return command.join(' ');
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}
