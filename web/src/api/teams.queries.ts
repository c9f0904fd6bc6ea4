import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import type { TeamList } from './types';

/** GET /api/v1/teams: names, repositories and models for the filters and decision scopes. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => apiGet<TeamList>('/api/v1/teams', undefined, signal),
    select: (body) => body.teams,
    staleTime: 5 * 60_000,
  });
}
