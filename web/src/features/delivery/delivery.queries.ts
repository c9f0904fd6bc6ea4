import { useQuery } from '@tanstack/react-query';
import { drillDownParams } from '../../api/drill-down';
import type { DeploymentRow, DrillDownPage, PullRequestRow } from '../../api/types';
import { apiGet } from '../../lib/api-client';
import type { ScopeQuery } from '../../lib/url-state';

/** Rows a drill-down table holds at most; the count of the rest is shown beside it. */
export const DRILL_DOWN_LIMIT = 2000;

const params = (query: ScopeQuery) => drillDownParams(query, DRILL_DOWN_LIMIT);

/** GET /api/v1/pull-requests: one row per merged PR with its stage durations. */
export function usePullRequests(query: ScopeQuery) {
  return useQuery({
    queryKey: ['pull-requests', params(query)],
    queryFn: ({ signal }) =>
      apiGet<DrillDownPage<PullRequestRow>>('/api/v1/pull-requests', params(query), signal),
  });
}

/** GET /api/v1/deployments */
export function useDeployments(query: ScopeQuery) {
  return useQuery({
    queryKey: ['deployments', params(query)],
    queryFn: ({ signal }) =>
      apiGet<DrillDownPage<DeploymentRow>>('/api/v1/deployments', params(query), signal),
  });
}
