import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment } from '../support/factories.js';

// Linking looks rows up by key in tables a first load fills faster than autovacuum analyzes them.
// The planner then guesses a thousand rows a key and picks bitmap scans for lookups that find one,
// so linking analyzes a table that has never been analyzed once a batch writes enough into it.
describe('planner statistics during a first load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const deployments = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, i) =>
      makeDeployment({
        repo: 'acme/statistics',
        commits: [`${prefix}${String(i).padStart(6, '0')}`],
        finished_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        started_at: undefined,
      }),
    );
  /** pg_class.reltuples: -1 until the table is first analyzed, then the rows it counted. */
  const believed = async (table: string) =>
    Number(
      (
        await t.dataSource.query(
          `SELECT reltuples::float8 AS n FROM pg_class
           WHERE relname = $1 AND relnamespace = current_schema()::regnamespace`,
          [table],
        )
      )[0].n,
    );

  it('leaves a small batch to autovacuum, and analyzes the stated lists once a batch is large', async () => {
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: deployments(20, 'aa') })
      .expect(200);
    expect(await believed('deployment_commits')).toBe(-1);

    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: deployments(1500, 'bb') })
      .expect(200);
    // Analyzed inside the batch's transaction: its own rows are counted.
    expect(await believed('deployment_commits')).toBe(1520);
    expect(await believed('deployment_pull_requests')).toBe(0);
  });
});
