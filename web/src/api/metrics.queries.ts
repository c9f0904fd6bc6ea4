import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import type { ScopeQuery } from '../lib/url-state';
import type { MetricResponse } from './types';

export const metricQueryOptions = (metric: string, query: ScopeQuery) =>
  queryOptions({
    queryKey: ['metric', metric, query],
    queryFn: ({ signal }) =>
      apiGet<MetricResponse>(`/api/v1/metrics/${metric}`, { ...query }, signal),
  });

/** GET /api/v1/metrics/{metric}: one call per metric, range and scope. */
export function useMetric(metric: string, query: ScopeQuery, options: { enabled?: boolean } = {}) {
  return useQuery({ ...metricQueryOptions(metric, query), enabled: options.enabled ?? true });
}
