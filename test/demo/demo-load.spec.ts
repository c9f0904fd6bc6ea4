import request from 'supertest';
import { DataSource } from 'typeorm';
import { DecisionsRepository } from '../../api/src/decisions/decisions.repository.js';
import { DemoLoader, type DemoLoadReport } from '../../api/src/demo/demo-loader.js';
import { DEMO_SIZE, buildOrganisation } from '../../api/src/demo/demo-organisation.js';
import { IngestService } from '../../api/src/ingest/ingest.service.js';
import { LinkingService } from '../../api/src/linking/linking.service.js';
import { TeamsRepository } from '../../api/src/teams/teams.repository.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';

const WEEK = 7 * 86_400_000;
const org = buildOrganisation({ seed: 42, now: new Date('2026-11-23T00:00:00Z'), ...DEMO_SIZE });

describe('the demo data in the database', () => {
  let t: TestApp;
  let loader: DemoLoader;
  let first: DemoLoadReport;

  // Everything derived from the data (linking included), and when any row last changed.
  const snapshot = async () =>
    (
      await t.dataSource.query(`
        SELECT
          (SELECT md5(string_agg(concat_ws('|', native_id, deployment_id, deployed_at, first_commit_at, first_review_at, updated_at), ',' ORDER BY native_id)) FROM pull_requests) AS prs,
          (SELECT md5(string_agg(concat_ws('|', native_id, previous_success_id, fixes_id, is_change_failure, updated_at), ',' ORDER BY native_id)) FROM deployments) AS deployments,
          (SELECT md5(string_agg(concat_ws('|', native_id, deployment_id, updated_at), ',' ORDER BY native_id)) FROM incidents) AS incidents,
          (SELECT md5(string_agg(concat_ws('|', native_id, updated_at), ',' ORDER BY native_id)) FROM model_stage_events) AS stages,
          (SELECT md5(string_agg(concat_ws('|', title, effective_at, updated_at), ',' ORDER BY title)) FROM decisions) AS decisions,
          (SELECT md5(string_agg(concat_ws('|', name, updated_at), ',' ORDER BY name)) FROM teams) AS teams`)
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    loader = new DemoLoader({
      dataSource: t.app.get(DataSource),
      ingest: t.app.get(IngestService),
      linking: t.app.get(LinkingService),
      teams: t.app.get(TeamsRepository),
      decisions: t.app.get(DecisionsRepository),
    });
    expect(await loader.hasData()).toBe(false);
    first = await loader.load(org, { batchSize: 3_000 });
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('loads every event, the teams and the two decisions', async () => {
    const total = Object.values(first.events).reduce((sum, n) => sum + n, 0);
    expect(first.written).toEqual({ inserted: total, updated: 0, unchanged: 0 });
    expect(first.teams).toMatchObject({ inserted: 4, updated: 0, unchanged: 0 });
    expect(first.decisions).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const [counts] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM pull_requests)::int AS prs, (SELECT count(*) FROM deployments)::int AS deployments,
              (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM model_versions)::int AS versions,
              (SELECT count(*) FROM model_stage_events)::int AS stages`,
    );
    expect(counts).toEqual({
      prs: first.events.pull_request,
      deployments: first.events.deployment,
      incidents: first.events.incident,
      versions: first.events.model_version,
      stages: first.events.model_stage,
    });
    const teams = await request(t.http).get('/api/v1/teams').set(admin).expect(200);
    const ranking = (teams.body.teams ?? teams.body).find(
      (team: { name: string }) => team.name === 'ranking',
    );
    expect(ranking.models).toEqual(
      expect.arrayContaining([{ registry: 'mlflow-prod', model: 'ranker' }]),
    );
    expect(await loader.hasData()).toBe(true);
  });

  it('changes nothing when loaded a second time', async () => {
    const before = await snapshot();
    const again = await loader.load(org, { batchSize: 5_000 });
    const total = Object.values(again.events).reduce((sum, n) => sum + n, 0);
    expect(again.written).toEqual({ inserted: 0, updated: 0, unchanged: total });
    expect(again.teams).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    expect(again.decisions).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('shows the decision that paid off in the metrics, and not the one that did not', async () => {
    const [paidOff, noEffect] = org.decisions;
    // The windows of metrics.md: 12 weeks before, and 12 weeks after 2 weeks of ramp-up.
    const medians = async (metric: string, decision: typeof paidOff) => {
      const at = Date.parse(decision.effective_at);
      const team = decision.scope.teams[0];
      const window = async (from: number, to: number) => {
        const response = await request(t.http)
          .get(`/api/v1/metrics/${metric}`)
          .query({
            team,
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            granularity: 'month',
          })
          .set(admin)
          .expect(200);
        return response.body.summary as { count: number; median: number };
      };
      return {
        before: await window(at - 12 * WEEK, at),
        after: await window(at + 2 * WEEK, at + 14 * WEEK),
      };
    };

    const release = await medians('lead_time_for_changes', paidOff);
    expect(release.before.count).toBeGreaterThan(100);
    expect(release.after.median / release.before.median).toBeLessThan(0.7);
    const model = await medians('model_release_lead_time', paidOff);
    expect(model.before.count).toBeGreaterThanOrEqual(10);
    expect(model.after.median / model.before.median).toBeLessThan(0.7);

    const unchanged = await medians('lead_time_for_changes', noEffect);
    expect(unchanged.before.count).toBeGreaterThan(100);
    expect(unchanged.after.median / unchanged.before.median).toBeGreaterThan(0.8);
    expect(unchanged.after.median / unchanged.before.median).toBeLessThan(1.25);
  });
});
