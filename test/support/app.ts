import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import type { Collector } from '@lastmile/collectors';
import { createApp } from '../../api/src/app.factory.js';
import { type AppConfig, loadConfig } from '../../api/src/config/config.js';
import { createTestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

export interface TestApp {
  app: NestExpressApplication;
  http: Server;
  dataSource: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/** The real app module on a fresh database, migrations applied, schedules off. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { collectors?: readonly Collector[] } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig(
    {
      LASTMILE_ADMIN_TOKEN: ADMIN_TOKEN,
      LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-test-')),
      ...env,
    },
    options.collectors,
  );
  const app = await createApp({ config, database: database.target, schedules: false, quiet: true });
  await app.init();
  return {
    app,
    http: app.getHttpServer() as Server,
    dataSource: app.get(DataSource),
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
