import request from 'supertest';
import { DataSource } from 'typeorm';
import { METRIC_NAMES } from '../../api/src/metrics/metric-catalog.js';
import { DecisionsRepository } from '../../api/src/decisions/decisions.repository.js';
import { DemoLoader } from '../../api/src/demo/demo-loader.js';
import {
  buildOrganisation,
  DEMO_SIZE,
  FASTER_TEAM,
  UNCHANGED_TEAM,
} from '../../api/src/demo/demo-organisation.js';
import { IngestService } from '../../api/src/ingest/ingest.service.js';
import { LinkingService } from '../../api/src/linking/linking.service.js';
import { TeamsRepository } from '../../api/src/teams/teams.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';

// The demo generator makes one decision pay off (the team's durations drop to 60% after two weeks
// of ramp-up) and one change nothing; the comparison must say so, against the other teams as the
// automatic control.
const org = buildOrganisation({ seed: 42, now: new Date('2026-11-23T00:00:00Z'), ...DEMO_SIZE });

interface Comparison {
  metric: string;
  verdict: string;
  verdict_without_control: string;
  control: { teams: string[]; verdict: string; used_in_verdict: boolean } | null;
  sentence: string;
}

describe('comparisons of the demo decisions', () => {
  let t: TestApp;
  const byTitle: Record<string, { id: number; scope: { teams: string[] } }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const loader = new DemoLoader({
      dataSource: t.app.get(DataSource),
      ingest: t.app.get(IngestService),
      linking: t.app.get(LinkingService),
      teams: t.app.get(TeamsRepository),
      decisions: t.app.get(DecisionsRepository),
    });
    await loader.load(org, { batchSize: 3_000 });
    const { body } = await request(t.http).get('/api/v1/decisions').expect(200);
    for (const decision of body.decisions) byTitle[decision.title] = decision;
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  const compareAll = async (title: string) => {
    const decision = byTitle[title];
    const started = performance.now();
    const { body } = await request(t.http)
      .get(`/api/v1/decisions/${decision.id}/comparison`)
      .expect(200);
    console.log(
      `comparison of "${title}", all ${METRIC_NAMES.length} metrics: ${Math.round(performance.now() - started)} ms`,
    );
    return {
      body,
      of: (metric: string) =>
        body.comparisons.find((c: Comparison) => c.metric === metric) as Comparison,
    };
  };

  it('finds the decision that paid off improved, and credits it against the unchanged teams', async () => {
    const [paidOff] = org.decisions;
    expect(paidOff.scope.teams).toEqual([FASTER_TEAM]);
    const { body, of } = await compareAll(paidOff.title);
    expect(body.control_teams).toEqual(
      org.teams
        .map((team) => team.name)
        .filter((name) => name !== FASTER_TEAM)
        .sort(),
    );
    for (const metric of ['pr_cycle_time', 'lead_time_for_changes', 'model_release_lead_time']) {
      const comparison = of(metric);
      expect({ metric, verdict: comparison.verdict }).toEqual({ metric, verdict: 'improved' });
      expect(comparison.control).toMatchObject({
        verdict: 'no_clear_change',
        used_in_verdict: true,
      });
      // The control's own change is reported with its verdict, never "did not change".
      expect(comparison.sentence).toMatch(
        /fell from .*; the control teams (rose|fell) \d+%, within noise\.$|stayed at .*, within noise\.$/,
      );
    }
  });

  it('finds the decision that changed nothing no_clear_change', async () => {
    const [, noEffect] = org.decisions;
    expect(noEffect.scope.teams).toEqual([UNCHANGED_TEAM]);
    const { of } = await compareAll(noEffect.title);
    for (const metric of ['pr_cycle_time', 'lead_time_for_changes']) {
      const comparison = of(metric);
      expect({ metric, verdict: comparison.verdict }).toEqual({
        metric,
        verdict: 'no_clear_change',
      });
      expect(comparison.verdict_without_control).toBe('no_clear_change');
    }
  });
});
