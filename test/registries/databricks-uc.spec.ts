import request from 'supertest';
import { createDatabricksUcCollector, databricksUcSourceSchema } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { DatabricksUcStandIn } from '../support/databricks-uc-stand-in.js';
import {
  intervals,
  modelMetrics,
  pollAt,
  registerSource,
  stageEvents,
  versionRow,
} from './registry-poll.harness.js';

// A Unity Catalog registry driven through a week by a script, polled once a day at noon (UTC),
// with the history Lastmile records and the model metrics (by day, Mon 2026-01-05 to Fri 01-09)
// checked after each poll against values worked out by hand. Unity Catalog has aliases and no
// stages: every change is seen by a poll (`observed`). Pages of 2 models and 5 versions, so every
// poll paginates and main.ml.ltv has more versions than one page.

const REGISTRY = 'uc-prod';
const TOKEN = 'dapi-stand-in-token';
const env = { UC_TOKEN: TOKEN };
const collector = createDatabricksUcCollector({
  modelsPageSize: 2,
  versionsPageSize: 5,
  retryBaseMs: 5,
  retryAfterUnitMs: 5,
});

describe('Databricks Unity Catalog registry history, polled through time', () => {
  let t: TestApp;
  let uc: DatabricksUcStandIn;
  const source = () =>
    databricksUcSourceSchema.parse({
      kind: 'databricks_uc',
      name: REGISTRY,
      host: uc.url,
      token_env: 'UC_TOKEN',
      catalogs: ['main'],
    });
  const poll = (at: string, vars: Record<string, string> = env) =>
    pollAt(t, collector, source(), at, vars);
  const events = () => stageEvents(t, REGISTRY);
  const metrics = (model?: string) => modelMetrics(t, model);

  beforeAll(async () => {
    t = await createTestApp({ UC_TOKEN: TOKEN });
    uc = await new DatabricksUcStandIn(TOKEN).start();
    uc.emptyFirstPage = true;
    await registerSource(t, source());
  });
  afterAll(async () => {
    await uc.stop();
    await t.close();
  });

  it('first poll: a version holding a production alias counts from the poll', async () => {
    uc.at('2026-01-05T09:00:00Z').createModel('main.ml.churn');
    uc.createVersion('main.ml.churn', { runStartedAt: '2026-01-05T08:00:00Z' });
    uc.at('2026-01-05T10:00:00Z').setAlias('main.ml.churn', 'champion', '1');
    uc.at('2026-01-05T11:00:00Z').createModel('main.ml.fraud');
    uc.createVersion('main.ml.fraud', {
      runStartedAt: '2026-01-05T10:30:00Z',
      unreadableRun: true,
    });
    uc.at('2026-01-05T11:30:00Z').createModel('main.ml.ranker');
    uc.createVersion('main.ml.ranker', { run: null });
    uc.createVersion('main.ml.ranker', { failed: true }); // never usable: not registered
    // Outside the source's catalogs: not collected, alias or not.
    uc.createModel('sandbox.tmp.scratch');
    uc.createVersion('sandbox.tmp.scratch');
    uc.setAlias('sandbox.tmp.scratch', 'champion', '1');

    const result = await poll('2026-01-05T12:00:00Z');

    expect(result.error).toBeUndefined();
    // churn/1 holds "champion": promoted as seen at the poll (12:00, observed, no earlier poll).
    expect(await events()).toEqual(['main.ml.churn 1 promote 2026-01-05T12:00:00Z observed ']);
    expect(result.inserted).toBe(4); // 3 versions + 1 stage event
    expect(await versionRow(t, REGISTRY, 'main.ml.churn', '1')).toMatchObject({
      native_id: 'main.ml.churn/1',
      created_at: '2026-01-05T09:00:00Z',
      run_started_at: '2026-01-05T08:00:00Z',
      current_stage: null,
      aliases: ['champion'],
    });
    // The run's experiment is not readable by the token: tolerated, its start unknown.
    expect(await versionRow(t, REGISTRY, 'main.ml.fraud', '1')).toMatchObject({
      run_id: 'run000002',
      run_started_at: null,
    });
    expect(await versionRow(t, REGISTRY, 'main.ml.ranker', '2')).toBeUndefined();
    expect(await versionRow(t, REGISTRY, 'sandbox.tmp.scratch', '1')).toBeUndefined();
    // Lead time churn/1: 12:00 - 09:00 = 10,800 s; its run started at 08:00: 3,600 s to register.
    expect(await metrics()).toEqual({
      inProduction: [1, 1, 1, 1, 1],
      current: 1,
      promotions: [1, 0, 0, 0, 0],
      firstTime: 1,
      total: 1,
      lead: { count: 1, median: 10800, mean: 10800 },
      runToRegistered: { count: 1, median: 3600, mean: 3600 },
      iteration: { count: 0, median: null },
    });
  });

  it('a poll with nothing changed writes no rows and only the poll time', async () => {
    const before = await metrics();
    const result = await poll('2026-01-05T13:00:00Z');
    expect(result).toMatchObject({ events: 0, inserted: 0, updated: 0, cursors: 1 });
    expect(await metrics()).toEqual(before);
  });

  it('an alias moved to a newer version and an alias set, through a 429', async () => {
    uc.at('2026-01-06T09:00:00Z').createVersion('main.ml.churn', {
      runStartedAt: '2026-01-06T07:00:00Z',
    });
    uc.at('2026-01-06T10:00:00Z').setAlias('main.ml.churn', 'champion', '2');
    uc.at('2026-01-06T11:00:00Z').setAlias('main.ml.fraud', 'prod', '1');
    uc.fail({ match: /\/versions$/, status: 429, retryAfter: '2' });
    const requestsBefore = uc.totalRequests;

    const result = await poll('2026-01-06T12:00:00Z');

    expect(result.error).toBeUndefined();
    expect(uc.pendingFaults).toBe(0);
    // Every request the collector sent (the refused one and its retry too) is on its progress.
    expect(result.requests).toBe(uc.totalRequests - requestsBefore);
    // Window since the previous poll (01-05 13:00): 23 h = 82,800 s.
    expect((await events()).slice(1)).toEqual([
      'main.ml.churn 1 demote 2026-01-06T12:00:00Z observed 82800',
      'main.ml.churn 2 promote 2026-01-06T12:00:00Z observed 82800',
      'main.ml.fraud 1 promote 2026-01-06T12:00:00Z observed 82800',
    ]);
    expect(await intervals(t, REGISTRY)).toEqual([
      'main.ml.churn/1 2026-01-05T12:00:00Z -> 2026-01-06T12:00:00Z',
      'main.ml.churn/2 2026-01-06T12:00:00Z -> now',
      'main.ml.fraud/1 2026-01-06T12:00:00Z -> now',
    ]);
    // Promotions: churn/2 (lead 12:00 - 09:00 = 10,800 s; iteration 01-06 12:00 - 01-05 12:00 =
    // 86,400 s) and fraud/1 (lead 01-06 12:00 - 01-05 11:00 = 25 h = 90,000 s; its model's first).
    // Leads 10,800, 10,800, 90,000: median 10,800, mean 111,600 / 3 = 37,200. Run -> registered:
    // 3,600 (churn/1), 7,200 (churn/2, run 07:00); fraud/1's run unknown: median = mean = 5,400.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 2, 2, 2],
      current: 2,
      promotions: [1, 2, 0, 0, 0],
      firstTime: 2,
      total: 3,
      lead: { count: 3, median: 10800, mean: 37200 },
      runToRegistered: { count: 2, median: 5400, mean: 5400 },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('an alias removed (demotion), a version deleted while in production, a new one promoted', async () => {
    uc.at('2026-01-07T09:00:00Z').deleteAlias('main.ml.fraud', 'prod');
    uc.at('2026-01-07T10:00:00Z').createVersion('main.ml.ranker'); // version 3 (2 failed)
    uc.at('2026-01-07T10:30:00Z').setAlias('main.ml.ranker', 'production', '3');
    uc.at('2026-01-07T11:00:00Z').deleteVersion('main.ml.churn', '2');

    await poll('2026-01-07T12:00:00Z');

    // Window 24 h = 86,400 s. churn/2 was deleted holding "champion": it leaves production.
    expect((await events()).slice(4)).toEqual([
      'main.ml.churn 2 demote 2026-01-07T12:00:00Z observed 86400',
      'main.ml.fraud 1 demote 2026-01-07T12:00:00Z observed 86400',
      'main.ml.ranker 3 promote 2026-01-07T12:00:00Z observed 86400',
    ]);
    expect(await versionRow(t, REGISTRY, 'main.ml.churn', '2')).toMatchObject({
      deleted_at: '2026-01-07T12:00:00Z',
      aliases: ['champion'],
    });
    // ranker/3: lead 12:00 - 10:00 = 7,200 s; run (started an hour before it) 3,600 s. Leads
    // 7,200, 10,800, 10,800, 90,000: median 10,800, mean 118,800 / 4 = 29,700. Run -> registered
    // 3,600, 7,200, 3,600: median 3,600, mean 14,400 / 3 = 4,800. In production at the end of
    // 01-07: ranker alone.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 1, 1, 1],
      current: 1,
      promotions: [1, 2, 1, 0, 0],
      firstTime: 3,
      total: 4,
      lead: { count: 4, median: 10800, mean: 29700 },
      runToRegistered: { count: 3, median: 3600, mean: 4800 },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('a model with more versions than a page, and a model deleted while in production', async () => {
    uc.at('2026-01-08T09:00:00Z').createModel('main.ml.ltv');
    for (let minute = 0; minute < 7; minute++)
      uc.at(Date.parse('2026-01-08T09:00:00Z') + minute * 60_000).createVersion('main.ml.ltv');
    uc.at('2026-01-08T10:00:00Z').setAlias('main.ml.ltv', 'champion', '7');
    uc.at('2026-01-08T10:30:00Z').deleteModel('main.ml.ranker');

    await poll('2026-01-08T12:00:00Z');

    expect((await events()).slice(7)).toEqual([
      'main.ml.ltv 7 promote 2026-01-08T12:00:00Z observed 86400',
      'main.ml.ranker 3 demote 2026-01-08T12:00:00Z observed 86400',
    ]);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM model_versions WHERE model = 'main.ml.ltv'`,
    );
    expect(count).toBe(7);
    // ltv/7 created 09:06, promoted 12:00: lead 10,440 s. Leads 7,200, 10,440, 10,800, 10,800,
    // 90,000: median 10,800, mean 129,240 / 5 = 25,848. Run -> registered adds 3,600: 3,600,
    // 7,200, 3,600, 3,600: median 3,600, mean 18,000 / 4 = 4,500.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 1, 1, 1],
      current: 1,
      promotions: [1, 2, 1, 1, 0],
      firstTime: 4,
      total: 5,
      lead: { count: 5, median: 10800, mean: 25848 },
      runToRegistered: { count: 4, median: 3600, mean: 4500 },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('a rejected token (401) fails the poll naming the variable, and changes nothing', async () => {
    uc.at('2026-01-09T09:00:00Z').setAlias('main.ml.churn', 'champion', '1');
    const before = { events: await events(), metrics: await metrics() };
    const result = await poll('2026-01-09T12:00:00Z', { UC_TOKEN: 'dapi-revoked' });
    expect(result.error?.message).toBe(
      'Unity Catalog source "uc-prod" rejected the token (HTTP 401 (UNAUTHENTICATED: Invalid access token.)): check the token in the environment variable UC_TOKEN.',
    );
    expect(result).toMatchObject({ events: 0, cursors: 0 });
    expect(await events()).toEqual(before.events);
    expect(await metrics()).toEqual(before.metrics);

    uc.fail({ match: /^GET \/api\/2\.1\/unity-catalog\/models$/, status: 403 });
    const refused = await poll('2026-01-09T12:00:00Z');
    expect(uc.pendingFaults).toBe(0);
    expect(refused.error?.message).toMatch(
      /refused \/api\/2\.1\/unity-catalog\/models \(HTTP 403 .*\): the principal of the token in UC_TOKEN needs USE CATALOG and USE SCHEMA .* and EXECUTE on the models\./,
    );
    expect(await events()).toEqual(before.events);
  });

  it('the next good poll records what the failed ones missed, then nothing twice', async () => {
    await poll('2026-01-09T13:00:00Z');
    // Since the last successful poll (01-08 12:00): 25 h = 90,000 s.
    expect((await events()).slice(9)).toEqual([
      'main.ml.churn 1 promote 2026-01-09T13:00:00Z observed 90000',
    ]);
    const again = await poll('2026-01-09T14:00:00Z');
    expect(again).toMatchObject({ events: 0, inserted: 0, updated: 0, cursors: 1 });
  });
});

describe('Databricks Unity Catalog through the API and the sync runner', () => {
  let t: TestApp;
  let uc: DatabricksUcStandIn;
  beforeAll(async () => {
    t = await createTestApp({ UC_TOKEN: TOKEN });
    uc = await new DatabricksUcStandIn(TOKEN).start();
    uc.createModel('main.ml.churn');
    uc.createVersion('main.ml.churn');
    uc.setAlias('main.ml.churn', 'prod', '1');
    uc.createModel('main.other.fraud');
    uc.createVersion('main.other.fraud');
  });
  afterAll(async () => {
    await uc.stop();
    await t.close();
  });

  it('takes the source, names bad fields, and syncs the schemas it lists with its progress', async () => {
    const bad = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'databricks_uc', name: 'uc', host: 'not a url', schemas: ['ml'] })
      .expect(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'host',
      'schemas[0]',
      'token_env',
    ]);
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'databricks_uc',
        name: 'uc',
        host: uc.url,
        token_env: 'UC_TOKEN',
        schemas: ['main.ml'],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      production_aliases: ['champion', 'prod', 'production'],
      display: { label: 'Databricks Unity Catalog', links: [{ label: 'Workspace', href: uc.url }] },
    });
    const { run_id } = (
      await request(t.http).post(`/api/v1/sources/${created.body.id}/sync`).set(admin).expect(202)
    ).body;
    let run: { status: string; requests: number; items: number; pages: number } | undefined;
    for (let i = 0; i < 200 && (!run || run.status === 'running'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      run = (await request(t.http).get(`/api/v1/sync-runs/${run_id}`).set(admin)).body;
    }
    // Listed by schema (catalog_name and schema_name together): main.other.fraud is not read.
    // Requests: 1 models page, 1 model (aliases), 1 versions page, 1 runs/get.
    expect(run).toMatchObject({ status: 'succeeded', requests: 4, pages: 2, items: 2 });
    expect(uc.totalRequests).toBe(4);
    const models = await t.dataSource.query(`SELECT DISTINCT model FROM model_versions`);
    expect(models).toEqual([{ model: 'main.ml.churn' }]);
  });
});
