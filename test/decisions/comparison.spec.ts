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
    ];
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
    for (const team of ['alpha', 'gamma', 'delta', 'zeta']) {
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
    expect(body.sentence).toMatch(
      /^Median model release lead time fell from [\d.]+ to [\d.]+ hours \(-\d+%, 95% CI -\d+% to -\d+%\); the control team \(beta\) did not change\.$/,
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
    expect(body.control_teams).toEqual(['beta', 'delta', 'epsilon', 'gamma', 'zeta']);
    expect(body.comparisons).toHaveLength(METRIC_NAMES.length);
    for (const comparison of body.comparisons)
      expect(comparison.sentence).toEqual(expect.any(String));
    const leadTime = body.comparisons.find(
      (c: { metric: string }) => c.metric === 'model_release_lead_time',
    );
    expect(leadTime.control.teams).toEqual(['beta', 'delta', 'epsilon', 'gamma', 'zeta']);
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
    // 2026-03-02 + 2 + 40 weeks = 2026-12-21, after the machine's today.
    const pastNow = await bad(ids.alpha, 'window_weeks=40', 'window_weeks');
    expect(pastNow.details[0].message).toMatch(/would end at 2026-12-21T00:00:00Z, after now/);

    const { body: recent } = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({
        title: 'Too recent',
        kind: 'other',
        effective_at: new Date(Date.now() - 7 * DAY).toISOString(),
        scope: { models: ['mlflow-prod/alpha'] },
      })
      .expect(201);
    await bad(recent.id, '', 'window_weeks');

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
});
