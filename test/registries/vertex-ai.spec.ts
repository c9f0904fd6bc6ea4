import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createVertexAiCollector, vertexAiSourceSchema } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { VertexAiStandIn } from '../support/vertex-ai-stand-in.js';
import {
  intervals,
  modelMetrics,
  pollAt,
  registerSource,
  stageEvents,
  versionRow,
} from './registry-poll.harness.js';

// A Vertex AI Model Registry driven through a week by a script, polled once a day at noon (UTC),
// through a service-account key whose token_uri is the stand-in's token endpoint. The history and
// the model metrics (by day, Mon 2026-01-05 to Fri 01-09) are checked after each poll against
// values worked out by hand. Every upload takes the "default" alias, which never means
// production. Pages of 2 models and 5 versions.

const REGISTRY = 'vertex';
const collector = createVertexAiCollector({
  modelsPageSize: 2,
  versionsPageSize: 5,
  retryBaseMs: 5,
  retryAfterUnitMs: 5,
});

describe('Vertex AI registry history, polled through time', () => {
  let t: TestApp;
  let vertex: VertexAiStandIn;
  let env: Record<string, string>;
  const source = () =>
    vertexAiSourceSchema.parse({
      kind: 'vertex_ai',
      name: REGISTRY,
      project: 'acme-ml',
      location: 'us-central1',
      api_endpoint: vertex.url,
      credentials_env: 'VERTEX_KEY_FILE',
    });
  const poll = (at: string, vars = env) => pollAt(t, collector, source(), at, vars);
  const events = () => stageEvents(t, REGISTRY);
  const metrics = (model?: string) => modelMetrics(t, model);

  beforeAll(async () => {
    t = await createTestApp();
    vertex = await new VertexAiStandIn('acme-ml', 'us-central1').start();
    env = { VERTEX_KEY_FILE: vertex.writeKeyFile(mkdtempSync(join(tmpdir(), 'vertex-key-'))) };
    await registerSource(t, source());
  });
  afterAll(async () => {
    await vertex.stop();
    await t.close();
  });

  it('first poll: a production alias counts from the poll, "default" never', async () => {
    vertex.at('2026-01-05T09:00:00Z').createModel('1001', 'Churn classifier');
    vertex.createVersion('1001');
    vertex.at('2026-01-05T10:00:00Z').setAlias('1001', 'prod', '1');
    vertex.at('2026-01-05T11:00:00Z').createModel('1002', 'Fraud');
    vertex.createVersion('1002'); // holds "default" only

    const result = await poll('2026-01-05T12:00:00Z');

    expect(result.error).toBeUndefined();
    expect(await events()).toEqual(['1001 1 promote 2026-01-05T12:00:00Z observed ']);
    expect(result.inserted).toBe(3); // 2 versions + 1 stage event
    expect(await versionRow(t, REGISTRY, '1001', '1')).toMatchObject({
      native_id: '1001/1',
      created_at: '2026-01-05T09:00:00Z',
      aliases: ['default', 'prod'],
      label: 'Churn classifier',
      run_id: null,
    });
    // Lead time 1001/1: 12:00 - 09:00 = 10,800 s. Vertex AI versions name no run.
    expect(await metrics()).toEqual({
      inProduction: [1, 1, 1, 1, 1],
      current: 1,
      promotions: [1, 0, 0, 0, 0],
      firstTime: 1,
      total: 1,
      lead: { count: 1, median: 10800, mean: 10800 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 0, median: null },
    });
  });

  it('a poll with nothing changed writes no rows and only the poll time', async () => {
    const result = await poll('2026-01-05T13:00:00Z');
    expect(result).toMatchObject({ events: 0, inserted: 0, updated: 0, cursors: 1 });
  });

  it('an alias moved, an alias set, a display name changed, through a 429', async () => {
    vertex.at('2026-01-06T09:00:00Z').createVersion('1001'); // "default" moves to 2
    vertex.at('2026-01-06T10:00:00Z').setAlias('1001', 'prod', '2');
    vertex.at('2026-01-06T11:00:00Z').setAlias('1002', 'champion', '1');
    vertex.at('2026-01-06T11:30:00Z').rename('1002', 'Fraud detector');
    vertex.fail({ match: /:listVersions$/, status: 429, retryAfter: '1' });

    const result = await poll('2026-01-06T12:00:00Z');

    expect(result.error).toBeUndefined();
    expect(vertex.pendingFaults).toBe(0);
    // Window since 01-05 13:00: 82,800 s.
    expect((await events()).slice(1)).toEqual([
      '1001 1 demote 2026-01-06T12:00:00Z observed 82800',
      '1001 2 promote 2026-01-06T12:00:00Z observed 82800',
      '1002 1 promote 2026-01-06T12:00:00Z observed 82800',
    ]);
    expect(await versionRow(t, REGISTRY, '1002', '1')).toMatchObject({
      label: 'Fraud detector',
      aliases: ['champion', 'default'],
    });
    expect(await versionRow(t, REGISTRY, '1001', '1')).toMatchObject({ aliases: [] });
    // Leads: 1001/1 10,800; 1001/2 12:00 - 09:00 = 10,800; 1002/1 01-06 12:00 - 01-05 11:00 =
    // 90,000: median 10,800, mean 111,600 / 3 = 37,200. Iteration: 1001/2 a day after 1001/1.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 2, 2, 2],
      current: 2,
      promotions: [1, 2, 0, 0, 0],
      firstTime: 2,
      total: 3,
      lead: { count: 3, median: 10800, mean: 37200 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('an alias removed, a model deleted in production, a model with more versions than a page', async () => {
    vertex.at('2026-01-07T09:00:00Z').deleteAlias('1002', 'champion');
    vertex.at('2026-01-07T10:00:00Z').createModel('1003', 'Ranker');
    for (let minute = 0; minute < 7; minute++)
      vertex.at(Date.parse('2026-01-07T10:00:00Z') + minute * 60_000).createVersion('1003');
    vertex.at('2026-01-07T11:00:00Z').setAlias('1003', 'production', '7');
    vertex.at('2026-01-07T11:30:00Z').deleteModel('1001');

    await poll('2026-01-07T12:00:00Z');

    // Window 24 h = 86,400 s.
    expect((await events()).slice(4)).toEqual([
      '1001 2 demote 2026-01-07T12:00:00Z observed 86400',
      '1002 1 demote 2026-01-07T12:00:00Z observed 86400',
      '1003 7 promote 2026-01-07T12:00:00Z observed 86400',
    ]);
    expect(await intervals(t, REGISTRY)).toEqual([
      '1001/1 2026-01-05T12:00:00Z -> 2026-01-06T12:00:00Z',
      '1001/2 2026-01-06T12:00:00Z -> 2026-01-07T12:00:00Z',
      '1002/1 2026-01-06T12:00:00Z -> 2026-01-07T12:00:00Z',
      '1003/7 2026-01-07T12:00:00Z -> now',
    ]);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM model_versions WHERE registry = $1 AND model = '1003'`,
      [REGISTRY],
    );
    expect(count).toBe(7);
    // 1003/7 created 10:06, promoted 12:00: lead 6,840 s. Leads 6,840, 10,800, 10,800, 90,000:
    // median 10,800, mean 118,440 / 4 = 29,610.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 1, 1, 1],
      current: 1,
      promotions: [1, 2, 1, 0, 0],
      firstTime: 3,
      total: 4,
      lead: { count: 4, median: 10800, mean: 29610 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('a rejected token (401) or a refused key fails the poll naming the variable, and changes nothing', async () => {
    vertex.at('2026-01-08T09:00:00Z').setAlias('1002', 'prod', '1');
    const before = await events();
    vertex.rejectAccessTokens = true;
    const rejected = await poll('2026-01-08T12:00:00Z');
    expect(rejected.error?.message).toBe(
      'Vertex AI source "vertex" rejected the access token (HTTP 401: UNAUTHENTICATED: Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.): check the service-account key file named by VERTEX_KEY_FILE.',
    );
    vertex.rejectAccessTokens = false;
    vertex.refuseGrant = true;
    const refused = await poll('2026-01-08T12:00:00Z');
    expect(refused.error?.message).toBe(
      `Vertex AI source "vertex": ${vertex.url}/token refused the service account ${vertex.clientEmail} (HTTP 400: invalid_grant: Invalid JWT Signature.): check the key file named by VERTEX_KEY_FILE.`,
    );
    vertex.refuseGrant = false;
    const unset = await poll('2026-01-08T12:00:00Z', {});
    expect(unset.error?.message).toBe(
      'Vertex AI source "vertex": the environment variable VERTEX_KEY_FILE is not set (it holds the path of a service-account key file).',
    );
    for (const result of [rejected, refused, unset])
      expect(result).toMatchObject({ events: 0, cursors: 0 });
    expect(await events()).toEqual(before);

    // The next good poll records what they missed (since 01-07 12:00: 90,000 s), then nothing twice.
    await poll('2026-01-08T13:00:00Z');
    expect((await events()).slice(7)).toEqual([
      '1002 1 promote 2026-01-08T13:00:00Z observed 90000',
    ]);
    expect(await poll('2026-01-08T14:00:00Z')).toMatchObject({
      events: 0,
      inserted: 0,
      cursors: 1,
    });
  });
});

describe('Vertex AI through the API and the sync runner', () => {
  let t: TestApp;
  let vertex: VertexAiStandIn;
  beforeAll(async () => {
    vertex = await new VertexAiStandIn('acme-ml', 'europe-west4').start();
    const keyFile = vertex.writeKeyFile(mkdtempSync(join(tmpdir(), 'vertex-key-')));
    t = await createTestApp({ VERTEX_KEY_FILE: keyFile });
    vertex.createModel('2001', 'Search ranker');
    vertex.createVersion('2001');
    vertex.setAlias('2001', 'champion', '1');
  });
  afterAll(async () => {
    await vertex.stop();
    await t.close();
  });

  it('takes the source, refuses "default" as a production alias, and syncs with its progress', async () => {
    const bad = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'vertex_ai',
        name: 'vertex',
        project: 'acme-ml',
        location: 'Europe',
        credentials_env: 'VERTEX_KEY_FILE',
        production_aliases: ['default'],
      })
      .expect(400);
    expect(bad.body.details).toEqual([
      { path: 'location', message: 'must be a region, e.g. "us-central1"' },
      {
        path: 'production_aliases',
        message:
          'must not hold "default": it names the version a bare model resolves to, not production',
      },
    ]);
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'vertex_ai',
        name: 'vertex',
        project: 'acme-ml',
        location: 'europe-west4',
        api_endpoint: vertex.url,
        credentials_env: 'VERTEX_KEY_FILE',
      })
      .expect(201);
    expect(created.body.display.label).toBe('Vertex AI');
    const { run_id } = (
      await request(t.http).post(`/api/v1/sources/${created.body.id}/sync`).set(admin).expect(202)
    ).body;
    let run: { status: string; requests: number } | undefined;
    for (let i = 0; i < 200 && (!run || run.status === 'running'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      run = (await request(t.http).get(`/api/v1/sync-runs/${run_id}`).set(admin)).body;
    }
    // The token, 1 models page, 1 versions page.
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, pages: 2, items: 2 });
    expect(vertex.totalRequests).toBe(3);
    const [row] = await t.dataSource.query(
      `SELECT model, aliases FROM model_versions WHERE registry = 'vertex'`,
    );
    expect(row).toEqual({ model: '2001', aliases: ['champion', 'default'] });
  });
});
