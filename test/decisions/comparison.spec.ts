import request from 'supertest';
import { METRIC_NAMES } from '../../api/src/metrics/metric-catalog.js';
import { seededRandom } from '../../api/src/statistics/random.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeModelStage, makeModelVersion } from '../support/factories.js';

// Known answers, generated through the ingest API: model versions of each team's model, whose
// release lead time (registered -> promoted to production) is drawn around a chosen median.
// Every decision is effective on Monday 2026-03-02 with the default windows: before
// [2025-12-08, 2026-03-02), after [2026-03-16, 2026-06-08).
const EFFECTIVE = Date.parse('2026-03-02T00:00:00Z');
const DAY = 86_400_000;
const HOUR_S = 3600;
const NOW = Date.now();

/** Promotions of `model`, each `hours` after its version was registered at `created` (ms). */
function promotionsAt(model: string, list: { created: number; hours: number }[], tag: string) {
  return list.flatMap(({ created, hours }, i) => {
    const version = `${tag}-${i}`;
    return [
      makeModelVersion({
        id: `${model}-${version}`,
        model,
        version,
        created_at: new Date(created).toISOString(),
      }),
      makeModelStage({
        id: `${model}-${version}-promote`,
        model,
        version,
        at: new Date(created + hours * HOUR_S * 1000).toISOString(),
      }),
    ];
  });
}

/**
 * Four promotions a week through the 12 weeks before 2026-03-02 (a Monday), each registered on a
 * Tuesday and promoted the same week, with lead times around `hoursOfWeek(week)`.
 */
function weeklyPromotions(model: string, seed: number, hoursOfWeek: (week: number) => number) {
  const random = seededRandom(seed);
  const start = EFFECTIVE - 12 * 7 * DAY;
  const list = Array.from({ length: 48 }, (_, i) => {
    const week = Math.floor(i / 4);
    return {
      created: start + week * 7 * DAY + DAY + (i % 4) * 3600_000,
      hours: hoursOfWeek(week) * (0.9 + 0.2 * random()),
    };
  });
  return promotionsAt(model, list, 'weekly');
}

/** `count` promotions inside a window, lead times spread log-normally around `hours`. */
function promotions(
  model: string,
  seed: number,
  count: number,
  window: 'before' | 'after',
  hours: number,
) {
  const random = seededRandom(seed);
  const start = window === 'before' ? EFFECTIVE - 80 * DAY : EFFECTIVE + 16 * DAY;
  return Array.from({ length: count }, (_, i) => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const seconds = Math.round(hours * HOUR_S * Math.exp(0.5 * z));
    const created = start + Math.floor((i * 60 * DAY) / count);
    const version = `${window}-${i}`;
    return [
      makeModelVersion({
        id: `${model}-${version}`,
        model,
        version,
        created_at: new Date(created).toISOString(),
      }),
      makeModelStage({
        id: `${model}-${version}-promote`,
        model,
        version,
        at: new Date(created + seconds * 1000).toISOString(),
      }),
    ];
  }).flat();
}

