import type { ValueFormat } from '../charts/chart-canvas';
import {
  formatCount,
  formatDuration,
  formatDurations,
  formatPoints,
  formatRatio,
} from '../lib/format';
import { catalogEntry } from './catalog';

/** How a metric's values read, from its kind in the catalog. */
export function metricFormat(metric: string): ValueFormat {
  switch (catalogEntry(metric)?.kind) {
    case 'duration':
      return 'duration';
    case 'rate':
      return 'ratio';
    case 'count':
    case 'gauge':
    case undefined:
      return 'count';
  }
}

/** A difference of two of the metric's values (a confidence interval's ends, a diff-in-diff): a
 * rate's in percentage points, as the API's sentences give it. */
export function formatMetricDifference(metric: string, value: number | null | undefined): string {
  return metricFormat(metric) === 'ratio' ? formatPoints(value) : formatMetricValue(metric, value);
}

/** An interval of differences, both ends in one unit (percentage points for rates). */
export function formatMetricInterval(metric: string, interval: readonly [number, number]): string {
  if (metricFormat(metric) === 'duration') {
    const [low, high] = formatDurations(interval);
    return `${low} to ${high}`;
  }
  return `${formatMetricDifference(metric, interval[0])} to ${formatMetricDifference(metric, interval[1])}`;
}

export const metricLabel = (metric: string): string =>
  catalogEntry(metric)?.label ?? metric.replace(/_/g, ' ');

export function formatMetricValue(metric: string, value: number | null | undefined): string {
  switch (metricFormat(metric)) {
    case 'duration':
      return formatDuration(value);
    case 'ratio':
      return formatRatio(value);
    case 'count':
      return formatCount(value);
  }
}
