import { createTestApp, type TestApp } from '../support/app.js';
import {
  makeDeployment,
  makeModelStage,
  makeModelVersion,
  makePullRequest,
} from '../support/factories.js';
import { getJson, ingest } from './support/metrics-client.js';

// Periods, time zones, statistics and bands, read through GET /api/v1/metrics/{metric}.
describe('metric periods and statistics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const metric = (name: string, query: Record<string, string>) =>
    getJson(t, `/api/v1/metrics/${name}`, query);
  const merged = (repo: string, number: number, mergedAt: string) =>
    makePullRequest({
      repo,
      number,
      created_at: '2026-01-01T00:00:00Z',
      merged_at: mergedAt,
      commits: [],
      reviews: [],
    });

  it('lists every period of an empty range, with null statistics and no band level', async () => {
    // The file's data starts in 2026; the range before it is empty.
    const body = await metric('lead_time_for_changes', { from: '2025-01-06', to: '2025-03-31' });
    expect(body.series).toHaveLength(12);
    expect(body.series[11]).toEqual({
      period_start: '2025-03-24T00:00:00Z',
      count: 0,
      median: null,
      p75: null,
      p90: null,
      mean: null,
    });
    expect(body.summary).toEqual({ count: 0, median: null, p75: null, p90: null, mean: null });
    expect(body.band).toEqual({ benchmark: 'dora-2023', level: null });
  });

  it('interpolates percentiles like percentile_cont and classifies by the chosen benchmark', async () => {
    const repo = 'stats/repo';
    // cycles 1 h, 2 h, 4 h: median 2 h; p75 = 2 h + 0.5 * 2 h = 3 h; p90 = 2 h + 0.8 * 2 h = 3.6 h; mean 7/3 h
    const prs = [1, 2, 4].map((hours, i) =>
      makePullRequest({
        repo,
        number: i + 1,
        created_at: '2026-03-03T08:00:00Z',
        merged_at: `2026-03-03T${String(8 + hours).padStart(2, '0')}:00:00Z`,
        commits: [],
        reviews: [],
      }),
    );
    await ingest(t, prs);
    const body = await metric('pr_cycle_time', { repo, from: '2026-03-02', to: '2026-03-09' });
    expect(body.summary).toMatchObject({
      count: 3,
      median: 7200,
      p75: 10800,
      p90: 12960,
      mean: 8400,
    });
    expect(body.summary.breakdown.coding).toEqual({
      count: 0,
      median: null,
      p75: null,
      p90: null,
      mean: null,
    });
    expect(body.band).toBeUndefined(); // no benchmark for PR cycle time

    // lead time 2 h: dora-2023 elite (< 1 day), dora-2021 high (>= 1 hour, < 1 week)
    await ingest(t, [
      makeDeployment({
        id: 'stats-0',
        repo,
        started_at: '2026-03-02T00:00:00Z',
        finished_at: '2026-03-02T00:05:00Z',
      }),
      makeDeployment({
        id: 'stats-1',
        repo,
        started_at: '2026-03-03T12:00:00Z',
        finished_at: '2026-03-03T12:00:00Z',
      }),
    ]);
    const lead2023 = await metric('lead_time_for_changes', {
      repo,
      from: '2026-03-02',
      to: '2026-03-09',
    });
    // deploy spans: 3 h, 2 h, 0 h -> cycles 4 h, 4 h, 4 h
    expect(lead2023.summary).toMatchObject({ count: 3, median: 14400 });
    expect(lead2023.band).toEqual({ benchmark: 'dora-2023', level: 'elite' });
    const lead2021 = await metric('lead_time_for_changes', {
      repo,
      from: '2026-03-02',
      to: '2026-03-09',
      benchmark: 'dora-2021',
    });
    expect(lead2021.band).toEqual({ benchmark: 'dora-2021', level: 'high' });
  });

  it('counts deployments and deploy-days, with the weekly median for the band', async () => {
    const repo = 'freq/repo';
    await ingest(t, [
      makeDeployment({
        repo,
        started_at: '2026-03-02T09:00:00Z',
        finished_at: '2026-03-02T09:10:00Z',
      }),
      makeDeployment({
        repo,
        started_at: '2026-03-02T15:00:00Z',
        finished_at: '2026-03-02T15:10:00Z',
      }),
      makeDeployment({
        repo,
        started_at: '2026-03-03T09:00:00Z',
        finished_at: '2026-03-03T09:10:00Z',
      }),
      makeDeployment({
        repo,
        status: 'failure',
        started_at: '2026-03-04T09:00:00Z',
        finished_at: '2026-03-04T09:10:00Z',
      }),
      makeDeployment({
        repo,
        environment: 'staging',
        started_at: '2026-03-05T09:00:00Z',
        finished_at: '2026-03-05T09:10:00Z',
      }),
      makeDeployment({
        repo,
        started_at: '2026-03-16T09:00:00Z',
        finished_at: '2026-03-16T09:10:00Z',
      }),
    ]);
    const body = await metric('deployment_frequency', {
      repo,
      from: '2026-03-02',
      to: '2026-03-23',
    });
    // weeks: 3 deployments on 2 days, none, 1 on 1 day -> median deploy-days per week 1: high
    expect(
      body.series.map((p: { value: number; deploy_days: number }) => [p.value, p.deploy_days]),
    ).toEqual([
      [3, 2],
      [0, 0],
      [1, 1],
    ]);
    expect(body.summary).toMatchObject({ total: 4, median_deploy_days_per_week: 1 });
    expect(body.band).toEqual({ benchmark: 'dora-2023', level: 'high' });
    // no whole month in the range
    expect(body.summary.median_deploy_days_per_month).toBeNull();
    // the medians are over whole weeks and months, whatever the series' granularity
    const byDay = await metric('deployment_frequency', {
      repo,
      granularity: 'day',
      from: '2026-03-02',
      to: '2026-03-23',
    });
    expect(byDay.series).toHaveLength(21);
    expect(byDay.summary).toEqual({
      total: 4,
      median_deploy_days_per_week: 1,
      median_deploy_days_per_month: null,
    });
    // Feb 1 - May 1: months [0, 3, 0] deploy-days; the 12 whole weeks from Mon Feb 2 to Sun Apr 26
    // have [2, 1] and ten zeros. A week cut by the range's end (Apr 27 - May 3) is left out.
    const monthly = (from: string) =>
      metric('deployment_frequency', { repo, granularity: 'month', from, to: '2026-05-01' });
    const byMonth = await monthly('2026-02-01');
    expect(byMonth.series.map((p: { deploy_days: number }) => p.deploy_days)).toEqual([0, 3, 0]);
    expect(byMonth.summary).toEqual({
      total: 4,
      median_deploy_days_per_week: 0,
      median_deploy_days_per_month: 0,
    });
    const twoMonths = await monthly('2026-03-01');
    expect(twoMonths.summary.median_deploy_days_per_month).toBe(1.5);
    const staging = await metric('deployment_frequency', {
      repo,
      environment: 'staging',
      from: '2026-03-02',
      to: '2026-03-23',
    });
    expect(staging.summary.total).toBe(1);
    const none = await metric('deployment_frequency', {
      repo,
      from: '2026-03-02',
      to: '2026-03-23',
      benchmark: 'dora-2021',
    });
    expect(none.band).toBeUndefined();
  });

  it.each([
    {
      name: 'days across the spring-forward night (Europe/Berlin)',
      query: { granularity: 'day', tz: 'Europe/Berlin', from: '2026-03-28', to: '2026-03-31' },
      merges: ['2026-03-29T21:30:00Z', '2026-03-29T22:30:00Z'], // Sun 23:30 CEST, Mon 00:30 CEST
      want: [
        ['2026-03-27T23:00:00Z', 0],
        ['2026-03-28T23:00:00Z', 1],
        ['2026-03-29T22:00:00Z', 1],
      ],
    },
    {
      name: 'ISO weeks start Monday local time, across a DST change (America/Los_Angeles)',
      query: {
        granularity: 'week',
        tz: 'America/Los_Angeles',
        from: '2026-03-02',
        to: '2026-03-16',
      },
      merges: ['2026-03-09T06:30:00Z', '2026-03-09T07:30:00Z'], // Sun 23:30 PDT; Mon 00:30 PDT
      want: [
        ['2026-03-02T08:00:00Z', 1],
        ['2026-03-09T07:00:00Z', 1],
      ],
    },
    {
      name: 'months end at local midnight (America/New_York)',
      query: { granularity: 'month', tz: 'America/New_York', from: '2026-02-01', to: '2026-04-01' },
      merges: ['2026-03-01T03:00:00Z', '2026-03-01T06:00:00Z'], // Feb 28 22:00 EST; Mar 1 01:00 EST
      want: [
        ['2026-02-01T05:00:00Z', 1],
        ['2026-03-01T05:00:00Z', 1],
      ],
    },
  ])('$name', async ({ query, merges, want }) => {
    const repo = `tz/${query.tz.replace('/', '-')}`;
    await ingest(
      t,
      merges.map((at, i) => merged(repo, i + 1, at)),
    );
    const body = await metric('pr_throughput', { repo, ...query });
    expect(
      body.series.map((p: { period_start: string; value: number }) => [p.period_start, p.value]),
    ).toEqual(want);
    expect(body.summary.total).toBe(2);
  });

  describe('models', () => {
    const model = (name: string, extra: Record<string, unknown> = {}) => ({
      registry: 'reg',
      model: name,
      ...extra,
    });
    beforeAll(async () => {
      await ingest(t, [
        // alias moved: v1 in production Mar 2, replaced by v2 on Mar 9
        makeModelVersion(
          model('moved', {
            version: '1',
            created_at: '2026-03-01T09:00:00Z',
            run_started_at: '2026-03-01T08:00:00Z',
          }),
        ),
        makeModelVersion(model('moved', { version: '2', created_at: '2026-03-08T09:00:00Z' })),
        makeModelStage(
          model('moved', { version: '1', action: 'promote', at: '2026-03-02T09:00:00Z' }),
        ),
        makeModelStage(
          model('moved', { version: '1', action: 'demote', at: '2026-03-09T09:00:00Z' }),
        ),
        makeModelStage(
          model('moved', { version: '2', action: 'promote', at: '2026-03-09T09:00:00Z' }),
        ),
        // demoted on Mar 4, promoted again on Mar 12; a repeated promote changes nothing
        makeModelVersion(model('again', { version: '1', created_at: '2026-03-01T09:00:00Z' })),
        makeModelStage(
          model('again', { version: '1', action: 'promote', at: '2026-03-02T09:00:00Z' }),
        ),
        makeModelStage(
          model('again', { version: '1', action: 'promote', at: '2026-03-02T10:00:00Z' }),
        ),
        makeModelStage(
          model('again', { version: '1', action: 'demote', at: '2026-03-04T09:00:00Z' }),
        ),
        makeModelStage(
          model('again', { version: '1', action: 'promote', at: '2026-03-12T09:00:00Z' }),
        ),
      ]);
    });
    const range = { from: '2026-03-02', to: '2026-03-16' };

    it('an alias moved keeps the model in production and counts a promotion', async () => {
      const inProduction = await metric('models_in_production', { model: 'reg/moved', ...range });
      expect(inProduction.series.map((p: { value: number }) => p.value)).toEqual([1, 1]);
      expect(inProduction.summary).toEqual({ current: 1 });
      const promotions = await metric('model_promotions', { model: 'moved', ...range });
      expect(
        promotions.series.map((p: { value: number; first_time_models: number }) => [
          p.value,
          p.first_time_models,
        ]),
      ).toEqual([
        [1, 1],
        [1, 0],
      ]);
      expect(promotions.summary).toEqual({ total: 2, first_time_models: 1 });
      // registered -> production: 1 day each; run -> registered: 1 h for v1, unknown for v2
      const lead = await metric('model_release_lead_time', { model: 'reg/moved', ...range });
      expect(lead.summary).toMatchObject({ count: 2, median: 86400 });
      expect(lead.summary.breakdown.run_to_registered).toMatchObject({ count: 1, median: 3600 });
      const iteration = await metric('model_iteration_time', { model: 'reg/moved', ...range });
      expect(iteration.summary).toMatchObject({ count: 1, median: 7 * 86400 });
      // the list says when each version left production: v1 when the alias moved, v2 not yet
      const list = await getJson(t, '/api/v1/model-promotions', { model: 'reg/moved', ...range });
      expect(
        list.items.map((row: { version: string; ended_at: string | null }) => [
          row.version,
          row.ended_at,
        ]),
      ).toEqual([
        ['2', null],
        ['1', '2026-03-09T09:00:00Z'],
      ]);
    });

    it('a version demoted and promoted again leaves production in between and is promoted once', async () => {
      const inProduction = await metric('models_in_production', { model: 'reg/again', ...range });
      expect(inProduction.series.map((p: { value: number }) => p.value)).toEqual([0, 1]);
      // `current` is now, whatever the range: back in production since Mar 12, after this range
      const firstWeek = await metric('models_in_production', {
        model: 'reg/again',
        from: '2026-03-02',
        to: '2026-03-09',
      });
      expect(firstWeek).toMatchObject({ series: [{ value: 0 }], summary: { current: 1 } });
      const promotions = await metric('model_promotions', { model: 'reg/again', ...range });
      expect(promotions.summary).toEqual({ total: 1, first_time_models: 1 });
      const list = await getJson(t, '/api/v1/model-promotions', { model: 'reg/again', ...range });
      expect(list.items).toEqual([
        expect.objectContaining({
          version: '1',
          promoted_at: '2026-03-02T09:00:00Z',
          iteration_time: null,
          ended_at: null, // back in production since Mar 12
        }),
      ]);
    });

    it('counts a model once while versions overlap, and reads a period end at its very instant', async () => {
      const stage = (name: string, version: string, action: string, at: string) =>
        makeModelStage(model(name, { version, action, at }));
      await ingest(t, [
        makeModelVersion(model('nested', { version: '1' })),
        makeModelVersion(model('nested', { version: '2' })),
        makeModelVersion(model('edge', { version: '1' })),
        // v1 and v2 both in at the end of the first week (Mar 9 00:00): one model. v1 leaves at
        // that very instant, so it is still in production there; both are out by the next end.
        stage('nested', '1', 'promote', '2026-03-02T09:00:00Z'),
        stage('nested', '2', 'promote', '2026-03-03T09:00:00Z'),
        stage('nested', '2', 'demote', '2026-03-12T09:00:00Z'),
        stage('nested', '1', 'demote', '2026-03-09T00:00:00Z'),
        // promoted at the very end of the first week: not yet in production at that instant
        stage('edge', '1', 'promote', '2026-03-09T00:00:00Z'),
      ]);
      const values = async (name: string) =>
        (await metric('models_in_production', { model: `reg/${name}`, ...range })).series.map(
          (p: { value: number }) => p.value,
        );
      expect(await values('nested')).toEqual([1, 0]);
      expect(await values('edge')).toEqual([0, 1]);
    });

    it('a version in another environment counts only when that environment is asked for', async () => {
      await ingest(t, [
        makeModelVersion(model('staged', { version: '1', created_at: '2026-03-01T09:00:00Z' })),
        makeModelStage(
          model('staged', {
            version: '1',
            action: 'promote',
            environment: 'Staging',
            at: '2026-03-03T09:00:00Z',
          }),
        ),
      ]);
      const production = await metric('models_in_production', { model: 'reg/staged', ...range });
      expect(production.series.map((p: { value: number }) => p.value)).toEqual([0, 0]);
      expect(production.summary).toEqual({ current: 0 });
      const staging = { model: 'reg/staged', environment: 'staging', ...range };
      const inStaging = await metric('models_in_production', staging);
      expect(inStaging.series.map((p: { value: number }) => p.value)).toEqual([1, 1]);
      expect(inStaging.summary).toEqual({ current: 1 });
      expect((await metric('model_promotions', staging)).summary).toEqual({
        total: 1,
        first_time_models: 1,
      });
      expect((await metric('model_release_lead_time', staging)).summary).toMatchObject({
        count: 1,
        median: 2 * 86400,
      });
    });

    it('production is every environment the pattern matches, whatever its case, and only those', async () => {
      const stage = (name: string, environment: string, at: string) =>
        makeModelStage(model(name, { version: '1', action: 'promote', environment, at }));
      await ingest(t, [
        makeModelVersion(model('upper', { version: '1', created_at: '2026-03-01T09:00:00Z' })),
        makeModelVersion(model('regional', { version: '1', created_at: '2026-03-01T09:00:00Z' })),
        makeModelVersion(model('canary', { version: '1', created_at: '2026-03-01T09:00:00Z' })),
        stage('upper', 'PROD', '2026-03-03T09:00:00Z'),
        stage('regional', 'prod-eu', '2026-03-03T09:00:00Z'),
        stage('canary', 'canary', '2026-03-03T09:00:00Z'),
        stage('canary', 'Production', '2026-03-10T09:00:00Z'),
      ]);
      const values = async (name: string, extra: Record<string, string> = {}) =>
        (
          await metric('models_in_production', { model: `reg/${name}`, ...range, ...extra })
        ).series.map((p: { value: number }) => p.value);
      expect(await values('upper')).toEqual([1, 1]);
      expect(await values('regional')).toEqual([0, 0]);
      expect(await values('regional', { environment: 'PROD-EU' })).toEqual([1, 1]);
      expect(await values('canary')).toEqual([0, 1]);
      expect(await values('canary', { environment: 'canary' })).toEqual([1, 1]);
      const promotedIn = async (extra: Record<string, string>) =>
        (await metric('model_release_lead_time', { model: 'reg/canary', ...range, ...extra }))
          .summary.median;
      expect(await promotedIn({})).toBe(9 * 86400);
      expect(await promotedIn({ environment: 'canary' })).toBe(2 * 86400);
    });

    it('counts registered versions', async () => {
      const body = await metric('model_versions_registered', {
        model: 'reg/moved',
        from: '2026-02-23',
        to: '2026-03-16',
      });
      expect(body.series.map((p: { value: number }) => p.value)).toEqual([1, 1, 0]);
    });
  });
});
