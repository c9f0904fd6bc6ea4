import type { QueryClient } from '@tanstack/react-query';
import { metricQueryOptions } from '../api/metrics.queries';
import type { MetricName } from '../api/types';
import { filtersFrom, type Page, parseRoute, queriesFrom } from '../lib/url-state';

// The metrics each dashboard page draws first. Asked for before React renders and while the
// page's chunk loads, so the API works in parallel with the browser instead of after it.
const FIRST_METRICS: Partial<Record<Page, MetricName[]>> = {
  overview: [
    'models_in_production',
    'lead_time_for_changes',
    'model_release_lead_time',
    'deployment_frequency',
    'change_failure_rate',
    'time_to_restore',
  ],
  delivery: [
    'pr_cycle_time',
    'lead_time_for_changes',
    'deployment_frequency',
    'change_failure_rate',
    'time_to_restore',
    'pr_throughput',
  ],
  models: [
    'models_in_production',
    'model_promotions',
    'model_release_lead_time',
    'model_iteration_time',
    'model_versions_registered',
  ],
};

export function prefetchFirstView(client: QueryClient, location: Location = window.location): void {
  const metrics = FIRST_METRICS[parseRoute(location.pathname).page as Page];
  if (!metrics) return;
  const { query } = queriesFrom(filtersFrom(new URLSearchParams(location.search)));
  for (const metric of metrics) void client.prefetchQuery(metricQueryOptions(metric, query));
}
