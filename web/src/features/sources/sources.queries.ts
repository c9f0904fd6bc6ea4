import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  SourceCheck,
  SourceKindList,
  SourceList,
  SourceWritten,
  SyncRun,
  SyncRunList,
  SyncStarted,
} from '../../api/types';
import { apiGet, apiSend } from '../../lib/api-client';

const POLL_MS = 1000;

/** GET /api/v1/sources */
export function useSources() {
  return useQuery({
    queryKey: ['sources'],
    queryFn: ({ signal }) => apiGet<SourceList>('/api/v1/sources', undefined, signal),
    select: (body) => body.sources,
  });
}

/** GET /api/v1/source-kinds: every kind the server takes and its fields, for the form. */
export function useSourceKinds() {
  return useQuery({
    queryKey: ['source-kinds'],
    queryFn: ({ signal }) => apiGet<SourceKindList>('/api/v1/source-kinds', undefined, signal),
    select: (body) => body.kinds,
    // The kinds are the server's registry: they change only with a new build.
    staleTime: Infinity,
  });
}

/** GET /api/v1/sync-runs; polled while any run is still going. */
export function useSyncRuns() {
  return useQuery({
    queryKey: ['sync-runs'],
    queryFn: ({ signal }) => apiGet<SyncRunList>('/api/v1/sync-runs', undefined, signal),
    select: (body) => body.runs,
    refetchInterval: (query) =>
      query.state.data?.runs.some((run) => run.status === 'running') ? POLL_MS : false,
  });
}

/** GET /api/v1/sync-runs/{run_id}: polled until the run ends. */
export function useSyncRun(runId: string | undefined) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['sync-runs', runId],
    enabled: runId !== undefined,
    queryFn: async ({ signal }) => {
      const run = await apiGet<SyncRun>(
        `/api/v1/sync-runs/${encodeURIComponent(runId ?? '')}`,
        undefined,
        signal,
      );
      if (run.status !== 'running') {
        void client.invalidateQueries({ queryKey: ['sources'] });
        void client.invalidateQueries({ queryKey: ['sync-runs'], exact: true });
      }
      return run;
    },
    refetchInterval: (query) =>
      query.state.data?.status === 'running' || !query.state.data ? POLL_MS : false,
  });
}

/** POST /api/v1/sources/{id}/sync (admin token): 202 with the new run's id. */
export function useStartSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      apiSend<SyncStarted>('POST', `/api/v1/sources/${encodeURIComponent(sourceId)}/sync`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sync-runs'], exact: true }),
  });
}

export type CheckStep = SourceCheck['steps'][number];

/** POST /api/v1/sources/{id}/test (admin token): each step of the kind's check. */
export function useTestSource() {
  return useMutation({
    mutationFn: (sourceId: number) =>
      apiSend<SourceCheck>('POST', `/api/v1/sources/${sourceId}/test`),
  });
}

/** POST /api/v1/sources, or PATCH /api/v1/sources/{id} (admin token); answers with warnings. */
export function useSaveSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: number; body: Record<string, unknown> }) =>
      apiSend<SourceWritten>(
        id === undefined ? 'POST' : 'PATCH',
        id === undefined ? '/api/v1/sources' : `/api/v1/sources/${id}`,
        body,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sources'] }),
  });
}

/** DELETE /api/v1/sources/{id} (admin token). */
export function useDeleteSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend<void>('DELETE', `/api/v1/sources/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sources'] }),
  });
}
