import type { QueryClient } from '@tanstack/react-query';
import { metricCatalogQueryOptions } from '../api/metric-catalog.queries';
import { metricQueryOptions } from '../api/metrics.queries';
import { filtersFrom, parseRoute, queriesFrom } from '../lib/url-state';

// The catalog, then the metrics the page draws first, asked for before React renders and while
// the page's chunk loads, so the API works in parallel with the browser instead of after it.
export function prefetchFirstView(client: QueryClient, location: Location = window.location): void {
  const page = parseRoute(location.pathname).page;
  const { query } = queriesFrom(filtersFrom(new URLSearchParams(location.search)));
  void client.fetchQuery(metricCatalogQueryOptions).then(
    (catalog) => {
      for (const entry of catalog.metrics)
        if ((entry.pages as string[]).includes(page))
          void client.prefetchQuery(metricQueryOptions(entry.name, query));
    },
    // The app shows the catalog's error itself when it asks again.
    () => undefined,
  );
}
