import { useQuery } from '@tanstack/react-query';
import { rowsOf } from '../../api/drilldown';
import type { ModelPromotionRow } from '../../api/types';
import { apiGet } from '../../lib/api-client';
import type { ScopeQuery } from '../../lib/url-state';

/** GET /api/v1/model-promotions: each version's promotions and stage or alias intervals. */
export function useModelPromotions(query: ScopeQuery) {
  const { granularity: _granularity, ...scope } = query;
  return useQuery({
    queryKey: ['model-promotions', scope],
    queryFn: ({ signal }) => apiGet<unknown>('/api/v1/model-promotions', scope, signal),
    select: (body) => rowsOf<ModelPromotionRow>(body, 'promotions'),
  });
}
