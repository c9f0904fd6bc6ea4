import { useQuery } from '@tanstack/react-query';
import { drillDownParams } from '../../api/drill-down';
import type { DrillDownListName, DrillDownPage } from '../../api/types';
import { apiGet } from '../../lib/api-client';
import type { ScopeQuery } from '../../lib/url-state';

/** Rows a drill-down table holds at most; the count of the rest is shown beside it. */
export const DRILL_DOWN_LIMIT = 2000;

/** GET /api/v1/{list}: the rows behind the metrics, in the range (or one period of it). */
export function useDrillDown<Row>(
  list: DrillDownListName,
  query: ScopeQuery,
  options: { by?: string; enabled?: boolean } = {},
) {
  const params = { ...drillDownParams(query, DRILL_DOWN_LIMIT), by: options.by };
  return useQuery({
    queryKey: [list, params],
    queryFn: ({ signal }) => apiGet<DrillDownPage<Row>>(`/api/v1/${list}`, params, signal),
    enabled: options.enabled ?? true,
  });
}
