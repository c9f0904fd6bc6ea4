import { DAY, HOUR, WEEK } from './benchmark.types.js';
import { classifyBand, thresholdsFor } from './classify-band.js';

describe('classifyBand', () => {
  const lead2023 = thresholdsFor('dora-2023', 'lead_time_for_changes')!;
  const lead2021 = thresholdsFor('dora-2021', 'lead_time_for_changes')!;
  const cfr2023 = thresholdsFor('dora-2023', 'change_failure_rate')!;
  const frequency = thresholdsFor('dora-2023', 'deployment_frequency')!;

  it.each([
    // lead time: dora-2023 elite < 1 day, high < 1 week, medium < 30 days
    { thresholds: lead2023, stats: { median: DAY - 1 }, want: 'elite' },
    { thresholds: lead2023, stats: { median: DAY }, want: 'high' }, // exactly 1 day is not "< 1 day"
    { thresholds: lead2023, stats: { median: 29 * DAY }, want: 'medium' },
    { thresholds: lead2023, stats: { median: 30 * DAY }, want: 'low' },
    // dora-2021: elite < 1 hour, medium < 180 days
    { thresholds: lead2021, stats: { median: 2 * HOUR }, want: 'high' },
    { thresholds: lead2021, stats: { median: 100 * DAY }, want: 'medium' },
    // change failure rate: <= 5% elite, <= 10% high, <= 15% medium
    { thresholds: cfr2023, stats: { value: 0.05 }, want: 'elite' },
    { thresholds: cfr2023, stats: { value: 0.1 }, want: 'high' },
    { thresholds: cfr2023, stats: { value: 0.16 }, want: 'low' },
    // deployment frequency: >= 5 deploy-days a week elite, >= 1 high, >= 1 a month medium
    {
      thresholds: frequency,
      stats: { median_deploy_days_per_week: 5, median_deploy_days_per_month: 20 },
      want: 'elite',
    },
    {
      thresholds: frequency,
      stats: { median_deploy_days_per_week: 0.5, median_deploy_days_per_month: 2 },
      want: 'medium',
    },
    {
      thresholds: frequency,
      stats: { median_deploy_days_per_week: 0, median_deploy_days_per_month: 0 },
      want: 'low',
    },
    // no data: no claim
    { thresholds: lead2023, stats: { median: null }, want: null },
    {
      thresholds: frequency,
      stats: { median_deploy_days_per_week: 0, median_deploy_days_per_month: null },
      want: null,
    },
  ])('$stats -> $want', ({ thresholds, stats, want }) => {
    expect(classifyBand(thresholds, stats)).toBe(want);
  });

  it('gives bands only where the benchmark has them', () => {
    expect(thresholdsFor('dora-2021', 'deployment_frequency')).toBeUndefined();
    expect(thresholdsFor('dora-2023', 'pr_cycle_time')).toBeUndefined();
    expect(thresholdsFor('dora-2023', 'time_to_restore')?.map((t) => t.value)).toEqual([
      HOUR,
      DAY,
      WEEK,
    ]);
  });
});
