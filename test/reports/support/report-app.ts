import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import YAML from 'yaml';
import { createApp } from '../../../api/src/app.factory.js';
import { loadConfig } from '../../../api/src/config/config.js';
import { ReportClock } from '../../../api/src/reports/report-clock.js';
import { DeliveryRetryPolicy } from '../../../api/src/reports/report-delivery.service.js';
import { ADMIN_TOKEN } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

export interface ReportApp {
  app: NestExpressApplication;
  http: Server;
  dataSource: DataSource;
  clock: { now: Date };
}

export interface ReportAppOptions {
  /** The config file's content (timezone, teams, reports). */
  file?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Cron and catch-up at start; off unless asked for. */
  schedules?: boolean;
  /** Several app instances on one database: the replicas of a deployment. */
  database?: TestDatabase;
  now?: string;
}

/**
 * The real app module with a config file of the test's own, a settable clock, and retries that
 * wait milliseconds instead of seconds.
 */
export async function createReportApp(options: ReportAppOptions): Promise<ReportApp> {
  const dir = mkdtempSync(join(tmpdir(), 'lastmile-reports-'));
  const configPath = join(dir, 'lastmile.yaml');
  writeFileSync(configPath, YAML.stringify(options.file ?? {}));
  const config = loadConfig({
    LASTMILE_ADMIN_TOKEN: ADMIN_TOKEN,
    LASTMILE_DATA_DIR: dir,
    LASTMILE_CONFIG: configPath,
    ...options.env,
  });
  const database = options.database ?? (await createTestDatabase());
  const app = await createApp({
    config,
    database: database.target,
    schedules: options.schedules ?? false,
    quiet: process.env.REPORT_TEST_LOGS !== '1',
  });
  const clock = { now: new Date(options.now ?? '2026-03-02T09:00:00Z') };
  // Set before init: the catch-up at start already reads the clock.
  app.get(ReportClock).now = () => new Date(clock.now);
  Object.assign(app.get(DeliveryRetryPolicy), { attempts: 3, baseDelayMs: 5, factor: 2 });
  await app.init();
  return { app, http: app.getHttpServer() as Server, dataSource: app.get(DataSource), clock };
}

/**
 * Tests that run several app instances (replicas, a restart, the command line) on one database
 * need a PostgreSQL server: the embedded engine serves one connection of one process. Without
 * TEST_DATABASE_URL they skip, saying so.
 */
export const hasDatabaseServer = Boolean(process.env.TEST_DATABASE_URL);
/** `describe` where a PostgreSQL server is at hand; on the embedded engine the block is skipped. */
export const describeWithServer = hasDatabaseServer ? describe : describe.skip;

export function noteSkippedWithoutServer(file: string): void {
  if (!hasDatabaseServer) {
    console.warn(
      `Skipping ${file}: it runs several app instances on one database; set TEST_DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test).`,
    );
  }
}
