import { Logger, type LogLevel } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../api/src/app.factory.js';
import { MAX_LOG_LINE_BYTES } from '../../api/src/common/json-logger.js';
import { loadConfig } from '../../api/src/config/config.js';
import { admin, ADMIN_TOKEN } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const GITHUB_TOKEN = 'ghp_loggedTokenValue0123456789abcdef';

// The log is one JSON object a line, each at most MAX_LOG_LINE_BYTES, with no secret and no query
// parameters in it.
describe('the log', () => {
  let database: TestDatabase;
  let app: NestExpressApplication;
  const lines: { text: string; level: LogLevel }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({
      LASTMILE_ADMIN_TOKEN: ADMIN_TOKEN,
      LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-log-')),
      GITHUB_TOKEN,
    });
    app = await createApp({
      config,
      database: database.target,
      schedules: false,
      logSink: (text, level) => lines.push({ text, level }),
    });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const parsed = (from: number) =>
    lines.slice(from).map(({ text }) => {
      expect(text.endsWith('\n')).toBe(true);
      expect(text.slice(0, -1)).not.toContain('\n');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES + 1);
      return JSON.parse(text) as {
        level: string;
        message: string;
        context?: string;
        stack?: string;
      };
    });

  it('logs a failed query by its statement and error, never its parameters', async () => {
    const from = lines.length;
    const batch = `${'x'.repeat(2_000_000)}${GITHUB_TOKEN}`;
    await expect(
      app.get(DataSource).query(`INSERT INTO teams (name, origin) VALUES ($1, 'api')`, [batch]),
    ).rejects.toThrow();
    const logged = parsed(from);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', context: 'database' });
    expect(logged[0].message).toMatch(/^query INSERT INTO teams #[0-9a-f]{8} failed: /);
    expect(logged[0].message).not.toContain('xxxxxxxx');
    expect(JSON.stringify(logged)).not.toContain(GITHUB_TOKEN);
  });

  it('keeps a huge, multi-line, secret-bearing message to one scrubbed line', () => {
    const from = lines.length;
    const logger = new Logger('test');
    logger.error(
      `first line\nsecond line ${GITHUB_TOKEN}\n${'y'.repeat(4_000_000)}`,
      'Error: x\n    at here',
    );
    logger.warn(`Authorization: Bearer ${'z'.repeat(40)}`);
    const logged = parsed(from);
    expect(logged).toHaveLength(2);
    expect(logged[0].message.startsWith('first line\nsecond line [redacted]\nyyy')).toBe(true);
    expect(logged[0].message).toMatch(/more characters\)$/);
    expect(logged[0].stack).toBe('Error: x\n    at here');
    expect(logged[1].message).toBe('Authorization: [redacted]');
    expect(JSON.stringify(logged)).not.toContain(GITHUB_TOKEN);
  });

  it('logs no error for a valid batch', async () => {
    const from = lines.length;
    const events = Array.from({ length: 2000 }, (_, i) => ({
      type: 'incident',
      id: `log-${i}`,
      repo: 'acme/serving',
      created_at: '2026-03-05T10:00:00Z',
    }));
    await request(app.getHttpServer())
      .post('/api/v1/events')
      .set(admin)
      .send({ events })
      .expect(200);
    expect(parsed(from).filter((l) => l.level === 'error')).toEqual([]);
  });
});
