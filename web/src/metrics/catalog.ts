import type { MetricCatalog, MetricCatalogEntry, MetricFilterName } from '../api/types';

// The API's metric catalog as the web last received it. The app renders no page before it has
// arrived (CatalogGate), so code that formats a metric by name can look its facts up here.

let current: MetricCatalog = { metrics: [] };

export function rememberCatalog(catalog: MetricCatalog): MetricCatalog {
  current = catalog;
  return catalog;
}

export function catalogEntry(metric: string): MetricCatalogEntry | undefined {
  return current.metrics.find((entry) => entry.name === metric);
}

export function catalogMetrics(): MetricCatalogEntry[] {
  return current.metrics;
}

const FILTER_WORDS: Record<MetricFilterName, string> = {
  team: 'team',
  repo: 'repository',
  model: 'model',
  environment: 'environment',
};

/** The filters set in the query that do not apply to the metric, as words ("repository"). */
export function unappliedFilters(
  entry: MetricCatalogEntry,
  query: Partial<Record<MetricFilterName, string | undefined>>,
): string[] {
  return (Object.keys(FILTER_WORDS) as MetricFilterName[])
    .filter((filter) => query[filter] && !entry.filters.includes(filter))
    .map((filter) => FILTER_WORDS[filter]);
}
