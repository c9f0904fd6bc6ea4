import type { BandLevel, BenchmarkName, MetricName } from '../metric.types.js';

/** The statistics a band can compare (fields of a metric response's summary). */
export type BandStatistic =
  'median' | 'value' | 'median_deploy_days_per_week' | 'median_deploy_days_per_month';

/** A level is reached when `statistic op value` holds; thresholds are tried best level first. */
export interface BandThreshold {
  level: Exclude<BandLevel, 'low'>;
  statistic: BandStatistic;
  op: '<' | '<=' | '>=';
  value: number;
}

export interface Benchmark {
  name: BenchmarkName;
  source: string;
  metrics: Partial<Record<MetricName, readonly BandThreshold[]>>;
}

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
