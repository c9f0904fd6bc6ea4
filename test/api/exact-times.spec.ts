import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makePullRequest } from '../support/factories.js';

// Times keep PostgreSQL's precision, microseconds, from the request to the answer; a finer time is
// a 400 rather than a silently shortened one.
describe('exact times', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores and answers microseconds as they were sent', async () => {
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({
        events: [
          makePullRequest({
            id: 'exact-1',
            repo: 'acme/exact',
            created_at: '2026-03-02T10:00:00.123456Z',
            merged_at: '2026-03-03T10:00:00.000001+01:00',
          }),
        ],
      })
      .expect(200);
    const [stored] = await t.dataSource.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created,
              to_char(merged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS merged
       FROM pull_requests WHERE native_id = 'exact-1'`,
    );
    expect(stored).toEqual({
      created: '2026-03-02T10:00:00.123456',
      merged: '2026-03-03T09:00:00.000001',
    });
    const { body } = await request(t.http)
      .get('/api/v1/pull-requests?repo=acme/exact&from=2026-03-01&to=2026-03-31')
      .expect(200);
    const text = JSON.stringify(body);
    expect(text).toContain('2026-03-03T09:00:00.000001Z');
    const csv = await request(t.http)
      .get('/api/v1/pull-requests?repo=acme/exact&from=2026-03-01&to=2026-03-31&format=csv')
      .expect(200);
    expect(csv.text).toContain('2026-03-03T09:00:00.000001Z');
  });

  it('refuses a seventh fractional digit with a 400 naming the field', async () => {
    const response = await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({
        events: [makePullRequest({ id: 'exact-2', created_at: '2026-03-02T10:00:00.1234567Z' })],
      })
      .expect(400);
    expect(response.body.details).toEqual([
      expect.objectContaining({
        path: 'events[0].created_at',
        message: expect.stringContaining('6 fractional digits'),
      }),
    ]);
  });
});
