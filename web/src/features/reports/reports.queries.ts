import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReportList } from '../../api/types';
import { apiGet, apiText } from '../../lib/api-client';
import { downloadText } from '../../lib/csv';

const path = (id: string) => `/api/v1/reports/${encodeURIComponent(id)}`;

/** GET /api/v1/reports */
export function useReports() {
  return useQuery({
    queryKey: ['reports'],
    queryFn: ({ signal }) => apiGet<ReportList>('/api/v1/reports', undefined, signal),
    select: (body) => body.reports,
  });
}

/** GET /api/v1/reports/{id}.html, fetched (not linked) so a read token can go with it. */
export function useReportHtml(id: string) {
  return useQuery({
    queryKey: ['reports', id, 'html'],
    queryFn: ({ signal }) => apiText(`${path(id)}.html`, signal),
  });
}

/** GET /api/v1/reports/{id}.md or .html, saved as a file. */
export function useReportDownload() {
  return useMutation({
    mutationFn: async ({ id, format, name }: { id: string; format: 'md' | 'html'; name: string }) =>
      downloadText(
        `${name}.${format}`,
        await apiText(`${path(id)}.${format}`),
        format === 'md' ? 'text/markdown' : 'text/html',
      ),
  });
}
