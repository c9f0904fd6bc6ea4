import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../api/src/app.factory.js';
import { loadConfig } from '../../api/src/config/config.js';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { makePullRequest } from '../support/factories.js';

const GITHUB_TOKEN = 'ghp_echoedTokenValue0123456789abcdef';
const MLFLOW_TOKEN = 'dapi-echoed-mlflow-token-0123456789';
const SMTP_URL = 'smtp://reports:smtp-password-42@127.0.0.1:2525';

const github = (overrides: Record<string, unknown> = {}) => ({
  kind: 'github',
  name: 'acme-github',
  base_url: 'http://127.0.0.1:1',
  token_env: 'GITHUB_TOKEN',
  repos: ['acme/serving'],
  ...overrides,
});

/**
 * An upstream that answers every request with an error whose body echoes the request's headers,
 * as GitHub's (422, {"message", "documentation_url"}) and MLflow's ({"error_code", "message"})
 * errors are shaped.
 */
async function echoingUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const echoed = `request headers were ${JSON.stringify(req.headers)}`;
    const mlflow = req.url?.startsWith('/api/2.0/mlflow');
    res.writeHead(mlflow ? 400 : 422, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        mlflow
          ? { error_code: 'INVALID_PARAMETER_VALUE', message: echoed }
          : { message: echoed, documentation_url: 'https://docs.github.com/rest' },
      ),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('source rules', () => {
  let t: TestApp;
  let configPath: string;
  let upstream: { url: string; server: Server };

  beforeAll(async () => {
    upstream = await echoingUpstream();
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-rules-'));
    configPath = join(dir, 'lastmile.yaml');
    writeFileSync(
      configPath,
      [
        'source_env_allowlist: [CUSTOM_TOKEN]',
        'sources:',
        '  - { kind: github, name: from-file, token_env: GITHUB_TOKEN, repos: [acme/file] }',
        'reports:',
        '  channels:',
        '    - { kind: email, name: mail, smtp_url_env: SMTP_URL, from: a@b.c, to: [d@e.f] }',
      ].join('\n'),
    );
    t = await createTestApp({
      LASTMILE_CONFIG: configPath,
      GITHUB_TOKEN,
      MLFLOW_TOKEN,
      SMTP_URL,
      CUSTOM_TOKEN: 'custom-token-value',
    });
  });
  afterAll(async () => {
    await t?.close();
    upstream?.server.close();
  });

  const sourceRows = async () =>
    (await t.dataSource.query(`SELECT id, name, config FROM sources ORDER BY id`)) as {
      id: number;
      name: string;
      config: Record<string, unknown>;
    }[];

  describe('schedules', () => {
    it.each(['0 0 0 31 2 *', '0 0 30 2 *', '61 * * * *'])(
      'refuses the schedule "%s" on POST and PATCH, storing nothing',
      async (schedule) => {
        const before = await sourceRows();
        const created = await request(t.http)
          .post('/api/v1/sources')
          .set(admin)
          .send(github({ name: 'never-runs', schedule }))
          .expect(400);
        expect(created.body.details.map((d: { path: string }) => d.path)).toContain('schedule');
        expect(await sourceRows()).toEqual(before);

        const ok = await request(t.http)
          .post('/api/v1/sources')
          .set(admin)
          .send(github({ name: `patched-${before.length}` }))
          .expect(201);
        const stored = await sourceRows();
        const patched = await request(t.http)
          .patch(`/api/v1/sources/${ok.body.id}`)
          .set(admin)
          .send({ schedule })
          .expect(400);
        expect(patched.body.details.map((d: { path: string }) => d.path)).toContain('schedule');
        expect(await sourceRows()).toEqual(stored);
      },
    );
  });

  describe('renames', () => {
    it('renames a source in place, carrying its events, and refuses a taken name with 409', async () => {
      const a = await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send(github({ name: 'rename-a' }))
        .expect(201);
      await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send(github({ name: 'rename-b', repos: ['acme/b'] }))
        .expect(201);
      await request(t.http)
        .post('/api/v1/events')
        .set(admin)
        .send({ events: [makePullRequest({ id: 'renamed-pr', source: 'rename-a' })] })
        .expect(200);
      const before = await sourceRows();

      const onto = await request(t.http)
        .patch(`/api/v1/sources/${a.body.id}`)
        .set(admin)
        .send({ name: 'rename-b' })
        .expect(409);
      expect(onto.body.message).toContain('rename-b');
      const ontoFile = await request(t.http)
        .patch(`/api/v1/sources/${a.body.id}`)
        .set(admin)
        .send({ name: 'from-file' })
        .expect(409);
      expect(ontoFile.body.message).toContain(configPath);
      // A kind cannot change under a source (it was ignored, and the 200 said nothing).
      for (const kind of ['gitlab', null]) {
        const other = await request(t.http)
          .patch(`/api/v1/sources/${a.body.id}`)
          .set(admin)
          .send({ kind, projects: ['acme/a'] })
          .expect(400);
        expect(other.body.details).toEqual([
          {
            path: 'kind',
            message: 'cannot change (this source is "github"): add a new source of the other kind',
          },
        ]);
      }
      expect(await sourceRows()).toEqual(before);

      const renamed = await request(t.http)
        .patch(`/api/v1/sources/${a.body.id}`)
        .set(admin)
        .send({ name: 'rename-c' })
        .expect(200);
      expect(renamed.body).toMatchObject({ id: a.body.id, name: 'rename-c' });
      const names = (await sourceRows()).map((row) => row.name);
      expect(names).toContain('rename-c');
      expect(names).not.toContain('rename-a');
      expect(names.length).toBe(before.length);
      const prs = await t.dataSource.query(
        `SELECT source FROM pull_requests WHERE native_id = 'renamed-pr'`,
      );
      expect(prs).toEqual([{ source: 'rename-c' }]);
    });

    it('refuses any change to a config-file source with 409 naming the file', async () => {
      const [fromFile] = (await sourceRows()).filter((row) => row.name === 'from-file');
      for (const body of [{ schedule: '0 0 * * *' }, { name: 'elsewhere' }]) {
        const response = await request(t.http)
          .patch(`/api/v1/sources/${fromFile.id}`)
          .set(admin)
          .send(body)
          .expect(409);
        expect(response.body.message).toContain(configPath);
      }
      const removed = await request(t.http)
        .delete(`/api/v1/sources/${fromFile.id}`)
        .set(admin)
        .expect(409);
      expect(removed.body.message).toContain(configPath);
      expect((await sourceRows()).find((row) => row.id === fromFile.id)?.name).toBe('from-file');
    });
  });

  describe('secrets', () => {
    it.each([
      ['SMTP_URL', 'token_env'],
      ['DATABASE_URL', 'token_env'],
      ['LASTMILE_ADMIN_TOKEN', 'webhook_secret_env'],
      ['HOME', 'token_env'],
      ['PATH', 'app_id_env'],
    ])('refuses %s in %s', async (name, key) => {
      const before = await sourceRows();
      const response = await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send(github({ name: `env-${name.toLowerCase()}`, [key]: name }))
        .expect(400);
      expect(response.body.details.map((d: { path: string }) => d.path)).toContain(key);
      expect(await sourceRows()).toEqual(before);
    });

    it('accepts GITHUB_*, MLFLOW_*, LASTMILE_* and the allowlist', async () => {
      for (const name of ['GITHUB_TOKEN_2', 'LASTMILE_GH', 'CUSTOM_TOKEN']) {
        await request(t.http)
          .post('/api/v1/sources')
          .set(admin)
          .send(github({ name: `env-ok-${name.toLowerCase()}`, token_env: name }))
          .expect(201);
      }
    });

    it('scrubs the tokens an upstream echoes out of the stored error and the API', async () => {
      const runner = t.app.get(SyncRunner);
      const githubSource = await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send(github({ name: 'echo-github', base_url: upstream.url }))
        .expect(201);
      const mlflowSource = await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send({
          kind: 'mlflow',
          name: 'echo-mlflow',
          base_url: upstream.url,
          token_env: 'MLFLOW_TOKEN',
        })
        .expect(201);
      for (const id of [githubSource.body.id, mlflowSource.body.id]) await runner.runNow(id);

      const runs: { source: string; status: string; error: string }[] = await t.dataSource.query(
        `SELECT s.name AS source, r.status, r.error FROM sync_runs r JOIN sources s ON s.id = r.source_id
         WHERE s.name LIKE 'echo-%' ORDER BY s.name`,
      );
      expect(runs.map((r) => [r.source, r.status])).toEqual([
        ['echo-github', 'failed'],
        ['echo-mlflow', 'failed'],
      ]);
      for (const run of runs) {
        // The echo reached the stored error, its secrets did not.
        expect(run.error).toContain('request headers were');
        expect(run.error).toContain('[redacted]');
        for (const secret of [GITHUB_TOKEN, MLFLOW_TOKEN, ADMIN_TOKEN]) {
          expect(run.error).not.toContain(secret);
        }
      }
      const served = [
        (await request(t.http).get('/api/v1/sync-runs').expect(200)).text,
        (await request(t.http).get('/api/v1/sources').expect(200)).text,
      ].join('\n');
      expect(served).toContain('request headers were');
      for (const secret of [GITHUB_TOKEN, MLFLOW_TOKEN]) expect(served).not.toContain(secret);
    });

    it('scrubs every secret value and Authorization header out of any text', () => {
      const text = [
        `token=${GITHUB_TOKEN}`,
        `smtp password smtp-password-42`,
        `${JSON.stringify({ Authorization: 'Basic dXNlcjpwYXNz' })}`,
        'authorization: Bearer some.jwt.value',
        `admin ${ADMIN_TOKEN}`,
        `custom ${encodeURIComponent('custom-token-value')}`,
      ].join('\n');
      const scrubbed = t.config.secrets.scrub(text);
      for (const secret of [
        GITHUB_TOKEN,
        'smtp-password-42',
        'dXNlcjpwYXNz',
        'some.jwt.value',
        ADMIN_TOKEN,
        'custom-token-value',
      ]) {
        expect(scrubbed).not.toContain(secret);
      }
      expect(scrubbed).toContain('smtp password [redacted]');
    });
  });
});

