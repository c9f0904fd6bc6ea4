import request from 'supertest';
import { METRICS } from '../../api/src/metrics/metric-catalog.js';
import { MetricsService } from '../../api/src/metrics/metrics.service.js';
import type { HeadlineMetric, ReportModel } from '../../api/src/reports/report.model.js';
import { admin } from '../support/app.js';
import { createReportApp, type ReportApp } from './support/report-app.js';
import { PLATFORM_TEAM, seedTwoWeeks } from './support/seed.js';

describe('reports API', () => {
  let t: ReportApp;
  const W09 = { from: new Date('2026-02-23T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };

  beforeAll(async () => {
    t = await createReportApp({
      file: { timezone: 'UTC', teams: [PLATFORM_TEAM], reports: { teams: ['platform'] } },
    });
    await seedTwoWeeks(t.http);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const post = (body: unknown) =>
    request(t.http)
      .post('/api/v1/reports')
      .set(admin)
      .send(body as object);
  const headline = (content: ReportModel, metric: string) =>
    content.headline.find((m) => m.metric === metric) as HeadlineMetric;

  it('makes the organisation report of a week from what the metrics service answers', async () => {
    const response = await post({ week: '2026-W09' }).expect(201);
    const report = response.body;
    expect(report).toMatchObject({
      week: '2026-W09',
      scope: { team: null },
      period_start: '2026-02-23T00:00:00.000Z',
      period_end: '2026-03-02T00:00:00.000Z',
      deliveries: [],
    });
    const content = report.content as ReportModel;
    expect(content.title).toBe('Lastmile weekly report 2026-W09: organisation');
    // Every metric of the catalog, in its order, with its label and direction.
    expect(content.headline.map((metric) => [metric.metric, metric.label, metric.better])).toEqual(
      METRICS.map((metric) => [metric.name, metric.label, metric.better]),
    );

    const metrics = t.app.get(MetricsService);
    const query = { ...W09, granularity: 'week', tz: 'UTC', benchmark: 'dora-2023' } as const;
    const lead = await metrics.query('lead_time_for_changes', query);
    if (lead.kind !== 'duration') throw new Error('lead time is a duration');
    expect(headline(content, 'lead_time_for_changes')).toMatchObject({
      value: lead.summary.median,
      sample: 2, // PRs 2 and 3, shipped by d2
      band: lead.band?.level ? { benchmark: 'dora-2023', level: lead.band.level } : null,
      better: 'lower',
    });

    // PRs merged: 3 this week (2, 3, 4), 1 the week before (1): +200%.
    expect(headline(content, 'pr_throughput')).toMatchObject({
      value: 3,
      previous: 1,
      change_vs_previous_pct: 200,
    });
    // Weeks W06..W08 before it: the 12-week median of weekly counts [0 x 11, 1] is 0, so no percentage.
    expect(headline(content, 'pr_throughput')).toMatchObject({
      median_12w: 0,
      change_vs_median_pct: null,
    });
    const frequency = headline(content, 'deployment_frequency');
    expect(frequency).toMatchObject({ value: 1, previous: 1, change_vs_previous_pct: 0 });
    expect(frequency.trend).toHaveLength(13);
    expect(frequency.trend.at(-1)).toEqual({ period_start: '2026-02-23T00:00:00Z', value: 1 });
    expect(frequency.trend.at(-2)).toEqual({ period_start: '2026-02-16T00:00:00Z', value: 1 });
    expect(frequency.trend.at(-3)).toEqual({ period_start: '2026-02-09T00:00:00Z', value: 1 });

    // The incident makes d2 a change failure: 1 of 1.
    expect(content.deployments).toMatchObject({ total: 1, failures: 1, change_failure_rate: 1 });
    const rework = await metrics.query('deployment_rework_rate', query);
    if (rework.kind !== 'rate' || !('rework' in rework.summary)) throw new Error('a rework rate');
    expect(content.deployments).toMatchObject({
      rework: rework.summary.rework,
      deployment_rework_rate: rework.summary.value,
    });
    expect(content.incidents).toEqual({ resolved: 1, median_restore_seconds: 7200 });
    expect(headline(content, 'model_promotions')).toMatchObject({ value: 1 });

    // Cycle = coding (0: first commit at creation) + created -> merged + merged -> deployed (d2,
    // 26 Feb 10:10). PR 3: 6 d + 1 d 10 min = 605,400 s; PR 2: 1 d + 2 d 10 min = 259,800 s;
    // PR 4 (never deployed): 6 h = 21,600 s.
    expect(
      content.slowest_pull_requests.map((pr) => [pr.repo, pr.number, pr.cycle_seconds]),
    ).toEqual([
      ['acme/serving', 3, 605_400],
      ['acme/serving', 2, 259_800],
      ['acme/web', 4, 21_600],
    ]);
    expect(content.slowest_pull_requests[0].title).toBe('Rewrite <the> | batcher');
    // Registered 20 Feb 09:00, promoted 25 Feb 09:00: 5 d = 432,000 s.
    expect(content.models_promoted).toEqual([
      {
        registry: 'mlflow-prod',
        model: 'churn',
        version: '7',
        environment: 'production',
        promoted_at: '2026-02-25T09:00:00Z',
        lead_time_seconds: 432_000,
      },
    ]);
    expect(content.deployments.failed).toEqual([
      expect.objectContaining({
        id: 'd2',
        incidents: 1,
        target: 'acme/serving',
        status: 'success',
        change_failure: true,
      }),
    ]);
  });

  it('returns the existing report for the same week and scope, and makes it anew on regenerate', async () => {
    const first = (await post({ week: '2026-W09' }).expect(200)).body;
    const again = (await post({ week: '2026-W09', scope: {} }).expect(200)).body;
    expect(again.id).toBe(first.id);
    t.clock.now = new Date('2026-03-03T10:00:00Z');
    const regenerated = (await post({ week: '2026-W09', regenerate: true }).expect(201)).body;
    expect(regenerated.id).toBe(first.id);
    expect(regenerated.content.generated_at).toBe('2026-03-03T10:00:00.000Z');
    const count = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM reports WHERE week = '2026-W09' AND scope_key = 'org'`,
    );
    expect(count[0].n).toBe(1);
  });

  it('makes a team report from the team’s repositories and models only', async () => {
    const report = (await post({ week: '2026-W09', scope: { team: 'platform' } }).expect(201)).body;
    expect(report.scope).toEqual({ team: 'platform' });
    expect(report.content.title).toBe('Lastmile weekly report 2026-W09: team platform');
    expect(headline(report.content, 'pr_throughput').value).toBe(2); // acme/web's PR 4 is not the team's
  });

  it('lists reports, filters them, and serves JSON, Markdown and HTML', async () => {
    const list = (await request(t.http).get('/api/v1/reports').expect(200)).body.reports;
    expect(list.map((r: { scope: { team: string | null } }) => r.scope.team).sort()).toEqual(
      [null, 'platform'].sort(),
    );
    expect(list[0]).not.toHaveProperty('content');
    const team = (await request(t.http).get('/api/v1/reports?team=platform').expect(200)).body
      .reports;
    expect(team).toHaveLength(1);
    const id = team[0].id;

    const json = await request(t.http).get(`/api/v1/reports/${id}`).expect(200);
    expect(json.body.content.week).toBe('2026-W09');
    const md = await request(t.http).get(`/api/v1/reports/${id}.md`).expect(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.text).toContain('# Lastmile weekly report 2026-W09: team platform');
    expect(md.text).toContain('| PR throughput | 2 |');
    expect(md.text).toContain('| acme/serving#3 | Rewrite \\<the\\> \\| batcher | alice | 7.0 d |');
    expect(md.text).toContain('| churn (mlflow-prod) | 7 |');
    const html = await request(t.http).get(`/api/v1/reports/${id}.html`).expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('<h1 style=');
    expect(html.text).toContain('data:image/svg+xml;base64,');
  });

  it.each([
    [{ week: '2026-9' }, 'week', 'must be an ISO week such as "2026-W09"'],
    [{ week: '2026-W09', scope: { team: 'nobody' } }, 'scope.team', '"nobody" is not a known team'],
    [{ week: '2026-W10' }, 'week', '2026-W10 has not ended yet (in UTC)'], // the clock says 3 Mar
    [{ week: '2026-W09', format: 'md' }, '(body)', 'has unknown field "format"'],
  ])('rejects %j naming %s', async (body, path, message) => {
    const response = await post(body).expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details).toEqual([expect.objectContaining({ path, message })]);
  });

  it('answers 404 for a report that does not exist and 401 for a write without the admin token', async () => {
    await request(t.http).get('/api/v1/reports/999999').expect(404);
    await request(t.http).get('/api/v1/reports/abc.md').expect(404);
    await request(t.http).post('/api/v1/reports').send({ week: '2026-W09' }).expect(401);
    await request(t.http).post('/api/v1/reports/1/deliveries').send({}).expect(401);
    const unknown = await request(t.http).get('/api/v1/reports?colour=red').expect(400);
    expect(unknown.body.details[0].path).toBe('colour');
  });
});