describe('GET /api/v1/decisions/{id}/comparison', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  const compare = (id: number, query = '') =>
    request(t.http).get(
      `/api/v1/decisions/${id}/comparison?metric=model_release_lead_time${query}`,
    );

  beforeAll(async () => {
    t = await createTestApp();
    const teams: Record<string, string[]> = {
      alpha: ['alpha'],
      beta: ['beta'],
      gamma: ['gamma'],
      delta: ['delta'],
      epsilon: ['epsilon'],
      zeta: ['zeta'],
      iota: ['iota'],
      kappa: ['kappa'],
      eta: ['eta'],
      shared: ['alpha', 'tools'],
    };
    for (const [name, models] of Object.entries(teams)) {
      const body = { models: models.map((model) => ({ registry: 'mlflow-prod', model })) };
      await request(t.http).put(`/api/v1/teams/${name}`).set(admin).send(body).expect(200);
    }
    const events = [
      // alpha more than halves its release lead time; beta, its control, does not change.
      ...promotions('alpha', 1, 30, 'before', 8),
      ...promotions('alpha', 2, 30, 'after', 3),
      ...promotions('beta', 3, 30, 'before', 8),
      ...promotions('beta', 4, 30, 'after', 8),
      // gamma: the same distribution before and after (pure noise).
      ...promotions('gamma', 5, 30, 'before', 6),
      ...promotions('gamma', 6, 30, 'after', 6),
      // delta improves, and so does epsilon, its control: something that hit every team.
      ...promotions('delta', 7, 60, 'before', 8),
      ...promotions('delta', 8, 60, 'after', 3),
      ...promotions('epsilon', 9, 60, 'before', 8),
      ...promotions('epsilon', 10, 60, 'after', 3),
      // zeta: only 4 promotions before.
      ...promotions('zeta', 11, 4, 'before', 8),
      ...promotions('zeta', 12, 30, 'after', 3),
      // iota's lead time falls by an hour a week before the decision while kappa's stays at 10
      // hours: the gap between them narrows steadily, so kappa is no fair control for iota.
      ...weeklyPromotions('iota', 13, (week) => 20 - week),
      ...promotions('iota', 14, 30, 'after', 5),
      ...weeklyPromotions('kappa', 15, () => 10),
      ...promotions('kappa', 16, 30, 'after', 10),
      // eta: recorded three weeks ago, one week of after data so far (six promotions).
      ...promotionsAt(
        'eta',
        Array.from({ length: 30 }, (_, i) => ({ created: NOW - (60 - i) * DAY, hours: 8 })),
        'before',
      ),
      ...promotionsAt(
        'eta',
        Array.from({ length: 6 }, (_, i) => ({ created: NOW - (6.5 - i) * DAY, hours: 3 })),
        'after',
      ),
    ];
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
    for (const team of ['alpha', 'gamma', 'delta', 'zeta', 'iota']) {
      const { body } = await request(t.http)
        .post('/api/v1/decisions')
        .set(admin)
        .send({
          title: `Change for ${team}`,
          kind: 'build',
          effective_at: '2026-03-02T00:00:00Z',
          scope: { teams: [team] },
        })
        .expect(201);
      ids[team] = body.id;
    }
    const record = async (key: string, effective: number | string, scope: object) => {
      const { body } = await request(t.http)
        .post('/api/v1/decisions')
        .set(admin)
        .send({
          title: `Decision ${key}`,
          kind: 'other',
          effective_at: new Date(effective).toISOString(),
          scope,
        })
        .expect(201);
      ids[key] = body.id;
    };
    // Five weeks after alpha's, on the same model named without its registry: they overlap.
    await record('alphaAgain', '2026-04-06T00:00:00Z', { models: ['alpha'] });
    await record('threeWeeks', NOW - 21 * DAY, { teams: ['eta'] });
    await record('oneWeek', NOW - 7 * DAY, { teams: ['eta'] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('calls a real improvement improved, with the windows, statistics and sentence of api.md', async () => {
    const { body } = await compare(ids.alpha, '&control=beta').expect(200);
    expect(body).toMatchObject({
      metric: 'model_release_lead_time',
      unit: 'seconds',
      better: 'lower',
      before: { from: '2025-12-08T00:00:00Z', to: '2026-03-02T00:00:00Z', n: 30 },
      after: { from: '2026-03-16T00:00:00Z', to: '2026-06-08T00:00:00Z', n: 30 },
      verdict: 'improved',
      verdict_without_control: 'improved',
      control: { teams: ['beta'], verdict: 'no_clear_change', used_in_verdict: true },
    });
    expect(body.median_diff).toBeCloseTo(body.after.median - body.before.median, 6);
    expect(body.median_change_pct).toBeLessThan(-40);
    expect(body.ci95[1]).toBeLessThan(0);
    expect(body.control.did_ci95[1]).toBeLessThan(0);
    expect(body.p_value).toBeLessThan(0.001);
    expect(body.p_adjusted).toBeLessThan(0.05);
    expect(body.p_adjusted).toBeGreaterThanOrEqual(body.p_value);
    expect(body).toMatchObject({ status: 'complete', weeks_observed: 12 });
    expect(body.complete_at).toBe('2026-06-08T00:00:00Z');
    // Both flat before the decision: their weekly gap has no trend.
    expect(body.control.pre_trend.parallel).toBe(true);
    expect(body.control.pre_trend.weeks).toBeGreaterThanOrEqual(8);
    expect(body.control.pre_trend.ci95[0]).toBeLessThanOrEqual(0);
    expect(body.control.pre_trend.ci95[1]).toBeGreaterThanOrEqual(0);
    expect(body.sentence).toMatch(
      /^Median model release lead time fell from [\d.]+ to [\d.]+ hours \(-\d+%, 95% CI -\d+% to -\d+%\); the control team \(beta\) (rose|fell) \d+%, within noise\.$/,
    );
  });

  it('calls pure noise no_clear_change', async () => {
    const { body } = await compare(ids.gamma, '&control=none').expect(200);
    expect(body.verdict).toBe('no_clear_change');
    expect(body.ci95[0]).toBeLessThan(0);
    expect(body.ci95[1]).toBeGreaterThan(0);
    expect(body.p_value).toBeGreaterThan(0.05);
    expect(body.control).toBeNull();
    expect(body.sentence).toMatch(/within noise; no control teams to compare against\.$/);
  });

  it('does not credit a change that hit the control teams too', async () => {
    const { body } = await compare(ids.delta, '&control=epsilon').expect(200);
    expect(body.verdict_without_control).toBe('improved');
    expect(body.control.verdict).toBe('improved');
    // Near zero: well within the noise of four medians of 60, and small beside the change itself.
    expect(Math.abs(body.control.did_median)).toBeLessThan(0.3 * Math.abs(body.median_diff));
    expect(body.control.did_ci95[0]).toBeLessThan(0);
    expect(body.control.did_ci95[1]).toBeGreaterThan(0);
    expect(body.verdict).toBe('no_clear_change');
    expect(body.sentence).toMatch(
      /the control team \(epsilon\) fell \d+% too, so the change is not credited/,
    );
  });

  it('says insufficient_data below 5 samples in a window', async () => {
    const { body } = await compare(ids.zeta, '&control=none').expect(200);
    expect(body).toMatchObject({
      verdict: 'insufficient_data',
      ci95: null,
      before: { n: 4 },
      after: { n: 30 },
    });
    expect(body.sentence).toBe(
      'Not enough data to compare model release lead time: 4 promotions before and 30 after (at least 5 needed in each window).',
    );
  });

  it('gives identical results on every run', async () => {
    const first = await compare(ids.delta, '&control=epsilon').expect(200);
    const second = await compare(ids.delta, '&control=epsilon').expect(200);
    expect(second.body).toEqual(first.body);
  });

  it('picks as automatic control every team sharing nothing with the scope', async () => {
    const { body } = await request(t.http)
      .get(`/api/v1/decisions/${ids.alpha}/comparison`)
      .expect(200);
    // "shared" also owns the alpha model, so it is not a control.
    expect(body.control_teams).toEqual([
      'beta',
      'delta',
      'epsilon',
      'eta',
      'gamma',
      'iota',
      'kappa',
      'zeta',
    ]);
    expect(body.comparisons).toHaveLength(METRIC_NAMES.length);
    for (const comparison of body.comparisons)
      expect(comparison.sentence).toEqual(expect.any(String));
    const leadTime = body.comparisons.find(
      (c: { metric: string }) => c.metric === 'model_release_lead_time',
    );
    expect(leadTime.control.teams).toEqual(body.control_teams);
    const deployments = body.comparisons.find(
      (c: { metric: string }) => c.metric === 'deployment_frequency',
    );
    expect(deployments).toMatchObject({
      unit: 'count',
      better: 'higher',
      verdict: 'no_clear_change',
    });
  });

  it('answers bad input with a 400 naming the field', async () => {
    const bad = async (id: number, query: string, path: string) => {
      const response = await request(t.http)
        .get(`/api/v1/decisions/${id}/comparison?${query}`)
        .expect(400);
      expect(response.body.details.map((d: { path: string }) => d.path)).toContain(path);
      return response.body;
    };
    await bad(ids.alpha, 'metric=happiness', 'metric');
    await bad(ids.alpha, 'window_weeks=0', 'window_weeks');
    await bad(ids.alpha, 'ramp_weeks=two', 'ramp_weeks');
    await bad(ids.alpha, 'window_weeks=1.5', 'window_weeks');
    await bad(ids.alpha, 'control=beta,ghosts', 'control');
    await bad(ids.alpha, 'control=alpha', 'control');
    await bad(ids.alpha, 'colour=red', 'colour');
    await bad(ids.alpha, 'ramp_weeks=53', 'ramp_weeks');
    // An after window reaching past now is read, not refused.
    await request(t.http)
      .get(`/api/v1/decisions/${ids.alpha}/comparison?window_weeks=52&metric=pr_throughput`)
      .expect(200);

    // A scope emptied behind the API's back (it refuses one): still a 400, not a 500.
    const [{ id: emptyId }] = await t.dataSource.query(
      `INSERT INTO decisions (title, kind, effective_at, scope) VALUES ('Empty', 'other', '2026-01-05', '{}') RETURNING id`,
    );
    await bad(Number(emptyId), '', 'scope');
    await request(t.http).get('/api/v1/decisions/424242/comparison').expect(404);

    // A team deleted after the decision was recorded: named in the 400.
    await request(t.http)
      .put('/api/v1/teams/interim')
      .set(admin)
      .send({ repos: ['acme/interim'] })
      .expect(200);
    const { body: interim } = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({
        title: 'Interim',
        kind: 'other',
        effective_at: '2026-03-02T00:00:00Z',
        scope: { teams: ['interim'] },
      })
      .expect(201);
    await request(t.http).delete('/api/v1/teams/interim').set(admin).expect(204);
    const gone = await bad(interim.id, '', 'scope.teams[0]');
    expect(gone.details[0].message).toMatch(/"interim" is no longer a team/);
  });

  it('reads a decision three weeks old as in progress and one a week old as ramping up', async () => {
    const { body: recent } = await request(t.http)
      .get(
        `/api/v1/decisions/${ids.threeWeeks}/comparison?metric=model_release_lead_time&control=none`,
      )
      .expect(200);
    expect(recent).toMatchObject({
      status: 'in_progress',
      weeks_observed: 1,
      complete_at: new Date(NOW - 21 * DAY + 14 * 7 * DAY).toISOString().replace('.000Z', 'Z'),
      before: { n: 30 },
      after: { n: 6 },
    });
    // The after window runs from effective_at + 2 weeks to now.
    expect(recent.after.from).toBe(new Date(NOW - 7 * DAY).toISOString().replace('.000Z', 'Z'));
    expect(Date.parse(recent.after.to)).toBeGreaterThanOrEqual(NOW);
    expect(Date.parse(recent.after.to)).toBeLessThanOrEqual(Date.now());

    const { body: ramping } = await request(t.http)
      .get(`/api/v1/decisions/${ids.oneWeek}/comparison`)
      .expect(200);
    expect(ramping).toMatchObject({ status: 'ramping_up', weeks_observed: 0 });
    expect(ramping.summary).toMatchObject({ status: 'ramping_up', verdict: 'insufficient_data' });
    const leadTime = ramping.comparisons.find(
      (c: { metric: string }) => c.metric === 'model_release_lead_time',
    );
    expect(leadTime).toMatchObject({
      verdict: 'insufficient_data',
      before: { n: 30 },
      after: { n: 0 },
      ci95: null,
    });
    expect(leadTime.sentence).toMatch(/^Ramping up: the after window opens on /);
  });

  it('adjusts p-values over the whole reading, and a single metric gets the same verdict', async () => {
    const { body: all } = await request(t.http)
      .get(`/api/v1/decisions/${ids.alpha}/comparison?control=beta`)
      .expect(200);
    const tested = all.comparisons.filter((c: { ci95: unknown }) => c.ci95 !== null);
    expect(tested.length).toBeGreaterThan(1);
    for (const c of all.comparisons) {
      if (c.ci95 === null) expect(c.p_adjusted).toBeNull();
      else expect(c.p_adjusted).toBeGreaterThanOrEqual(c.p_value);
    }
    // The smallest p-value is multiplied by the number of metrics tested (Holm's first step).
    const smallest = tested.reduce((a: { p_value: number }, b: { p_value: number }) =>
      a.p_value <= b.p_value ? a : b,
    );
    expect(smallest.p_adjusted).toBeCloseTo(Math.min(1, smallest.p_value * tested.length), 12);
    for (const metric of ['model_release_lead_time', 'model_promotions', 'pr_throughput']) {
      const { body: one } = await request(t.http)
        .get(`/api/v1/decisions/${ids.alpha}/comparison?control=beta&metric=${metric}`)
        .expect(200);
      const inSet = all.comparisons.find((c: { metric: string }) => c.metric === metric);
      expect({ metric, p: one.p_adjusted, verdict: one.verdict }).toEqual({
        metric,
        p: inSet.p_adjusted,
        verdict: inSet.verdict,
      });
    }
  });

  it('does not use a control whose gap to the scope was already changing', async () => {
    const { body } = await compare(ids.iota, '&control=kappa').expect(200);
    // The gap (iota - kappa) closes by about an hour a week: slope near -3600 s a week.
    expect(body.control.pre_trend.parallel).toBe(false);
    expect(body.control.pre_trend.slope).toBeLessThan(-3000);
    expect(body.control.pre_trend.slope).toBeGreaterThan(-4200);
    expect(body.control.pre_trend.ci95[1]).toBeLessThan(0);
    expect(body.control).toMatchObject({
      used_in_verdict: false,
      not_used_reason: 'trends_not_parallel',
    });
    expect(body.verdict).toBe(body.verdict_without_control);
    expect(body.sentence).toMatch(
      /the control team \(kappa\) .*, but it is not used: before the decision the two were not moving in parallel \(their gap to the scope moved -\d+ minutes a week, 95% CI -\d+ minutes to -\d+ minutes\)\.$/,
    );
  });

  it('lists overlapping decisions in either window as confounders, both ways', async () => {
    const confounders = async (id: number) =>
      (
        await request(t.http)
          .get(`/api/v1/decisions/${id}/comparison?metric=model_release_lead_time`)
          .expect(200)
      ).body.confounders;
    expect(await confounders(ids.alpha)).toEqual([
      {
        id: ids.alphaAgain,
        title: 'Decision alphaAgain',
        effective_at: '2026-04-06T00:00:00.000Z',
      },
    ]);
    expect(await confounders(ids.alphaAgain)).toEqual([
      { id: ids.alpha, title: 'Change for alpha', effective_at: '2026-03-02T00:00:00.000Z' },
    ]);
    // gamma's decision took effect the same day, on another team: not a confounder.
    expect(await confounders(ids.gamma)).toEqual([]);
  });

  it('summarizes each decision on the list and the decision by the verdict table', async () => {
    const { body } = await request(t.http).get('/api/v1/decisions').expect(200);
    const byId = new Map(body.decisions.map((d: { id: number }) => [d.id, d]));
    // The two decisions whose scope cannot be read (bad input test above) have no summary.
    expect(
      body.decisions
        .filter((d: { summary: unknown }) => d.summary === null)
        .map((d: { title: string }) => d.title)
        .sort(),
    ).toEqual(['Empty', 'Interim']);
    for (const decision of body.decisions.filter((d: { summary: unknown }) => d.summary)) {
      const summary = decision.summary;
      const verdicts = [
        ...summary.improved.map(() => 'improved'),
        ...summary.worsened.map(() => 'worsened'),
      ];
      const expected =
        summary.improved.length && summary.worsened.length
          ? 'mixed'
          : summary.improved.length
            ? 'improved'
            : summary.worsened.length
              ? 'worsened'
              : summary.no_clear_change.length
                ? 'no_clear_change'
                : 'insufficient_data';
      expect({ id: decision.id, verdicts, verdict: summary.verdict }).toEqual({
        id: decision.id,
        verdicts,
        verdict: expected,
      });
      expect(
        summary.improved.length +
          summary.worsened.length +
          summary.no_clear_change.length +
          summary.insufficient_data.length,
      ).toBe(METRIC_NAMES.length);
    }
    // alpha's summary is its default comparison's verdicts, grouped. Against every team outside
    // its scope (half of which improved as much), its change is not credited to it.
    const alpha = byId.get(ids.alpha) as { summary: Record<string, unknown> };
    const full = await request(t.http).get(`/api/v1/decisions/${ids.alpha}/comparison`).expect(200);
    for (const verdict of ['improved', 'worsened', 'no_clear_change', 'insufficient_data']) {
      expect(alpha.summary[verdict]).toEqual(
        full.body.comparisons
          .filter((c: { verdict: string }) => c.verdict === verdict)
          .map((c: { metric: string }) => c.metric),
      );
    }
    expect(alpha.summary).toMatchObject({ status: 'complete', verdict: 'no_clear_change' });
    expect(alpha.summary.headline).toBe('No clear change in any metric (all 12 weeks observed)');
    expect(full.body.summary).toEqual(alpha.summary);
    const one = await request(t.http).get(`/api/v1/decisions/${ids.alpha}`).expect(200);
    expect(one.body.summary).toEqual(alpha.summary);
    // Chart markers ask without summaries; a bad value is a 400 naming the field.
    const bare = await request(t.http).get('/api/v1/decisions?summary=false').expect(200);
    expect(bare.body.decisions).toHaveLength(body.decisions.length);
    expect(bare.body.decisions.every((d: object) => !('summary' in d))).toBe(true);
    const bad = await request(t.http).get('/api/v1/decisions?summary=maybe').expect(400);
    expect(bad.body.details[0].path).toBe('summary');
    expect((byId.get(ids.oneWeek) as { summary: unknown }).summary).toMatchObject({
      status: 'ramping_up',
      verdict: 'insufficient_data',
    });
  });

  it('reads again when the data changes (readings are cached by the data version)', async () => {
    const read = async () =>
      (
        await request(t.http)
          .get(`/api/v1/decisions/${ids.threeWeeks}/comparison?metric=model_release_lead_time`)
          .expect(200)
      ).body;
    const first = await read();
    expect((await read()).after.n).toBe(first.after.n);
    const events = promotionsAt('eta', [{ created: NOW - 2 * DAY, hours: 2 }], 'late');
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
    expect((await read()).after.n).toBe(first.after.n + 1);
    // A team's change moves the automatic control, and is read too.
    await request(t.http)
      .put('/api/v1/teams/lambda')
      .set(admin)
      .send({ models: [{ registry: 'mlflow-prod', model: 'lambda' }] })
      .expect(200);
    expect((await read()).control.teams).toContain('lambda');
  });

  it('folds many data changes into one row of the same total weight plus one', async () => {
    const total = async () =>
      (
        await t.dataSource.query(
          `SELECT sum(weight)::int AS sum, count(*)::int AS n FROM data_changes`,
        )
      )[0];
    // Rows as a thousand writing transactions would leave them (ids well below today's).
    await t.dataSource.query(
      `INSERT INTO data_changes (txid) SELECT g::text::xid8 FROM generate_series(3, 1202) AS g`,
    );
    const before = await total();
    expect(before.n).toBeGreaterThan(1000);
    await request(t.http).get('/api/v1/decisions').expect(200);
    const after = await total();
    expect(after).toEqual({ sum: before.sum + 1, n: 1 });
    // And the readings still follow the data after it.
    const { body } = await request(t.http)
      .get(`/api/v1/decisions/${ids.threeWeeks}/comparison?metric=model_release_lead_time`)
      .expect(200);
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: promotionsAt('eta', [{ created: NOW - DAY, hours: 2 }], 'later') })
      .expect(200);
    expect(
      (
        await request(t.http)
          .get(`/api/v1/decisions/${ids.threeWeeks}/comparison?metric=model_release_lead_time`)
          .expect(200)
      ).body.after.n,
    ).toBe(body.after.n + 1);
  });
});