describe('a start after a bad source was stored', () => {
  it('starts, skips and marks the bad source, and schedules the others', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      LASTMILE_ADMIN_TOKEN: ADMIN_TOKEN,
      LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-start-')),
      GITHUB_TOKEN,
    });
    try {
      const first = await createApp({
        config,
        database: database.target,
        schedules: false,
        quiet: true,
      });
      await first.init();
      // As an older version stored them: a schedule that never fires, a server secret.
      await first.get(DataSource).query(
        `INSERT INTO sources (name, kind, config, origin) VALUES
           ('never-fires', 'github', $1::jsonb, 'api'),
           ('reads-database-url', 'github', $2::jsonb, 'api'),
           ('fine', 'github', $3::jsonb, 'api')`,
        [
          JSON.stringify(github({ name: 'never-fires', schedule: '0 0 0 31 2 *' })),
          JSON.stringify(github({ name: 'reads-database-url', token_env: 'DATABASE_URL' })),
          JSON.stringify(github({ name: 'fine', schedule: '0 0 3 * * *' })),
        ],
      );
      await first.close();

      const second = await createApp({
        config,
        database: database.target,
        schedules: true,
        quiet: true,
      });
      await second.init();
      try {
        const http = second.getHttpServer();
        const { body } = await request(http).get('/api/v1/sources').expect(200);
        const byName = Object.fromEntries(
          (body.sources as { id: number; name: string; problem: string | null }[]).map((s) => [
            s.name,
            s,
          ]),
        );
        expect(byName['never-fires'].problem).toMatch(/^schedule: never fires/);
        expect(byName['reads-database-url'].problem).toMatch(/^token_env: names DATABASE_URL/);
        expect(byName.fine.problem).toBeNull();
        const jobs = second.get(SchedulerRegistry).getCronJobs();
        expect(jobs.has(`source-sync-${byName.fine.id}`)).toBe(true);
        expect(jobs.has(`source-sync-${byName['never-fires'].id}`)).toBe(false);
        // A skipped source is not synced by hand either: its problem is the answer.
        const sync = await request(http)
          .post(`/api/v1/sources/${byName['reads-database-url'].id}/sync`)
          .set(admin)
          .expect(409);
        expect(sync.body.message).toContain('DATABASE_URL');
        // Fixing it through the API clears the mark.
        const fixed = await request(http)
          .patch(`/api/v1/sources/${byName['never-fires'].id}`)
          .set(admin)
          .send({ schedule: '0 0 4 * * *' })
          .expect(200);
        expect(fixed.body.problem).toBeNull();
        expect(
          second
            .get(SchedulerRegistry)
            .getCronJobs()
            .has(`source-sync-${byName['never-fires'].id}`),
        ).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});
