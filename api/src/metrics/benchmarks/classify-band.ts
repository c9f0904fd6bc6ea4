import type { BandLevel, BenchmarkName, MetricName } from '../metric.types.js';
import type { BandStatistic, BandThreshold, Benchmark } from './benchmark.types.js';
import { dora2021 } from './dora-2021.js';
import { dora2023 } from './dora-2023.js';

export const BENCHMARKS: Record<BenchmarkName, Benchmark> = {
  'dora-2023': dora2023,
  'dora-2021': dora2021,
};

/** The thresholds of a metric in a benchmark, or undefined when it gives no band for it. */
export function thresholdsFor(
  benchmark: BenchmarkName,
  metric: MetricName,
): readonly BandThreshold[] | undefined {
  return BENCHMARKS[benchmark].metrics[metric];
}

/**
 * The best level whose threshold holds, else 'low'; null when a statistic a threshold needs is
 * unknown (no data), since "low" would then be a claim the data does not make.
 */
export function classifyBand(
  thresholds: readonly BandThreshold[],
  statistics: Partial<Record<BandStatistic, number | null | undefined>>,
): BandLevel | null {
  for (const threshold of thresholds) {
    const actual = statistics[threshold.statistic];
    if (actual === null || actual === undefined) return null;
    if (compare(actual, threshold.op, threshold.value)) return threshold.level;
  }
  return 'low';
}

function compare(actual: number, op: BandThreshold['op'], limit: number): boolean {
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>=':
      return actual >= limit;
  }
}
