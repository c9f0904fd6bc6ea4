import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import { rememberCatalog } from '../metrics/catalog';
import type { MetricCatalog } from './types';

/** GET /api/v1/metrics: the metric catalog, asked once per page load. */
export const metricCatalogQueryOptions = queryOptions({
  queryKey: ['metric-catalog'],
  queryFn: async ({ signal }) =>
    rememberCatalog(await apiGet<MetricCatalog>('/api/v1/metrics', {}, signal)),
  staleTime: Infinity,
});

export function useMetricCatalog() {
  return useQuery(metricCatalogQueryOptions);
}
