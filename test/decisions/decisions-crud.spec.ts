import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';

describe('decisions CRUD (/api/v1/decisions)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await request(t.http)
      .put('/api/v1/teams/platform')
      .set(admin)
      .send({ repos: ['acme/serving'] })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const featureStore = {
    title: 'Adopted a managed feature store',
    kind: 'buy',
    vendor: 'Tecton',
    effective_at: '2026-03-02T09:00:00+01:00',
    scope: { teams: ['platform'], repos: ['acme/features'], models: ['mlflow-prod/churn'] },
  };

  it('creates, reads, lists, edits and deletes a decision', async () => {
    const created = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send(featureStore)
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      title: 'Adopted a managed feature store',
      kind: 'buy',
      vendor: 'Tecton',
      description: null,
      effective_at: '2026-03-02T08:00:00.000Z', // +01:00 stored and returned in UTC
      scope: { teams: ['platform'], repos: ['acme/features'], models: ['mlflow-prod/churn'] },
    });
    const id = created.body.id as number;

    const { summary, ...stored } = (
      await request(t.http).get(`/api/v1/decisions/${id}`).expect(200)
    ).body;
    expect(stored).toEqual(created.body);
    // No events at all: the default reading is complete (March + 14 weeks is past); durations
    // have no values, weekly counts are weeks of zeros, which did not change.
    expect(summary).toMatchObject({
      status: 'complete',
      weeks_observed: 12,
      complete_at: '2026-06-08T08:00:00Z',
      verdict: 'no_clear_change',
      improved: [],
      worsened: [],
    });
    expect(summary.insufficient_data).toContain('pr_cycle_time');
    expect(summary.no_clear_change).toContain('pr_throughput');
    const list = await request(t.http).get('/api/v1/decisions').expect(200);
    expect(list.body.decisions.map((d: { id: number }) => d.id)).toContain(id);
    const byTeam = await request(t.http)
      .get('/api/v1/decisions?team=platform&from=2026-03-01')
      .expect(200);
    expect(byTeam.body.decisions.map((d: { id: number }) => d.id)).toEqual([id]);
    expect(
      (await request(t.http).get('/api/v1/decisions?team=nobody').expect(200)).body.decisions,
    ).toEqual([]);

    const patched = await request(t.http)
      .patch(`/api/v1/decisions/${id}`)
      .set(admin)
      .send({
        description: 'Replaced the home-grown feature cache.',
        scope: { repos: ['acme/features'] },
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      title: 'Adopted a managed feature store',
      description: 'Replaced the home-grown feature cache.',
      scope: { teams: [], repos: ['acme/features'], models: [] },
    });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThanOrEqual(
      Date.parse(created.body.updated_at),
    );

    await request(t.http).delete(`/api/v1/decisions/${id}`).set(admin).expect(204);
    await request(t.http).get(`/api/v1/decisions/${id}`).expect(404);
    await request(t.http).delete(`/api/v1/decisions/${id}`).set(admin).expect(404);
  });

  it('lists every problem of a bad decision at once, each naming its field', async () => {
    const response = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({
        kind: 'rent',
        effective_at: 'last spring',
        scope: { repos: ['not-a-repo'] },
        color: 'red',
      })
      .expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { path: 'title', message: 'is required' },
        { path: 'kind', message: 'must be "buy", "build" or "other"' },
        { path: 'effective_at', message: expect.stringMatching(/ISO 8601/) },
        { path: 'scope.repos[0]', message: 'must be "owner/name"' },
        { path: '(body)', message: 'has unknown field "color"' },
      ]),
    );
  });

  it('rejects an empty scope and names an unknown team', async () => {
    const empty = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({ ...featureStore, scope: { teams: [], repos: [] } })
      .expect(400);
    expect(empty.body.details).toEqual([
      { path: 'scope', message: 'must name at least one team, repository or model' },
    ]);

    const unknown = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send({ ...featureStore, scope: { teams: ['platform', 'ghosts'] } })
      .expect(400);
    expect(unknown.body.details).toEqual([
      { path: 'scope.teams[1]', message: expect.stringMatching(/^"ghosts" is not a known team/) },
    ]);
  });

  it('validates an edit as a whole and leaves the decision unchanged when it fails', async () => {
    const { body: decision } = await request(t.http)
      .post('/api/v1/decisions')
      .set(admin)
      .send(featureStore)
      .expect(201);
    const bad = await request(t.http)
      .patch(`/api/v1/decisions/${decision.id}`)
      .set(admin)
      .send({ kind: 'lease', scope: { teams: ['ghosts'] } })
      .expect(400);
    expect(bad.body.details).toEqual([
      { path: 'kind', message: 'must be "buy", "build" or "other"' },
    ]);
    const ghosts = await request(t.http)
      .patch(`/api/v1/decisions/${decision.id}`)
      .set(admin)
      .send({ scope: { teams: ['ghosts'] } })
      .expect(400);
    expect(ghosts.body.details[0].path).toBe('scope.teams[0]');
    expect(
      (await request(t.http).get(`/api/v1/decisions/${decision.id}`).expect(200)).body,
    ).toEqual({ ...decision, summary: expect.any(Object) });
  });

  it('needs the admin token to write, and answers 404 for an id that is not one', async () => {
    await request(t.http).post('/api/v1/decisions').send(featureStore).expect(401);
    await request(t.http).get('/api/v1/decisions/abc').expect(404);
    await request(t.http).get('/api/v1/decisions/999999').expect(404);
    const unknownParam = await request(t.http).get('/api/v1/decisions?colour=red').expect(400);
    expect(unknownParam.body.details[0].path).toBe('colour');
  });
});
