import request from 'supertest';
import { MetricsService } from '../../api/src/metrics/metrics.service.js';
import { METRIC_NAMES } from '../../api/src/metrics/metric.types.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makePullRequest } from '../support/factories.js';

describe('MetricsService answers every metric', () => {
  let t: TestApp;
  let metrics: MetricsService;
  beforeAll(async () => {
    t = await createTestApp();
    metrics = t.app.get(MetricsService);
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: [makePullRequest(), makeDeployment()] })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(METRIC_NAMES)('%s has one item per period and a summary', async (metric) => {
    const response = await metrics.query(metric, {
      from: new Date('2026-02-02T00:00:00Z'),
      to: new Date('2026-03-30T00:00:00Z'),
      granularity: 'week',
      tz: 'UTC',
      benchmark: 'dora-2023',
    });
    expect(response.series).toHaveLength(8);
    expect(response.series[0].period_start).toBe('2026-02-02T00:00:00Z');
    expect(response.summary).toBeDefined();
  });
});
