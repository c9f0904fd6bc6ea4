import type { MetricResponse } from '../api/types';

/** How many items stand behind a metric answer (read from the API's own summary and series). */
export function itemCount(body: MetricResponse | undefined): number {
  if (!body) return 0;
  switch (body.kind) {
    case 'duration':
      return body.summary.count;
    case 'count':
      return body.summary.total;
    case 'rate':
      return body.summary.deployments;
    case 'gauge':
      // `current` is today's count whatever the range: the range's own periods say.
      return body.series.filter((item) => (item.value ?? 0) > 0).length;
  }
}

/** Whether a metric answer holds nothing to draw. */
export const isEmptyMetric = (body: MetricResponse | undefined): boolean => itemCount(body) === 0;
