import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { ingest } from './support/metrics-client.js';

// Incidents named by a team alone are attributed among the team's repositories (metrics.md
// "Delivery"): the latest successful production deployment finished strictly before the incident,
// ties broken by source, then native id, the highest winning. Checked against that rule written
// out here, on seeded data full of ties: teams sharing a repository, deployments finishing at the
// same hour and at an incident's very time, failures and staging deployments that never count,
// a team without repositories and a team that does not exist, incidents sent in one large batch
// and one at a time.

const HOUR = 3_600_000;
const START = Date.parse('2026-03-01T00:00:00Z');
const TEAMS: Record<string, string[]> = {
  alpha: ['tie/r1', 'tie/r2', 'tie/r3'],
  beta: ['tie/r3', 'tie/r4'],
  empty: [],
};
const REPOS = ['tie/r1', 'tie/r2', 'tie/r3', 'tie/r4', 'tie/r5'];
const SOURCES = ['api', 'ops'];

/** A seeded generator, so a failure can be run again as it was. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

interface Deployment {
  source: string;
  id: string;
  repo: string;
  environment: string;
  status: string;
  finishedMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('incidents named by a team', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('take the latest production success of any of the team’s repositories, ties as documented', async () => {
    for (const [team, repos] of Object.entries(TEAMS))
      await request(t.http).put(`/api/v1/teams/${team}`).set(admin).send({ repos }).expect(200);
    const next = random(20261203);
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
    // Whole hours over ten days: many deployments finish at the same time.
    const deployments: Deployment[] = Array.from({ length: 400 }, (_, i) => ({
      source: pick(SOURCES),
      id: `dep-${String(i).padStart(4, '0')}`,
      repo: pick(REPOS),
      environment: next() < 0.85 ? 'production' : 'staging',
      status: next() < 0.85 ? 'success' : 'failure',
      finishedMs: START + Math.floor(next() * 240) * HOUR,
    }));
    await ingest(
      t,
      deployments.map((d, i) => ({
        type: 'deployment',
        source: d.source,
        id: d.id,
        repo: d.repo,
        environment: d.environment,
        sha: `ab${String(i).padStart(8, '0')}`,
        status: d.status,
        started_at: iso(d.finishedMs - 600_000),
        finished_at: iso(d.finishedMs),
      })),
    );
    const incidents = Array.from({ length: 300 }, (_, i) => ({
      type: 'incident',
      id: `team-inc-${String(i).padStart(4, '0')}`,
      team: pick(['alpha', 'alpha', 'beta', 'beta', 'empty', 'nobody']),
      // Half of them at a whole hour, where deployments finish; from before the first one on.
      created_at: iso(START - 5 * HOUR + Math.floor(next() * 250 * 2) * (HOUR / 2)),
    }));
    await ingest(t, incidents.slice(0, 280));
    for (const incident of incidents.slice(280)) await ingest(t, [incident]);

    const expected = (team: string, createdMs: number) => {
      const repos = TEAMS[team] ?? [];
      const candidates = deployments.filter(
        (d) =>
          repos.includes(d.repo) &&
          d.status === 'success' &&
          d.environment === 'production' &&
          d.finishedMs < createdMs,
      );
      // The highest (finished_at, source, native id); the names sort alike in every collation.
      const key = (d: Deployment) =>
        `${String(d.finishedMs).padStart(15, '0')} ${d.source} ${d.id}`;
      return candidates.sort((a, b) => (key(a) < key(b) ? 1 : -1))[0]?.id ?? null;
    };
    const rows: { native_id: string; deployment: string | null }[] = await t.dataSource.query(
      `SELECT i.native_id, d.native_id AS deployment FROM incidents i
       LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.native_id LIKE 'team-inc-%'`,
    );
    const got = new Map(rows.map((row) => [row.native_id, row.deployment]));
    const want = new Map(
      incidents.map((i) => [i.id, expected(i.team, Date.parse(i.created_at))] as const),
    );
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    // The data has what the rule must get right.
    const attributed = [...want.values()].filter((id) => id !== null);
    expect(attributed.length).toBeGreaterThan(150);
    expect(new Set(attributed).size).toBeGreaterThan(40);
    const atDeploymentTime = incidents.filter((i) =>
      deployments.some((d) => d.finishedMs === Date.parse(i.created_at)),
    );
    expect(atDeploymentTime.length).toBeGreaterThan(20);
  });
});
