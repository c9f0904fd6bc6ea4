import request from 'supertest';
import type { TestApp } from '../support/app.js';
import type { MlflowStandIn } from '../support/mlflow-stand-in.js';
import {
  mlflowSource,
  pollAt,
  SOURCE_NAME,
  startMlflowTest,
  stopMlflowTest,
} from './mlflow-poll.harness.js';

// A registry driven through a week by a script, polled once a day at noon (UTC), with the history
// Lastmile records and the model metrics (GET /api/v1/metrics/..., by day from Mon 2026-01-05 to
// Sat 2026-01-10) checked after each poll against values worked out by hand. Pages of 2 models
// and 5 versions, so every poll paginates and model "ltv" has more versions than one page.

interface ModelMetrics {
  inProduction: number[];
  current: number;
  promotions: number[];
  firstTime: number;
  total: number;
  lead: { count: number; median: number | null; mean: number | null };
  runToRegistered: { count: number; median: number | null; mean: number | null };
  iteration: { count: number; median: number | null };
}

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString().replace('.000Z', 'Z');

describe('MLflow registry history, polled through time', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  const source = () => mlflowSource(mlflow.url);
  const poll = (at: string) => pollAt(t, source(), at, { modelsPageSize: 2, versionsPageSize: 5 });

  const stageEvents = async (): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT model, version, action, at, at_precision, precision_seconds FROM model_stage_events
         WHERE registry = $1 ORDER BY at, model, version, action`,
        [SOURCE_NAME],
      )
    ).map(
      (e: {
        model: string;
        version: string;
        action: string;
        at: Date;
        at_precision: string;
        precision_seconds: number | null;
      }) =>
        [e.model, e.version, e.action, iso(e.at), e.at_precision, e.precision_seconds].join(' '),
    );
  const intervals = async (): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT model, version, started_at, ended_at FROM model_production_intervals
         WHERE registry = $1 ORDER BY started_at, model, version`,
        [SOURCE_NAME],
      )
    ).map(
      (i: { model: string; version: string; started_at: Date; ended_at: Date | null }) =>
        `${i.model}/${i.version} ${iso(i.started_at)} -> ${iso(i.ended_at) ?? 'now'}`,
    );
  const version = async (model: string, v: string) => {
    const [row] = await t.dataSource.query(
      `SELECT native_id, created_at, run_started_at, current_stage, aliases, last_updated_at, deleted_at
       FROM model_versions WHERE registry = $1 AND model = $2 AND version = $3`,
      [SOURCE_NAME, model, v],
    );
    return row
      ? {
          ...row,
          created_at: iso(row.created_at),
          run_started_at: iso(row.run_started_at),
          last_updated_at: iso(row.last_updated_at),
          deleted_at: iso(row.deleted_at),
        }
      : undefined;
  };

  const metric = async (name: string, model?: string) => {
    const query = {
      from: '2026-01-05',
      to: '2026-01-10',
      granularity: 'day',
      ...(model ? { model } : {}),
    };
    return (await request(t.http).get(`/api/v1/metrics/${name}`).query(query).expect(200)).body;
  };
  const metrics = async (model?: string): Promise<ModelMetrics> => {
    const [inProduction, promotions, lead, iteration] = await Promise.all(
      [
        'models_in_production',
        'model_promotions',
        'model_release_lead_time',
        'model_iteration_time',
      ].map((m) => metric(m, model)),
    );
    const stats = ({
      count,
      median,
      mean,
    }: {
      count: number;
      median: number | null;
      mean: number | null;
    }) => ({ count, median, mean });
    return {
      inProduction: inProduction.series.map((p: { value: number }) => p.value),
      current: inProduction.summary.current,
      promotions: promotions.series.map((p: { value: number }) => p.value),
      firstTime: promotions.summary.first_time_models,
      total: promotions.summary.total,
      lead: stats(lead.summary),
      runToRegistered: stats(lead.summary.breakdown.run_to_registered),
      iteration: { count: iteration.summary.count, median: iteration.summary.median },
    };
  };

  beforeAll(async () => ({ t, mlflow } = await startMlflowTest()));
  afterAll(() => stopMlflowTest(t, mlflow));

  it('first poll: a production stage counts from its last update, an alias from the poll', async () => {
    mlflow.at('2026-01-05T09:00:00Z').createModel('churn');
    mlflow.createVersion('churn', { runStartedAt: '2026-01-05T08:00:00Z' });
    mlflow.at('2026-01-05T10:00:00Z').transitionStage('churn', '1', 'Production');
    mlflow.at('2026-01-05T11:00:00Z').createModel('fraud');
    mlflow.createVersion('fraud', { runStartedAt: '2026-01-05T10:30:00Z' });
    mlflow.setAlias('fraud', 'champion', '1');
    mlflow.at('2026-01-05T11:30:00Z').createModel('ranker');
    mlflow.createVersion('ranker', { run: null });
    mlflow.createVersion('ranker', { failed: true }); // never usable: not a registered version

    const result = await poll('2026-01-05T12:00:00Z');

    // churn/1 in Production since its last update (10:00, registry); fraud/1 holds "champion",
    // seen at the poll (12:00, observed; no earlier poll, so no window); ranker/1 is not in.
    expect(await stageEvents()).toEqual([
      'churn 1 promote 2026-01-05T10:00:00Z registry ',
      'fraud 1 promote 2026-01-05T12:00:00Z observed ',
    ]);
    expect(result.inserted).toBe(5); // 3 versions + 2 stage events
    expect(await version('churn', '1')).toMatchObject({
      native_id: 'churn/1',
      created_at: '2026-01-05T09:00:00Z',
      run_started_at: '2026-01-05T08:00:00Z',
      current_stage: 'Production',
      aliases: [],
      last_updated_at: '2026-01-05T10:00:00Z',
      deleted_at: null,
    });
    expect(await version('fraud', '1')).toMatchObject({
      current_stage: 'None',
      aliases: ['champion'],
    });
    expect(await version('ranker', '1')).toMatchObject({ run_started_at: null });
    expect(await version('ranker', '2')).toBeUndefined();
    // Lead times: churn/1 10:00 - 09:00 = 3600 s (run 08:00 -> registered 09:00 = 3600 s);
    // fraud/1 12:00 - 11:00 = 3600 s (run 10:30 -> 11:00 = 1800 s). No iteration yet.
    expect(await intervals()).toEqual([
      'churn/1 2026-01-05T10:00:00Z -> now',
      'fraud/1 2026-01-05T12:00:00Z -> now',
    ]);
    expect(await metrics()).toEqual({
      inProduction: [2, 2, 2, 2, 2],
      current: 2,
      promotions: [2, 0, 0, 0, 0],
      firstTime: 2,
      total: 2,
      lead: { count: 2, median: 3600, mean: 3600 },
      runToRegistered: { count: 2, median: 2700, mean: 2700 }, // 3600 and 1800
      iteration: { count: 0, median: null },
    });
  });

  it('a poll with nothing changed writes no rows and only the poll time', async () => {
    const before = await metrics();
    const result = await poll('2026-01-05T13:00:00Z');
    expect(result).toMatchObject({ events: 0, inserted: 0, updated: 0, cursors: 1 });
    expect(await metrics()).toEqual(before);
  });

  it('promoted by stage (registry time), an alias moved to a newer version, promoted by alias', async () => {
    mlflow
      .at('2026-01-06T09:00:00Z')
      .createVersion('churn', { runStartedAt: '2026-01-06T07:00:00Z' });
    mlflow.at('2026-01-06T09:30:00Z').createVersion('fraud');
    mlflow.at('2026-01-06T10:00:00Z').transitionStage('churn', '2', 'Production', true);
    mlflow.at('2026-01-06T11:00:00Z').setAlias('fraud', 'champion', '2');
    mlflow.at('2026-01-06T11:30:00Z').setAlias('ranker', 'prod', '1');

    await poll('2026-01-06T12:00:00Z');

    // The window since the previous poll (01-05 13:00) is 23 h = 82,800 s.
    // churn/2 promoted and churn/1 archived together at 10:00 (registry); the alias moved from
    // fraud/1 to fraud/2 and ranker/1 took "prod", all seen at 12:00.
    expect(await stageEvents()).toEqual([
      'churn 1 promote 2026-01-05T10:00:00Z registry ',
      'fraud 1 promote 2026-01-05T12:00:00Z observed ',
      'churn 1 demote 2026-01-06T10:00:00Z registry ',
      'churn 2 promote 2026-01-06T10:00:00Z registry ',
      'fraud 1 demote 2026-01-06T12:00:00Z observed 82800',
      'fraud 2 promote 2026-01-06T12:00:00Z observed 82800',
      'ranker 1 promote 2026-01-06T12:00:00Z observed 82800',
    ]);
    // Promotions: churn/2 (lead 10:00 - 09:00 = 3600 s; iteration 01-06 10:00 - 01-05 10:00 =
    // 86,400 s), fraud/2 (lead 12:00 - 09:30 = 9000 s; iteration 86,400 s), ranker/1 (lead
    // 01-06 12:00 - 01-05 11:30 = 88,200 s; its model's first). In production: 3 models.
    expect(await intervals()).toEqual([
      'churn/1 2026-01-05T10:00:00Z -> 2026-01-06T10:00:00Z',
      'fraud/1 2026-01-05T12:00:00Z -> 2026-01-06T12:00:00Z',
      'churn/2 2026-01-06T10:00:00Z -> now',
      'fraud/2 2026-01-06T12:00:00Z -> now',
      'ranker/1 2026-01-06T12:00:00Z -> now',
    ]);
    // Lead times 3600, 3600, 3600, 9000, 88200: mean 108000 / 5 = 21600. Run -> registered:
    // 3600, 1800, 7200 (churn/2 run 07:00), 3600 (fraud/2's run started an hour before, 08:30);
    // ranker/1 has no run: median 3600, mean 16200 / 4 = 4050.
    expect(await metrics()).toEqual({
      inProduction: [2, 3, 3, 3, 3],
      current: 3,
      promotions: [2, 3, 0, 0, 0],
      firstTime: 3,
      total: 5,
      lead: { count: 5, median: 3600, mean: 21600 },
      runToRegistered: { count: 4, median: 3600, mean: 4050 },
      iteration: { count: 2, median: 86400 },
    });
    expect(await version('churn', '1')).toMatchObject({
      current_stage: 'Archived',
      last_updated_at: '2026-01-06T10:00:00Z',
    });
    expect(await version('fraud', '1')).toMatchObject({ aliases: [] });
  });

  it('a version archived, a version deleted, a version promoted again', async () => {
    mlflow.at('2026-01-07T08:00:00Z').transitionStage('churn', '2', 'Archived');
    mlflow.at('2026-01-07T09:00:00Z').deleteVersion('fraud', '1');
    mlflow.at('2026-01-07T10:00:00Z').deleteVersion('ranker', '1');
    mlflow.at('2026-01-07T11:00:00Z').transitionStage('churn', '1', 'Production');

    await poll('2026-01-07T12:00:00Z');

    // churn/2 archived at 08:00 and churn/1 back in at 11:00 (both registry); ranker/1 deleted
    // while holding "prod": out, seen at 12:00 (window 24 h = 86,400 s); fraud/1 was out already.
    expect((await stageEvents()).slice(7)).toEqual([
      'churn 2 demote 2026-01-07T08:00:00Z registry ',
      'churn 1 promote 2026-01-07T11:00:00Z registry ',
      'ranker 1 demote 2026-01-07T12:00:00Z observed 86400',
    ]);
    // churn/1's promotion stays its first entry (01-05 10:00); in production: churn, fraud.
    expect((await intervals()).filter((i) => i.endsWith('now'))).toEqual([
      'fraud/2 2026-01-06T12:00:00Z -> now',
      'churn/1 2026-01-07T11:00:00Z -> now',
    ]);
    // At the end of 01-07: churn/1 (back at 11:00) and fraud/2; ranker/1 left at 12:00. A version
    // promoted again is not a new promotion: the counts and durations stay as they were.
    expect(await metrics()).toMatchObject({
      inProduction: [2, 3, 2, 2, 2],
      current: 2,
      promotions: [2, 3, 0, 0, 0],
      total: 5,
      lead: { count: 5, median: 3600, mean: 21600 },
      iteration: { count: 2, median: 86400 },
    });
    expect(await version('fraud', '1')).toMatchObject({ deleted_at: '2026-01-07T12:00:00Z' });
    expect(await version('ranker', '1')).toMatchObject({
      deleted_at: '2026-01-07T12:00:00Z',
      aliases: ['prod'],
    });
  });

  it('a renamed model keeps its history under the new name', async () => {
    mlflow.at('2026-01-08T09:00:00Z').renameModel('fraud', 'fraud-detector');

    const result = await poll('2026-01-08T12:00:00Z');

    // No stage changed; fraud's 2 versions and 3 stage events move to the new name, same ids.
    expect(result.inserted).toBe(0);
    expect(result.updated).toBe(5);
    const events = await stageEvents();
    expect(events.filter((e) => e.startsWith('fraud '))).toEqual([]);
    expect(events.filter((e) => e.startsWith('fraud-detector '))).toEqual([
      'fraud-detector 1 promote 2026-01-05T12:00:00Z observed ',
      'fraud-detector 1 demote 2026-01-06T12:00:00Z observed 82800',
      'fraud-detector 2 promote 2026-01-06T12:00:00Z observed 82800',
    ]);
    expect(await version('fraud-detector', '2')).toMatchObject({
      native_id: 'fraud/2',
      aliases: ['champion'],
    });
    expect(await version('fraud', '2')).toBeUndefined();
    expect((await intervals()).filter((i) => i.startsWith('fraud'))).toEqual([
      'fraud-detector/1 2026-01-05T12:00:00Z -> 2026-01-06T12:00:00Z',
      'fraud-detector/2 2026-01-06T12:00:00Z -> now',
    ]);
    // The totals do not move; the model's own metrics follow it to its new name.
    expect(await metrics()).toMatchObject({
      inProduction: [2, 3, 2, 2, 2],
      total: 5,
      iteration: { count: 2, median: 86400 },
    });
    expect(await metrics(`${SOURCE_NAME}/fraud-detector`)).toMatchObject({
      inProduction: [1, 1, 1, 1, 1],
      promotions: [1, 1, 0, 0, 0],
      lead: { count: 2, median: 6300, mean: 6300 }, // 3600 and 9000
      iteration: { count: 1, median: 86400 },
    });
    expect(await metrics(`${SOURCE_NAME}/fraud`)).toMatchObject({
      inProduction: [0, 0, 0, 0, 0],
      total: 0,
    });
  });

  it('a model with more versions than a page, a model deleted, a deleted name taken again', async () => {
    mlflow.at('2026-01-09T08:00:00Z').deleteModel('ranker');
    mlflow.at('2026-01-09T09:00:00Z').createModel('ltv');
    for (let minute = 0; minute < 12; minute++) {
      mlflow.at(Date.parse('2026-01-09T09:00:00Z') + minute * 60_000).createVersion('ltv');
    }
    mlflow.at('2026-01-09T10:00:00Z').transitionStage('ltv', '12', 'Production');
    mlflow.at('2026-01-09T10:30:00Z').deleteModel('churn');
    mlflow.at('2026-01-09T11:00:00Z').createModel('churn');
    mlflow.createVersion('churn');

    await poll('2026-01-09T12:00:00Z');

    // ltv/12 (created 09:11) promoted at 10:00 (registry): lead 2,940 s. The old churn, deleted
    // with churn/1 in production, leaves it at the poll (window 24 h) and its history moves to
    // "churn (deleted 2026-01-09)"; the new churn/1 is another version, not in production.
    expect((await stageEvents()).slice(10)).toEqual([
      'ltv 12 promote 2026-01-09T10:00:00Z registry ',
      'churn (deleted 2026-01-09) 1 demote 2026-01-09T12:00:00Z observed 86400',
    ]);
    expect((await intervals()).filter((i) => i.endsWith('now'))).toEqual([
      'fraud-detector/2 2026-01-06T12:00:00Z -> now',
      'ltv/12 2026-01-09T10:00:00Z -> now',
    ]);
    expect(await version('churn', '1')).toMatchObject({
      native_id: 'churn~2/1',
      created_at: '2026-01-09T11:00:00Z',
      deleted_at: null,
    });
    expect(await version('churn (deleted 2026-01-09)', '1')).toMatchObject({
      native_id: 'churn/1',
      deleted_at: '2026-01-09T12:00:00Z',
    });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM model_versions WHERE model = 'ltv'`,
    );
    expect(count).toBe(12);
    // ltv/12: lead 2940 (mean 110940 / 6 = 18490), run -> registered 3600 (mean 19800 / 5 = 3960).
    // The old churn's past stays counted, under its new name.
    expect(await metrics()).toEqual({
      inProduction: [2, 3, 2, 2, 2],
      current: 2,
      promotions: [2, 3, 0, 0, 1],
      firstTime: 4,
      total: 6,
      lead: { count: 6, median: 3600, mean: 18490 },
      runToRegistered: { count: 5, median: 3600, mean: 3960 },
      iteration: { count: 2, median: 86400 },
    });
  });

  it('polling the same state again changes nothing', async () => {
    const result = await poll('2026-01-09T13:00:00Z');
    expect(result).toMatchObject({ events: 0, inserted: 0, updated: 0, cursors: 1 });
  });
});
