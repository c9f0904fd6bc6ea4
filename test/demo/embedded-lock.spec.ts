import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataDirInUseError,
  startEmbeddedPostgres,
} from '../../api/src/database/embedded-postgres.js';

// PGlite does not lock its directory; `npm run demo` and `npm start` on one data directory at once
// would corrupt it. The engine's pid file makes the second one stop with a sentence instead.
describe('the embedded engine’s data directory lock', () => {
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-lock-'));
    mkdirSync(join(dir, 'pgdata'));
    return dir;
  };

  it('refuses a directory held by another live process, naming it', async () => {
    const dir = dataDir();
    // The test runner's parent process is alive and is not this process.
    writeFileSync(join(dir, 'engine.pid'), String(process.ppid));
    const start = startEmbeddedPostgres(dir);
    await expect(start).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(start).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over a lock left by a process that died, and releases it on stop', async () => {
    const dir = dataDir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(join(dir, 'engine.pid'), String(gone));
    const engine = await startEmbeddedPostgres(dir);
    expect(readFileSync(join(dir, 'engine.pid'), 'utf8')).toBe(String(process.pid));
    await engine.stop();
    expect(existsSync(join(dir, 'engine.pid'))).toBe(false);
  }, 180_000); // a new PGlite directory runs initdb in WebAssembly
});
