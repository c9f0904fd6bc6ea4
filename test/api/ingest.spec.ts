import request from 'supertest';
import { ADMIN_TOKEN, admin, createTestApp, type TestApp } from '../support/app.js';
import {
  makeDeployment,
  makeIncident,
  makeModelStage,
  makeModelVersion,
  makePullRequest,
} from '../support/factories.js';

describe('POST /api/v1/events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown) =>
    request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send(body as object);
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('round-trips every event type and derives the PR firsts', async () => {
    const pr = makePullRequest({
      reviews: [
        { author: 'alice', submitted_at: '2026-03-02T11:00:00Z' }, // the author: not a review
        { author: 'dependabot[bot]', submitted_at: '2026-03-02T11:30:00Z' }, // a bot: not a review
        { author: 'bob', submitted_at: '2026-03-02T12:00:00Z', state: 'PENDING' }, // pending: not yet
        { author: 'carol', submitted_at: '2026-03-02T13:00:00Z', state: 'COMMENTED' },
      ],
    });
    const events = [
      pr,
      makeDeployment({ commits: ['abcdef1'], pull_requests: [1] }),
      makeIncident(),
      makeModelVersion(),
      makeModelStage(),
    ];
    const response = await post({ events }).expect(200);
    expect(response.body).toEqual({ accepted: 5, inserted: 5, updated: 0, unchanged: 0 });

    const [row] = await t.dataSource.query(
      `SELECT repo, number, first_commit_at, first_review_at, payload.raw
       FROM pull_requests p JOIN pull_request_payloads payload ON payload.pull_request_id = p.id
       WHERE native_id = $1`,
      [pr.id],
    );
    expect(row.repo).toBe('acme/serving');
    expect(new Date(row.first_commit_at).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(new Date(row.first_review_at).toISOString()).toBe('2026-03-02T13:00:00.000Z');
    expect(row.raw).toEqual(pr);
    const [deployment] = await t.dataSource.query(
      `SELECT payload.raw FROM deployments d
       JOIN deployment_payloads payload ON payload.deployment_id = d.id WHERE d.native_id = $1`,
      [events[1].id],
    );
    expect(deployment.raw).toEqual(events[1]);
    expect(await count('pr_reviews')).toBe(4);
    expect(await count('deployment_commits')).toBe(1);
    expect(await count('deployment_pull_requests')).toBe(1);
    expect(await count('incidents')).toBe(1);
    expect(await count('model_versions')).toBe(1);
    expect(await count('model_stage_events')).toBe(1);
    expect(await count('models')).toBe(1);
  });

  it('changes nothing when the same batch comes twice, and updates a later version', async () => {
    const events = [makePullRequest(), makeDeployment()];
    await post({ events }).expect(200);
    const again = await post({ events }).expect(200);
    expect(again.body).toEqual({ accepted: 2, inserted: 0, updated: 0, unchanged: 2 });
    const changed = await post({ events: [{ ...events[0], title: 'Renamed' }] }).expect(200);
    expect(changed.body).toEqual({ accepted: 1, inserted: 0, updated: 1, unchanged: 0 });
    // The later version's payload replaces the stored one; one payload per row.
    const payloads = await t.dataSource.query(
      `SELECT p.title, payload.raw->>'title' AS stored_title
       FROM pull_requests p JOIN pull_request_payloads payload ON payload.pull_request_id = p.id
       WHERE p.native_id = $1`,
      [events[0].id],
    );
    expect(payloads).toEqual([{ title: 'Renamed', stored_title: 'Renamed' }]);
    expect(await count('pull_request_payloads')).toBe(await count('pull_requests'));
    expect(await count('deployment_payloads')).toBe(await count('deployments'));
  });

  it("replaces a PR's and a deployment's lists with a later version's, and leaves other rows' lists", async () => {
    const review = (author: string, hour: number) => ({
      author,
      submitted_at: `2026-04-02T${hour}:00:00Z`,
      state: 'COMMENTED',
    });
    const commit = (sha: string) => ({ sha, authored_at: '2026-04-01T09:00:00Z' });
    const first = makePullRequest({
      id: 'lists-1',
      number: 901,
      commits: [commit('a1a1a1a'), commit('a2a2a2a')],
      reviews: [review('bob', 10), review('carol', 11), review('dan', 12)],
    });
    const other = makePullRequest({
      id: 'lists-2',
      number: 902,
      commits: [commit('b1b1b1b')],
      reviews: [review('erin', 10)],
    });
    const deployment = makeDeployment({
      id: 'lists-d',
      commits: ['c1c1c1c', 'c2c2c2c'],
      pull_requests: [901, 902],
    });
    await post({ events: [first, other, deployment] }).expect(200);

    const later = {
      ...first,
      commits: [commit('a3a3a3a')],
      reviews: [review('frank', 13), review('bob', 14)],
    };
    await post({
      events: [later, { ...deployment, commits: ['c3c3c3c'], pull_requests: [902] }],
    }).expect(200);

    const lists = (native: string) =>
      t.dataSource.query(
        `SELECT (SELECT array_agg(c.sha ORDER BY c.sha) FROM pr_commits c WHERE c.pull_request_id = p.id) AS commits,
                (SELECT array_agg(r.author ORDER BY r.ordinal) FROM pr_reviews r WHERE r.pull_request_id = p.id) AS reviewers
         FROM pull_requests p WHERE p.native_id = $1`,
        [native],
      );
    expect(await lists('lists-1')).toEqual([{ commits: ['a3a3a3a'], reviewers: ['frank', 'bob'] }]);
    expect(await lists('lists-2')).toEqual([{ commits: ['b1b1b1b'], reviewers: ['erin'] }]);
    const [stated] = await t.dataSource.query(
      `SELECT (SELECT array_agg(c.sha) FROM deployment_commits c WHERE c.deployment_id = d.id) AS commits,
              (SELECT array_agg(n.pr_number) FROM deployment_pull_requests n WHERE n.deployment_id = d.id) AS numbers
       FROM deployments d WHERE d.native_id = 'lists-d'`,
    );
    expect(stated).toEqual({ commits: ['c3c3c3c'], numbers: [902] });
  });

  it('rejects a batch with one bad event, writing nothing and listing every error', async () => {
    const before = await count('pull_requests');
    const events = [
      makePullRequest(),
      makeDeployment({ finished_at: 'yesterday', status: 'maybe' }),
      { type: 'nonsense', id: 'x' },
      makePullRequest({ number: undefined, extra: 1 }),
    ];
    const response = await post({ events }).expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { index: 1, path: 'events[1].finished_at', message: expect.stringMatching(/ISO 8601/) },
        { index: 1, path: 'events[1].status', message: 'must be "success" or "failure"' },
        { index: 2, path: 'events[2].type', message: expect.stringMatching(/must be one of/) },
        { index: 3, path: 'events[3].number', message: 'is required' },
        { index: 3, path: 'events[3]', message: 'has unknown field "extra"' },
      ]),
    );
    expect(await count('pull_requests')).toBe(before);
  });

  it('accepts NDJSON and names the line of a problem', async () => {
    const lines = [makePullRequest(), makeIncident()].map((e) => JSON.stringify(e)).join('\n');
    const ok = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .set('Content-Type', 'application/x-ndjson')
      .send(`${lines}\n`)
      .expect(200);
    expect(ok.body.inserted).toBe(2);
    const bad = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .set('Content-Type', 'application/x-ndjson')
      .send(`${JSON.stringify(makePullRequest())}\n{not json\n`)
      .expect(400);
    expect(bad.body.details).toEqual([{ index: 1, path: 'line 2', message: 'is not valid JSON' }]);
  });

  it('answers 413 past 10,000 events or 10 MB', async () => {
    const many = Array.from({ length: 10_001 }, () => makeIncident());
    const tooMany = await post({ events: many }).expect(413);
    expect(tooMany.body.error).toBe('payload_too_large');
    const big = await post({
      events: [makePullRequest({ title: 'x'.repeat(11 * 1024 * 1024) })],
    }).expect(413);
    expect(big.body.error).toBe('payload_too_large');
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await request(t.http).post('/api/v1/events').send({ events: [] }).expect(401);
    expect(none.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    await request(t.http)
      .post('/api/v1/events')
      .set('Authorization', 'Bearer wrong-token')
      .send({ events: [] })
      .expect(401);
    await request(t.http)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ events: [] })
      .expect(200);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const response = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"events": [')
      .expect(400);
    expect(response.body.error).toBe('invalid_json');
  });
});
