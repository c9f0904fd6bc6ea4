import type { DrillDownListName, MetricCatalogEntry } from '../api/types';
import { selectDrillDown } from '../features/drill-down/drill-down-state';
import { catalogMetrics } from './catalog';

/** The catalog's metrics a page shows, in the catalog's order. */
export const pageMetrics = (page: 'overview' | 'delivery' | 'models'): MetricCatalogEntry[] =>
  catalogMetrics().filter((entry) => entry.pages.includes(page));

/** The drill-down lists behind some metrics, each once, in their order. */
export const listsOf = (entries: MetricCatalogEntry[]): DrillDownListName[] => [
  ...new Set(entries.flatMap((entry) => (entry.items ? [entry.items.list] : []))),
];

/** What a click on a metric's period does: open its rows in the page's drill-down. */
export const drillInto =
  (entry: MetricCatalogEntry) =>
  (period: { from: string; to: string }): void => {
    if (entry.items)
      selectDrillDown(entry.items.list, { ...period, by: entry.items.by, metric: entry.name });
  };
