import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makePullRequest } from '../support/factories.js';
import { ingest } from './support/metrics-client.js';

describe('GET /api/v1/metrics/{metric} and the drill-down lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await ingest(t, [
      ...[1, 2, 3].map((n) =>
        makePullRequest({
          repo: 'api/repo',
          number: n,
          title: n === 2 ? 'Fix "quotes", commas' : `PR ${n}`,
        }),
      ),
      makeDeployment({ repo: 'api/repo' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    { name: 'an unknown metric', path: '/api/v1/metrics/velocity', query: {}, field: 'metric' },
    {
      name: 'an unknown parameter',
      path: '/api/v1/metrics/pr_throughput',
      query: { colour: 'red' },
      field: 'colour',
    },
    {
      name: 'a date that does not exist',
      path: '/api/v1/metrics/pr_throughput',
      query: { from: '2026-02-30' },
      field: 'from',
    },
    {
      name: 'a time without an offset',
      path: '/api/v1/metrics/pr_throughput',
      query: { to: '2026-03-01T10:00:00' },
      field: 'to',
    },
    {
      name: 'an unknown time zone',
      path: '/api/v1/metrics/pr_throughput',
      query: { tz: 'Mars/Olympus' },
      field: 'tz',
    },
    {
      name: 'from at or after to',
      path: '/api/v1/metrics/pr_throughput',
      query: { from: '2026-03-09', to: '2026-03-02' },
      field: 'from',
    },
    {
      name: 'a bad granularity',
      path: '/api/v1/metrics/pr_throughput',
      query: { granularity: 'hour' },
      field: 'granularity',
    },
    {
      name: 'a bad benchmark',
      path: '/api/v1/metrics/pr_throughput',
      query: { benchmark: 'dora-2019' },
      field: 'benchmark',
    },
    {
      name: 'an unknown team',
      path: '/api/v1/metrics/pr_throughput',
      query: { team: 'nobody' },
      field: 'team',
    },
    { name: 'a bad limit', path: '/api/v1/pull-requests', query: { limit: '0' }, field: 'limit' },
    {
      name: 'a bad format',
      path: '/api/v1/deployments',
      query: { format: 'xml' },
      field: 'format',
    },
  ])('answers 400 naming the field for $name', async ({ path, query, field }) => {
    const response = await request(t.http).get(path).query(query).expect(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details).toEqual([
      expect.objectContaining({ path: field, message: expect.any(String) }),
    ]);
  });

  it('defaults to the last 12 complete ISO weeks, weekly', async () => {
    const response = await request(t.http).get('/api/v1/metrics/deployment_frequency').expect(200);
    const { from, to, granularity, series } = response.body;
    expect(granularity).toBe('week');
    expect(series).toHaveLength(12);
    expect(new Date(to).getUTCDay()).toBe(1); // a Monday
    expect(new Date(to).getTime() - new Date(from).getTime()).toBe(84 * 86_400_000);
    expect(new Date(to).getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - new Date(to).getTime()).toBeLessThan(7 * 86_400_000);
  });

  it('pages the pull requests with limit and offset', async () => {
    const query = { repo: 'api/repo', from: '2026-03-02', to: '2026-03-09', limit: '2' };
    const first = await request(t.http).get('/api/v1/pull-requests').query(query).expect(200);
    expect(first.body.total).toBe(3);
    // same merge time: by number
    expect(first.body.items.map((row: { number: number }) => row.number)).toEqual([1, 2]);
    const second = await request(t.http)
      .get('/api/v1/pull-requests')
      .query({ ...query, offset: '2' })
      .expect(200);
    expect(second.body.items.map((row: { number: number }) => row.number)).toEqual([3]);
    const past = await request(t.http)
      .get('/api/v1/pull-requests')
      .query({ ...query, offset: '10' })
      .expect(200);
    expect(past.body).toMatchObject({ items: [], total: 3 });
  });

  it('answers CSV for Accept: text/csv and for format=csv, quoting what needs it', async () => {
    const query = { repo: 'api/repo', from: '2026-03-02', to: '2026-03-09' };
    const byHeader = await request(t.http)
      .get('/api/v1/pull-requests')
      .query(query)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(byHeader.headers['content-type']).toMatch(/^text\/csv/);
    const lines = byHeader.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'repo,number,title,author,created_at,first_commit_at,first_review_at,merged_at,deployed_at,deployment_id,deployment_source,coding,pickup,review,deploy,cycle',
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('"Fix ""quotes"", commas"');
    const byParam = await request(t.http)
      .get('/api/v1/deployments')
      .query({ ...query, format: 'csv' })
      .expect(200);
    expect(byParam.text.split('\r\n')[0]).toMatch(/^id,source,repo,environment,status/);
    const empty = await request(t.http)
      .get('/api/v1/model-promotions')
      .query({ format: 'csv' })
      .expect(200);
    expect(empty.text).toBe(
      'registry,model,version,environment,promoted_at,precision,precision_seconds,registered_at,run_id,release_lead_time,iteration_time,first_promotion_of_model,ended_at\r\n',
    );
  });
});
