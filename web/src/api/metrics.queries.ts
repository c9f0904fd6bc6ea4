import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import type { ScopeQuery } from '../lib/url-state';
import type { MetricName, MetricResponses } from './types';

export const metricQueryOptions = <M extends MetricName>(metric: M, query: ScopeQuery) =>
  queryOptions({
    queryKey: ['metric', metric, query],
    queryFn: ({ signal }) =>
      apiGet<MetricResponses[M]>(`/api/v1/metrics/${metric}`, { ...query }, signal),
  });

/** GET /api/v1/metrics/{metric}: one call per metric, range and scope. */
export function useMetric<M extends MetricName>(
  metric: M,
  query: ScopeQuery,
  options: { enabled?: boolean } = {},
) {
  return useQuery({ ...metricQueryOptions(metric, query), enabled: options.enabled ?? true });
}
