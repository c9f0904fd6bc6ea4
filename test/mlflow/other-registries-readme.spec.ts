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

  it('the SageMaker and Vertex examples are accepted, and a resend changes nothing', async () => {
    const bodies = readmeBodies();
    expect(bodies).toHaveLength(2);
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
    // SageMaker churn-model/7 in since its approval; Vertex ranker/4 in, ranker/3 only demoted (it
    // was never seen promoted, so it has no interval).
    expect(intervals).toEqual([
      {
        registry: 'sagemaker-prod',
        model: 'churn-model',
        version: '7',
        started_at: new Date('2026-03-02T10:14:03Z'),
        ended_at: null,
      },
      {
        registry: 'vertex-europe-west4',
        model: 'ranker',
        version: '4',
        started_at: new Date('2026-03-02T11:20:07.412Z'),
        ended_at: null,
      },
    ]);
  });
});
