import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { DatabaseTarget } from '../../api/src/database/data-source.js';
import {
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from '../../api/src/database/embedded-postgres.js';

/**
 * A real PostgreSQL for one test file: a fresh schema on TEST_DATABASE_URL (CI: the local server),
 * else an in-memory embedded engine of its own.
 */
export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const engine: EmbeddedPostgres = await startEmbeddedPostgres(undefined);
    return { target: { url: engine.url, poolSize: 1 }, drop: () => engine.stop() };
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  return {
    target: { url, schema },
    async drop() {
      const admin = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
      await admin.initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
    },
  };
}
