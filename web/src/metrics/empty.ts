import type { MetricResponses, MetricName } from '../api/types';

/** Whether a metric answer holds nothing to draw (read from the API's own summary). */
export function isEmptyMetric<M extends MetricName>(
  metric: M,
  body: MetricResponses[M] | undefined,
): boolean {
  if (!body) return true;
  const summary = body.summary as Record<string, unknown>;
  if ('count' in summary) return !summary.count;
  if ('deployments' in summary) return !summary.deployments;
  // `current` is today's count whatever the range: the range is empty when its series is.
  if ('current' in summary)
    return body.series.every((item) => !(item as { value?: number | null }).value);
  if ('total' in summary) return !summary.total;
  return body.series.length === 0;
}
