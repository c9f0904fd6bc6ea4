import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { makeModelStage, makeModelVersion } from '../support/factories.js';
import { getJson, ingest } from './support/metrics-client.js';

// GET /api/v1/models-in-production: the versions in production now (since when, how precisely),
// and each version that entered or left production in the range, with why it left.
describe('models in production, listed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const stage = (model: string, version: string, action: string, at: string, extra = {}) =>
      makeModelStage({ registry: 'reg', model, version, action, at, ...extra });
    await ingest(t, [
      makeModelVersion({ registry: 'reg', model: 'ranker', version: '1' }),
      makeModelVersion({ registry: 'reg', model: 'ranker', version: '2' }),
      makeModelVersion({ registry: 'reg', model: 'churn', version: '7' }),
      stage('ranker', '1', 'promote', '2026-03-02T09:00:00Z'),
      // the alias moves from 1 to 2
      stage('ranker', '1', 'demote', '2026-03-05T09:00:00Z'),
      stage('ranker', '2', 'promote', '2026-03-05T09:00:00Z', {
        precision: 'observed',
        precision_seconds: 3600,
      }),
      stage('churn', '7', 'promote', '2026-03-03T09:00:00Z'),
      stage('churn', '7', 'demote', '2026-03-06T09:00:00Z'),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the versions in production now and what entered or left in the range, with why', async () => {
    const body = await getJson(t, '/api/v1/models-in-production', {
      from: '2026-03-02',
      to: '2026-03-09',
    });
    expect(body.current).toEqual([
      {
        registry: 'reg',
        model: 'ranker',
        version: '2',
        environment: 'production',
        since: '2026-03-05T09:00:00Z',
        precision: 'observed',
        precision_seconds: 3600,
      },
    ]);
    expect(
      body.changes.map(
        (row: { change: string; model: string; version: string; at: string; reason: string }) =>
          `${row.at} ${row.change} ${row.model}/${row.version}${row.reason ? ` (${row.reason})` : ''}`,
      ),
    ).toEqual([
      '2026-03-06T09:00:00Z left churn/7 (demoted)',
      '2026-03-05T09:00:00Z left ranker/1 (alias moved)',
      '2026-03-05T09:00:00Z entered ranker/2',
      '2026-03-03T09:00:00Z entered churn/7',
      '2026-03-02T09:00:00Z entered ranker/1',
    ]);
  });

  it('takes the metrics’ scope: a model filter, and a 400 for a model nobody knows', async () => {
    const body = await getJson(t, '/api/v1/models-in-production', {
      from: '2026-03-02',
      to: '2026-03-09',
      model: 'churn',
    });
    expect(body.current).toEqual([]);
    expect(body.changes).toHaveLength(2);
    const refused = await request(t.http)
      .get('/api/v1/models-in-production')
      .query({ model: 'nobody' })
      .expect(400);
    expect(refused.body.details).toEqual([
      { path: 'model', message: '"nobody" is not a known model' },
    ]);
  });
});
