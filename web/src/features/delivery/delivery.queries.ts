import { useQuery } from '@tanstack/react-query';
import { rowsOf } from '../../api/drilldown';
import type { DeploymentRow, PullRequestRow } from '../../api/types';
import { apiGet } from '../../lib/api-client';
import type { ScopeQuery } from '../../lib/url-state';

const scope = ({ granularity: _granularity, ...rest }: ScopeQuery) => rest;

/** GET /api/v1/pull-requests: one row per merged PR with its stage durations. */
export function usePullRequests(query: ScopeQuery) {
  return useQuery({
    queryKey: ['pull-requests', scope(query)],
    queryFn: ({ signal }) => apiGet<unknown>('/api/v1/pull-requests', scope(query), signal),
    select: (body) => rowsOf<PullRequestRow>(body, 'pull_requests'),
  });
}

/** GET /api/v1/deployments */
export function useDeployments(query: ScopeQuery) {
  return useQuery({
    queryKey: ['deployments', scope(query)],
    queryFn: ({ signal }) => apiGet<unknown>('/api/v1/deployments', scope(query), signal),
    select: (body) => rowsOf<DeploymentRow>(body, 'deployments'),
  });
}
