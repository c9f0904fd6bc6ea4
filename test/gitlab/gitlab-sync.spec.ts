import request from 'supertest';
import { mlflowCollector } from '@lastmile/collectors';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import type { GitlabStandIn } from '../support/gitlab-stand-in.js';
import { getJson, listAll } from '../metrics/support/metrics-client.js';
import { fastGitlabCollector, TOKEN_ENV } from './collect.js';
import { REPO, scenarioStandIn } from './gitlab-scenario.js';

// The GitLab collector through the real runner (advisory lock, one transaction per batch, cursors,
// sync_runs), the app module and PostgreSQL, against the stand-in serving gitlab-scenario.ts; the
// delivery metrics are read through the API and compared with values worked out by hand.

const HOUR = 3600;
const range = { from: '2026-02-02', to: '2026-02-09', granularity: 'week', repo: REPO };

describe('GitLab sync through the runner', () => {
  let t: TestApp;
  let gitlab: GitlabStandIn;
  let runner: SyncRunner;
  let sourceId: number;
  beforeAll(async () => {
    gitlab = await scenarioStandIn();
    t = await createTestApp(
      { [TOKEN_ENV]: gitlab.token, GITLAB_WRONG_TOKEN: 'glpat-not-the-token' },
      { collectors: [fastGitlabCollector, mlflowCollector] },
    );
    runner = t.app.get(SyncRunner);
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'gitlab',
        name: 'gl',
        base_url: gitlab.url,
        token_env: TOKEN_ENV,
        group: 'acme',
        exclude: ['^docs$'],
      })
      .expect(201);
    sourceId = created.body.id;
  });
  afterAll(async () => {
    await t.close();
    await gitlab.close();
  });

  const sync = async (id: number) => {
    const runId = (await runner.runNow(id))!;
    return (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
  };
  const snapshot = () =>
    t.dataSource.query(
      `SELECT (SELECT max(updated_at) FROM pull_requests WHERE source = 'gl') AS pulls,
              (SELECT max(updated_at) FROM deployments WHERE source = 'gl') AS deployments,
              (SELECT max(updated_at) FROM incidents WHERE source = 'gl') AS incidents,
              (SELECT json_agg(c ORDER BY resource, scope) FROM sync_cursors c) AS cursors`,
    );

  it('stores the scenario, and the delivery metrics equal the values worked out by hand', async () => {
    const run = await sync(sourceId);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.requests).toBe(gitlab.count().total);
    // 7 MRs, 5 deployments (the canceled one is neither), 1 incident.
    expect(run.items).toBe(7 + 5 + 1);

    const prs = await listAll(t, 'pull-requests', { repo: REPO });
    const byNumber = new Map(prs.map((pr) => [pr.number, pr]));
    // Deployed by the first production deployment that shipped each: 101 for !1 and !2, 103 for
    // !3 and !4 (102 failed; 104 went to staging). The bot's !5 is no human PR.
    expect([...byNumber.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(byNumber.get(1)).toMatchObject({
      deployment_id: `${REPO}/deployments/101`,
      first_commit_at: '2026-02-01T15:00:00Z',
      first_review_at: '2026-02-02T10:00:00Z',
    });
    expect(byNumber.get(2)!.deployment_id).toBe(`${REPO}/deployments/101`);
    expect(byNumber.get(3)!.deployment_id).toBe(`${REPO}/deployments/103`);
    expect(byNumber.get(4)).toMatchObject({
      deployment_id: `${REPO}/deployments/103`,
      first_review_at: '2026-02-04T12:15:00Z',
    });

    // Each merged human MR's cycle = coding (first commit → opened) + opened → merged + merged →
    // deployed:
    //   !1: 18 h (Feb 1 15:00 → Feb 2 09:00) + 3 h + 24.5 h (→ 101 at Feb 3 12:30) = 45.5 h = 163,800 s
    //   !2:  2 h (07:00 → 09:00)             + 2 h +  1.5 h (11:00 → 12:30)        =  5.5 h =  19,800 s
    //   !3:  1 h (08:00 → 09:00)             + 1 h +  3 h 20 min (10:00 → 103 at 13:20) =   19,200 s
    //   !4: 30 min (11:30 → 12:00)           + 30 min + 50 min (12:30 → 13:20)      =        6,600 s
    // median of four = (19,200 + 19,800) / 2 = 19,500 s; mean = 209,400 / 4 = 52,350 s.
    const cycle = await getJson(t, '/api/v1/metrics/pr_cycle_time', range);
    expect(cycle.summary).toMatchObject({ count: 4, median: 19_500, mean: 52_350 });
    // Pickup (opened → first response by someone else): !1 1 h (carol's comment; alice's own note
    // does not count), !2 1 h (alice's approval note), !3 30 min, !4 15 min (approved_at):
    // median = (1,800 + 3,600) / 2 = 2,700 s.
    expect(cycle.summary.breakdown.pickup).toMatchObject({ count: 4, median: 2_700 });
    // Deploy: 88,200, 5,400, 12,000, 3,000 s: median (5,400 + 12,000) / 2 = 8,700 s.
    expect(cycle.summary.breakdown.deploy).toMatchObject({ count: 4, median: 8_700 });
    // Every one was deployed, so lead time has the same four values.
    const lead = await getJson(t, '/api/v1/metrics/lead_time_for_changes', range);
    expect(lead.summary).toMatchObject({ count: 4, median: 19_500 });
    // !1 … !4; the bot's !5 is left out.
    const throughput = await getJson(t, '/api/v1/metrics/pr_throughput', range);
    expect(throughput.summary.total).toBe(4);

    // Successful production deployments: 101 (Feb 3) and 103 (Feb 4), on two days; 102 failed,
    // 104 is staging, 105 was canceled.
    const frequency = await getJson(t, '/api/v1/metrics/deployment_frequency', range);
    expect(frequency.summary.total).toBe(2);
    expect(frequency.series[0]).toMatchObject({ value: 2, deploy_days: 2 });
    // The incident opened Feb 4 11:30 goes to the latest production success finished before it,
    // 101 (103 finished at 13:20): 1 failure of 2 deployments.
    const cfr = await getJson(t, '/api/v1/metrics/change_failure_rate', range);
    expect(cfr.summary).toEqual({ value: 0.5, failures: 1, deployments: 2 });
    // Opened 11:30, closed 13:30: restored in 2 h.
    const restore = await getJson(t, '/api/v1/metrics/time_to_restore', range);
    expect(restore.summary).toMatchObject({ count: 1, median: 2 * HOUR });
  });

  it('a second sync with nothing changed writes nothing and costs one request per resource and project', async () => {
    const before = await snapshot();
    gitlab.resetCount();
    const run = await sync(sourceId);
    expect(run).toMatchObject({ status: 'succeeded', items: 0 });
    // The group's project list, then merge requests, deployments and incidents of the two projects
    // left after exclude: seven requests, each answered 304.
    expect(gitlab.count()).toEqual({ total: 1 + 2 * 3, notModified: 1 + 2 * 3 });
    expect(run.requests).toBe(7);
    expect(await snapshot()).toEqual(before);
  });

  it('records a 401 as a failed run naming the variable, and writes nothing', async () => {
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'gitlab',
        name: 'gl-wrong',
        base_url: gitlab.url,
        token_env: 'GITLAB_WRONG_TOKEN',
        projects: [REPO],
      })
      .expect(201);
    const run = await sync(created.body.id);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('environment variable GITLAB_WRONG_TOKEN');
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM pull_requests WHERE source = 'gl-wrong'`,
    );
    expect(count).toBe(0);
  });

  it('takes a GitLab source with a self-managed base URL and refuses one with neither projects nor group', async () => {
    const bad = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'gitlab', name: 'gl-empty', token_env: TOKEN_ENV })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('needs \\"projects\\" or \\"group\\"');
    const listed = await request(t.http).get('/api/v1/sources').set(admin).expect(200);
    const gl = listed.body.sources.find((s: { name: string }) => s.name === 'gl');
    expect(gl.display).toMatchObject({
      label: 'GitLab',
      links: [{ label: 'acme', href: `${gitlab.url}/acme` }],
    });
  });
});
