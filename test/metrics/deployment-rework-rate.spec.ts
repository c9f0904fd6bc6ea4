import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makeIncident } from '../support/factories.js';
import { getJson, ingest, listAll } from './support/metrics-client.js';

// deployment_rework_rate (METRICS.md): among successful production deployments, the share that
// fixes an earlier one, or is the first of its repository or service to start while one of its
// incidents is open. Each case has a repository of its own, so one app holds them all.
describe('deployment_rework_rate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await request(t.http)
      .put('/api/v1/teams/reworkers')
      .set(admin)
      .send({ repos: ['rework/team-app'] })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const at = (day: number, hour: number, minute = 0) =>
    `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`;
  const deploy = (id: string, repo: string, day: number, hour: number, extra = {}) =>
    makeDeployment({
      id,
      repo,
      started_at: at(day, hour),
      finished_at: at(day, hour, 10),
      ...extra,
    });

  /** The ids the deployments list flags as rework, and the metric's summary, for a repository. */
  async function reworkOf(repo: string) {
    const rows = await listAll(t, 'deployments', { repo });
    const metric = await getJson(t, '/api/v1/metrics/deployment_rework_rate', {
      repo,
      from: '2026-02-23',
      to: '2026-03-30',
    });
    return {
      rework: rows
        .filter((row) => row.is_rework)
        .map((row) => row.id)
        .sort(),
      summary: metric.summary,
    };
  }

  it('answers as change_failure_rate does, with rework in place of failures', async () => {
    const body = await getJson(t, '/api/v1/metrics/deployment_rework_rate', {
      from: '2026-02-23',
      to: '2026-03-30',
    });
    expect(body).toMatchObject({ metric: 'deployment_rework_rate', kind: 'rate', unit: 'ratio' });
    expect(Object.keys(body.summary).sort()).toEqual(['deployments', 'rework', 'value']);
    for (const period of body.series)
      expect(Object.keys(period).sort()).toEqual(
        expect.arrayContaining(['deployments', 'period_start', 'rework', 'value']),
      );
  });

  it('a fix of a fix: both fixes are rework, the deployment they fix is not', async () => {
    const repo = 'rework/fixes';
    await ingest(t, [
      deploy('fx-a', repo, 2, 10),
      deploy('fx-b', repo, 3, 10, { fixes: 'fx-a' }),
      deploy('fx-c', repo, 4, 10, { fixes: 'fx-b' }),
    ]);
    // 2 of 3 deployments
    expect(await reworkOf(repo)).toEqual({
      rework: ['fx-b', 'fx-c'],
      summary: { value: 2 / 3, rework: 2, deployments: 3 },
    });
  });

  it('an incident with no repository but a team: the repository of the deployment it is attributed to', async () => {
    const repo = 'rework/team-app';
    await ingest(t, [
      deploy('tm-before', repo, 2, 10),
      // attributed to tm-before (the latest success finished before 5 Mar 10:00)
      makeIncident({
        id: 'tm-inc',
        repo: undefined,
        team: 'reworkers',
        created_at: at(5, 10),
        resolved_at: at(5, 14),
      }),
      deploy('tm-during', repo, 5, 11),
      deploy('tm-after', repo, 6, 10),
    ]);
    const incident = (await listAll(t, 'incidents', { team: 'reworkers' })).find(
      (row) => row.id === 'tm-inc',
    );
    expect(incident?.deployment_id).toBe('tm-before');
    expect(await reworkOf(repo)).toEqual({
      rework: ['tm-during'],
      summary: { value: 1 / 3, rework: 1, deployments: 3 },
    });
  });

  it('an open incident: the first deployment after it opened is rework, however late', async () => {
    const repo = 'rework/open';
    await ingest(t, [
      deploy('op-before', repo, 4, 10),
      makeIncident({ id: 'op-inc', repo, created_at: at(5, 10), resolved_at: null }),
      deploy('op-first', repo, 12, 10),
      deploy('op-second', repo, 13, 10),
    ]);
    expect((await reworkOf(repo)).rework).toEqual(['op-first']);
  });

  it('two deployments during one incident: only the first is rework', async () => {
    const repo = 'rework/two';
    await ingest(t, [
      makeIncident({ id: 'tw-inc', repo, created_at: at(5, 10), resolved_at: at(5, 18) }),
      deploy('tw-first', repo, 5, 11),
      deploy('tw-second', repo, 5, 12),
      // starts exactly when the incident is resolved: no longer during it
      deploy('tw-at-resolve', repo, 5, 18),
    ]);
    expect(await reworkOf(repo)).toEqual({
      rework: ['tw-first'],
      summary: { value: 1 / 3, rework: 1, deployments: 3 },
    });
  });

  it('a failed deployment during an incident is not counted; the success after it is the rework', async () => {
    const repo = 'rework/failed';
    await ingest(t, [
      makeIncident({ id: 'fl-inc', repo, created_at: at(5, 10), resolved_at: at(5, 18) }),
      deploy('fl-failed', repo, 5, 11, { status: 'failure' }),
      deploy('fl-success', repo, 5, 12),
    ]);
    expect(await reworkOf(repo)).toEqual({
      rework: ['fl-success'],
      summary: { value: 1, rework: 1, deployments: 1 },
    });
  });

  it('a deployment without a start is placed by its finish, and ties go by id, not arrival', async () => {
    const repo = 'rework/ties';
    await ingest(t, [
      makeIncident({ id: 'tie-inc', repo, created_at: at(5, 10), resolved_at: at(5, 18) }),
      deploy('tie-b', repo, 5, 11),
      makeDeployment({ id: 'tie-a', repo, started_at: null, finished_at: at(5, 11) }),
    ]);
    // both start at 11:00 (tie-a by its finish): tie-a comes first by id
    expect((await reworkOf(repo)).rework).toEqual(['tie-a']);
  });
});
