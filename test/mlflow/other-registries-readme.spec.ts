import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';

// The README's worked examples for other registries are sent as written and must be accepted,
// and must build the history they describe.

function readmeBodies(): unknown[] {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Other model registries'));
  return [...section.matchAll(/-d '(\{[\s\S]*?\})'/g)].map((match) => JSON.parse(match[1]));
}

describe('README: other model registries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('the worked example is accepted, and a resend changes nothing', async () => {
    const bodies = readmeBodies();
    expect(bodies).toHaveLength(1);
    for (const body of bodies) {
      const first = await request(t.http)
        .post('/api/v1/events')
        .set(admin)
        .send(body as object)
        .expect(200);
      expect(first.body.inserted).toBeGreaterThan(0);
      const again = await request(t.http)
        .post('/api/v1/events')
        .set(admin)
        .send(body as object)
        .expect(200);
      expect(again.body).toMatchObject({ inserted: 0, updated: 0 });
    }
    const intervals = await t.dataSource.query(
      `SELECT registry, model, version, started_at, ended_at FROM model_production_intervals ORDER BY registry, version`,
    );
    // ranker/4 in since the alias moved; ranker/3 only demoted (it was never seen promoted, so it
    // has no interval). Registered 2026-03-01 16:02:41, promoted 03-02 11:20:07.412: its release
    // lead time is 19 h 17 min 26.412 s = 69,446.412 s.
    expect(intervals).toEqual([
      {
        registry: 'wandb-acme',
        model: 'ranker',
        version: '4',
        started_at: new Date('2026-03-02T11:20:07.412Z'),
        ended_at: null,
      },
    ]);
    const lead = await request(t.http)
      .get('/api/v1/metrics/model_release_lead_time')
      .query({ from: '2026-03-02', to: '2026-03-03', granularity: 'day' })
      .expect(200);
    expect(lead.body.summary).toMatchObject({ count: 1, median: 69446.412 });
  });
});
