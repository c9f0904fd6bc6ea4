import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ComparisonSet, Decision, DecisionList, NewDecision } from '../../api/types';
import { apiGet, apiSend } from '../../lib/api-client';

/** GET /api/v1/decisions?summary=false: every decision's date and scope, for chart markers. */
export function useDecisionMarkers() {
  return useQuery({
    queryKey: ['decisions', 'markers'],
    queryFn: ({ signal }) =>
      apiGet<{ decisions: Decision[] }>('/api/v1/decisions', { summary: 'false' }, signal),
    select: (body) => body.decisions,
  });
}

/** GET /api/v1/decisions: every recorded decision with its default reading's summary (the list). */
export function useDecisions() {
  return useQuery({
    queryKey: ['decisions'],
    queryFn: ({ signal }) => apiGet<DecisionList>('/api/v1/decisions', undefined, signal),
    select: (body) => body.decisions,
  });
}

/** GET /api/v1/decisions/{id} */
export function useDecision(id: string) {
  return useQuery({
    queryKey: ['decisions', id],
    queryFn: ({ signal }) =>
      apiGet<Decision>(`/api/v1/decisions/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export interface ComparisonParams {
  window_weeks: number;
  ramp_weeks: number;
  control: string;
}

/** GET /api/v1/decisions/{id}/comparison for every metric at once. */
export function useDecisionComparison(id: string, params: ComparisonParams) {
  return useQuery({
    queryKey: ['decisions', id, 'comparison', params],
    queryFn: ({ signal }) =>
      apiGet<ComparisonSet>(
        `/api/v1/decisions/${encodeURIComponent(id)}/comparison`,
        { ...params },
        signal,
      ),
  });
}

/** POST /api/v1/decisions (admin token). */
export function useCreateDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (decision: NewDecision) => apiSend<Decision>('POST', '/api/v1/decisions', decision),
    onSuccess: () => client.invalidateQueries({ queryKey: ['decisions'] }),
  });
}
