import { demoEvents, inBatches } from '../../api/src/demo/demo-generator.js';
import { DEMO_SIZE, buildOrganisation } from '../../api/src/demo/demo-organisation.js';
import { METRICS } from '../../api/src/metrics/metric-catalog.js';
import type { ResolvedFilter } from '../../api/src/metrics/metric-filter.js';
import type { Granularity } from '../../api/src/metrics/metric.types.js';
import { MetricsRepository } from '../../api/src/metrics/metrics.repository.js';
import type { PeriodMatch } from '../../api/src/metrics/sql/series.sql.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makeIncident, makePullRequest } from '../support/factories.js';
import { ingest } from './support/metrics-client.js';

// A duration metric's items meet their periods either by a range scan per period or by computing
// each item's local period (sql/series.sql.ts). Both must put every item in the same period,
// across daylight saving changes, month ends and a range that starts inside a period.
// Instants that start a period of the cases below: local midnights after a clock change, a month.
const BERLIN_SPRING_MONDAY = '2026-03-29T22:00:00Z';
const NEW_YORK_SPRING_MONDAY = '2026-03-09T04:00:00Z';
const KOLKATA_APRIL = '2026-03-31T18:30:00Z';
const BERLIN_AUTUMN_MONDAY = '2026-10-25T23:00:00Z';

/** PRs merged, PRs deployed and incidents resolved exactly where a period starts. */
function boundaryEvents() {
  const repo = 'edge/boundaries';
  const merged = (number: number, mergedAt: string) =>
    makePullRequest({
      repo,
      number,
      created_at: '2026-03-02T09:00:00Z',
      merged_at: mergedAt,
      commits: [],
      reviews: [],
    });
  return [
    makeDeployment({
      repo,
      started_at: '2026-03-01T10:00:00Z',
      finished_at: '2026-03-01T10:05:00Z',
    }),
    merged(1, NEW_YORK_SPRING_MONDAY),
    merged(2, BERLIN_SPRING_MONDAY),
    // Ships PRs 1 and 2; finishes as April starts in Kolkata.
    makeDeployment({ repo, started_at: '2026-03-31T18:00:00Z', finished_at: KOLKATA_APRIL }),
    merged(3, KOLKATA_APRIL),
    merged(4, '2026-10-25T22:00:00Z'),
    // Ships PRs 3 and 4; finishes as a week starts in Berlin.
    makeDeployment({ repo, started_at: '2026-10-25T22:30:00Z', finished_at: BERLIN_AUTUMN_MONDAY }),
    merged(5, BERLIN_AUTUMN_MONDAY),
    ...[NEW_YORK_SPRING_MONDAY, BERLIN_SPRING_MONDAY, KOLKATA_APRIL, BERLIN_AUTUMN_MONDAY].map(
      (resolvedAt) =>
        makeIncident({ repo, created_at: '2026-03-02T09:00:00Z', resolved_at: resolvedAt }),
    ),
  ];
}

describe('matching items to periods', () => {
  let t: TestApp;
  let repository: MetricsRepository;
  const org = buildOrganisation({
    seed: 7,
    now: new Date('2026-11-23T00:00:00Z'),
    ...DEMO_SIZE,
    pullRequests: 1_500,
    deployments: 1_000,
    modelVersions: 150,
  });

  beforeAll(async () => {
    t = await createTestApp();
    repository = t.app.get(MetricsRepository);
    for (const batch of inBatches(demoEvents(org), 2_000)) await ingest(t, batch);
    await ingest(t, boundaryEvents());
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const durations = METRICS.flatMap((metric) =>
    metric.kind === 'duration' ? [{ name: metric.name, ...metric.query }] : [],
  );
  // Seconds to the millisecond: the mean's float sum depends on the order items are added in.
  const rounded = (rows: unknown) =>
    JSON.parse(
      JSON.stringify(rows, (_key, value: unknown) =>
        typeof value === 'number' ? Math.round(value * 1000) / 1000 : value,
      ),
    ) as unknown;
  const cases: { granularity: Granularity; tz: string }[] = [
    { granularity: 'day', tz: 'Europe/Berlin' },
    { granularity: 'week', tz: 'Europe/Berlin' },
    { granularity: 'week', tz: 'America/New_York' },
    { granularity: 'month', tz: 'Asia/Kolkata' },
  ];
  const everything: ResolvedFilter = { repos: null, models: null, teams: null, environment: null };
  const edge: ResolvedFilter = { ...everything, repos: ['edge/boundaries'] };
  // Items of boundaryEvents: five merged PRs, four of them deployed, four incidents resolved.
  const ON_BOUNDARIES: Record<string, number> = {
    pr_cycle_time: 5,
    lead_time_for_changes: 4,
    time_to_restore: 4,
  };

  it.each(durations.map(({ name }) => name))('%s: the same rows either way', async (name) => {
    const { items, breakdown } = durations.find((metric) => metric.name === name)!;
    const repo = org.teams[1].repos[0];
    const filters = [everything, { ...everything, repos: [repo] }, edge];
    for (const filter of filters) {
      for (const { granularity, tz } of cases) {
        const window = {
          from: new Date('2026-02-18T13:00:00Z'),
          to: new Date('2026-11-04T09:30:00Z'),
          granularity,
          tz,
        };
        const rows = (match: PeriodMatch) =>
          repository.durationSeries(items, breakdown, match, filter, window);
        const [byRange, byBucket] = [await rows('range-scan'), await rows('bucket')];
        expect(rounded(byRange)).toEqual(rounded(byBucket));
        const summary = byBucket.find((row) => row.period_start === null)!;
        if (filter === everything) expect(summary.values.count).toBeGreaterThan(20);
        if (filter === edge && name in ON_BOUNDARIES) {
          expect(summary.values.count).toBe(ON_BOUNDARIES[name]);
        }
      }
    }
  });
});
