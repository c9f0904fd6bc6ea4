import request from 'supertest';
import type { ReportModel } from '../../api/src/reports/report.model.js';
import { admin } from '../support/app.js';
import { makeDeployment } from '../support/factories.js';
import { createReportApp, type ReportApp } from './support/report-app.js';
import { PLATFORM_TEAM } from './support/seed.js';

describe('decisions in a report', () => {
  let t: ReportApp;
  const WEEK_MS = 7 * 86_400_000;

  beforeAll(async () => {
    t = await createReportApp({
      file: { timezone: 'UTC', teams: [PLATFORM_TEAM, { name: 'web', repos: ['acme/web'] }] },
    });
    // One production deployment a week in the 12 weeks before 5 Jan 2026, four a week from the
    // end of the two weeks' ramp-up (19 Jan) on: deployment frequency clearly improved.
    const events = [];
    for (let week = 0; week < 12; week++) {
      const monday = Date.parse('2025-10-13T10:00:00Z') + week * WEEK_MS;
      events.push(
        makeDeployment({
          finished_at: new Date(monday).toISOString(),
          started_at: new Date(monday - 600_000).toISOString(),
        }),
      );
    }
    for (let week = 0; week < 12; week++) {
      for (let day = 0; day < 4; day++) {
        const at = Date.parse('2026-01-19T10:00:00Z') + week * WEEK_MS + day * 86_400_000;
        events.push(
          makeDeployment({
            finished_at: new Date(at).toISOString(),
            started_at: new Date(at - 600_000).toISOString(),
          }),
        );
      }
    }
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
    const decide = (body: object) =>
      request(t.http).post('/api/v1/decisions').set(admin).send(body).expect(201);
    await decide({
      title: 'Managed CD pipeline',
      kind: 'buy',
      effective_at: '2026-01-05T00:00:00Z',
      scope: { teams: ['platform'] },
    });
    await decide({
      title: 'Docs site rebuild',
      kind: 'build',
      effective_at: '2026-01-12T00:00:00Z',
      scope: { teams: ['web'] },
    });
    await decide({
      title: 'Later decision',
      kind: 'other',
      effective_at: '2026-03-10T00:00:00Z',
      scope: { teams: ['platform'] },
    });
  });
  afterAll(async () => {
    await t.app.close();
  });

  const report = async (scope: object) =>
    (
      await request(t.http)
        .post('/api/v1/reports')
        .set(admin)
        .send({ week: '2026-W09', scope })
        .expect(201)
    ).body.content as ReportModel;

  it('lists the decisions in effect by the end of the week, with their current verdicts', async () => {
    const content = await report({});
    expect(content.decisions?.map((d) => d.title)).toEqual([
      'Docs site rebuild',
      'Managed CD pipeline',
    ]);
    const cd = content.decisions?.find((d) => d.title === 'Managed CD pipeline');
    expect(cd).toMatchObject({ kind: 'buy', effective_at: '2026-01-05T00:00:00.000Z' });
    // 1 a week before, 4 a week after: +300% on the median weekly count.
    expect(cd?.verdicts).toContainEqual({
      metric: 'deployment_frequency',
      verdict: 'improved',
      median_change_pct: 300,
    });
    expect(cd?.verdicts.every((v) => v.verdict !== 'insufficient_data')).toBe(true);
  });

  it('shows a team only the decisions that name it, in every format', async () => {
    const content = await report({ team: 'platform' });
    expect(content.decisions?.map((d) => d.title)).toEqual(['Managed CD pipeline']);
    const [row] = (await request(t.http).get('/api/v1/reports?team=platform').expect(200)).body
      .reports;
    const md = (await request(t.http).get(`/api/v1/reports/${row.id}.md`).expect(200)).text;
    expect(md).toContain('## Decisions in effect');
    expect(md).toMatch(
      /\*\*Managed CD pipeline\*\* \(buy, since 5 Jan 2026\): improved: [^;]*Deployment frequency \+300\.0%/,
    );
    const html = (await request(t.http).get(`/api/v1/reports/${row.id}.html`).expect(200)).text;
    expect(html).toContain('<strong>Managed CD pipeline</strong>');
    expect(html).toMatch(/<strong>improved<\/strong>: [^<]*Deployment frequency \+300\.0%/);
  });

  it('shows the decisions in progress with their reading and weeks observed, and those completed', async () => {
    // Made on Monday 20 April 2026, for the week before (2026-W16, 13 to 19 April).
    t.clock.now = new Date('2026-04-20T09:00:00Z');
    // Recorded five weeks before: two weeks of ramp-up, then three whole weeks of its after window.
    await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({
        title: 'Faster CI runners',
        kind: 'buy',
        effective_at: '2026-03-16T09:00:00Z',
        scope: { teams: ['web'] },
      })
      .expect(201);
    const { body } = await request(t.http)
      .post('/api/v1/reports')
      .set(admin)
      .send({ week: '2026-W16', scope: {} })
      .expect(201);
    const readings = (body.content as ReportModel).decision_readings;
    // Oldest first. "Later decision" (10 March) is three weeks in as well. The full readings of
    // the Managed CD pipeline (5 Jan + 14 weeks = 13 April) and of the Docs site rebuild (12 Jan +
    // 14 weeks: its after window ends as the week does, 20 April 00:00) completed in this week.
    expect(readings?.in_progress.map((r) => [r.title, r.status, r.weeks_observed])).toEqual([
      ['Later decision', 'in_progress', 3],
      ['Faster CI runners', 'in_progress', 3],
    ]);
    const ci = readings?.in_progress[1];
    expect(ci?.headline).toBe(
      'Not enough data to read any metric (3 of 12 weeks observed; full reading on 22 Jun 2026)',
    );
    expect(readings?.completed).toEqual([
      expect.objectContaining({
        title: 'Managed CD pipeline',
        status: 'complete',
        complete_at: '2026-04-13T00:00:00Z',
        verdict: 'improved',
      }),
      expect.objectContaining({
        title: 'Docs site rebuild',
        complete_at: '2026-04-20T00:00:00Z',
        verdict: 'no_clear_change',
      }),
    ]);
    expect(readings?.completed[0].headline).toMatch(
      /^Deployments per week improved; nothing worsened \(all 12 weeks observed\)$/,
    );
    const md = (await request(t.http).get(`/api/v1/reports/${body.id}.md`).expect(200)).text;
    expect(md).toContain('## Decisions\n');
    expect(md).toContain(
      '- **Faster CI runners** (in progress, 3 of 12 weeks observed): Not enough data to read any metric (3 of 12 weeks observed; full reading on 22 Jun 2026)',
    );
    expect(md).toMatch(/- \*\*Managed CD pipeline\*\* \(full reading completed, improved\): /);
    const html = (await request(t.http).get(`/api/v1/reports/${body.id}.html`).expect(200)).text;
    expect(html).toContain('in progress, 3 of 12 weeks observed');
  });
});
