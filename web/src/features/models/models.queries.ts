import { useQuery } from '@tanstack/react-query';
import { drillDownParams } from '../../api/drill-down';
import type { DrillDownPage, ModelPromotionRow } from '../../api/types';
import { apiGet } from '../../lib/api-client';
import type { ScopeQuery } from '../../lib/url-state';

const LIMIT = 2000;

/** GET /api/v1/model-promotions: each version's promotion, with how precisely its time is known. */
export function useModelPromotions(query: ScopeQuery) {
  const params = drillDownParams(query, LIMIT);
  return useQuery({
    queryKey: ['model-promotions', params],
    queryFn: ({ signal }) =>
      apiGet<DrillDownPage<ModelPromotionRow>>('/api/v1/model-promotions', params, signal),
  });
}
