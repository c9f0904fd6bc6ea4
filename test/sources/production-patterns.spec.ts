import request from 'supertest';
import { ProductionReclassifier } from '../../api/src/ingest/production-reclassifier.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makePullRequest } from '../support/factories.js';
import { ingest, listAll } from '../metrics/support/metrics-client.js';

// metrics.md "Production": a deployment counts when its environment matches its source's pattern
// (a GitHub source's own, else the config file's), whichever way it arrived, and the deployments
// already stored follow a pattern that changes.
describe('production patterns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const createSource = async (name: string, repo: string, pattern: string): Promise<number> =>
    (
      await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send({
          kind: 'github',
          name,
          token_env: 'GITHUB_TOKEN',
          repos: [repo],
          production_environment: pattern,
        })
        .expect(201)
    ).body.id;

  it("follows a GitHub source's own pattern for deployments sent under its name", async () => {
    await createSource('gh-live', 'acme/live', '^live$');
    await ingest(t, [
      makeDeployment({ id: 'live-1', source: 'gh-live', repo: 'acme/live', environment: 'live' }),
      makeDeployment({ id: 'live-2', source: 'gh-live', repo: 'acme/live', environment: 'prod' }),
      // not the source's: the config file's pattern (default ^(prod|production)$)
      makeDeployment({ id: 'live-3', repo: 'acme/live', environment: 'live' }),
      makeDeployment({ id: 'live-4', repo: 'acme/live', environment: 'prod' }),
    ]);
    const production = await listAll(t, 'deployments', { repo: 'acme/live' });
    expect(production.map((row) => row.id).sort()).toEqual(['live-1', 'live-4']);
  });

  it("re-classifies a source's stored deployments when its pattern changes, and re-links them", async () => {
    const id = await createSource('gh-stage', 'acme/stage', '^prod$');
    const source = 'gh-stage';
    await ingest(t, [
      makeDeployment({
        id: 'stage-0',
        source,
        repo: 'acme/stage',
        environment: 'live',
        started_at: '2026-03-01T10:00:00Z',
        finished_at: '2026-03-01T10:05:00Z',
      }),
      makePullRequest({ repo: 'acme/stage', number: 1, merge_commit_sha: 'cafe5001' }),
      makeDeployment({
        id: 'stage-1',
        source,
        repo: 'acme/stage',
        environment: 'live',
        pull_requests: [1],
      }),
    ]);
    const shippedBy = async () =>
      (await listAll(t, 'pull-requests', { repo: 'acme/stage' }))[0].deployment_id ?? null;
    expect(await shippedBy()).toBeNull(); // "live" is not production for this source yet

    // The re-classification runs beside the server; the test waits for it to finish.
    const patch = async (pattern: string) => {
      await request(t.http)
        .patch(`/api/v1/sources/${id}`)
        .set(admin)
        .send({ production_environment: pattern })
        .expect(200);
      await t.app.get(ProductionReclassifier).idle();
    };
    await patch('^live$');
    expect(await shippedBy()).toBe('stage-1');
    expect((await listAll(t, 'deployments', { repo: 'acme/stage' })).map((row) => row.id)).toEqual([
      'stage-1',
      'stage-0',
    ]);
    await patch('^prod$');
    expect(await shippedBy()).toBeNull();
    expect(await listAll(t, 'deployments', { repo: 'acme/stage' })).toEqual([]);
  });
});
