import type { MetricName } from '../api/types';
import type { ValueFormat } from '../charts/chart-canvas';
import {
  formatCount,
  formatDuration,
  formatDurations,
  formatPoints,
  formatRatio,
} from '../lib/format';

export const METRIC_INFO: Record<MetricName, { label: string; format: ValueFormat }> = {
  lead_time_for_changes: { label: 'Release lead time', format: 'duration' },
  pr_cycle_time: { label: 'PR cycle time', format: 'duration' },
  time_to_restore: { label: 'Time to restore', format: 'duration' },
  model_release_lead_time: { label: 'Model release lead time', format: 'duration' },
  model_iteration_time: { label: 'Model iteration time', format: 'duration' },
  deployment_frequency: { label: 'Deployment frequency', format: 'count' },
  pr_throughput: { label: 'PR throughput', format: 'count' },
  model_promotions: { label: 'Model promotions', format: 'count' },
  model_versions_registered: { label: 'Versions registered', format: 'count' },
  change_failure_rate: { label: 'Change failure rate', format: 'ratio' },
  models_in_production: { label: 'Models in production', format: 'count' },
};

/** A difference of two of the metric's values (a confidence interval's ends, a diff-in-diff): a
 * rate's in percentage points, as the API's sentences give it. */
export function formatMetricDifference(metric: string, value: number | null | undefined): string {
  return METRIC_INFO[metric as MetricName]?.format === 'ratio'
    ? formatPoints(value)
    : formatMetricValue(metric, value);
}

/** An interval of differences, both ends in one unit (percentage points for rates). */
export function formatMetricInterval(metric: string, interval: readonly [number, number]): string {
  if (METRIC_INFO[metric as MetricName]?.format === 'duration') {
    const [low, high] = formatDurations(interval);
    return `${low} to ${high}`;
  }
  return `${formatMetricDifference(metric, interval[0])} to ${formatMetricDifference(metric, interval[1])}`;
}

export const metricLabel = (metric: string): string =>
  METRIC_INFO[metric as MetricName]?.label ?? metric.replace(/_/g, ' ');

export function formatMetricValue(metric: string, value: number | null | undefined): string {
  switch (METRIC_INFO[metric as MetricName]?.format) {
    case 'duration':
      return formatDuration(value);
    case 'ratio':
      return formatRatio(value);
    case 'count':
    case undefined:
      return formatCount(value);
  }
}
