import type { ReportSummary } from '../../api/types';
import { AppLink } from '../../components/app-link';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatDate, formatDateTime } from '../../lib/format';
import { useReportDownload, useReportHtml, useReports } from './reports.queries';

const reportName = (report: Pick<ReportSummary, 'week' | 'scope'>) =>
  `lastmile-${report.week}${report.scope.team ? `-${report.scope.team}` : ''}`;

function DownloadButtons({ report }: { report: ReportSummary }) {
  const download = useReportDownload();
  const id = report.id;
  return (
    <span className="button-row">
      {(['md', 'html'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button button-small"
          onClick={() => download.mutate({ id, format, name: reportName(report) })}
          aria-label={`Download the report of ${report.week} as ${format === 'md' ? 'Markdown' : 'HTML'}`}
        >
          .{format}
        </button>
      ))}
      {download.error && (
        <span role="alert" className="form-problem">
          {download.error.message}
        </span>
      )}
    </span>
  );
}

const COLUMNS: Column<ReportSummary>[] = [
  {
    key: 'week',
    label: 'Week',
    value: (row) => row.week,
    format: (row) => (
      <AppLink to={`/reports/${encodeURIComponent(row.id)}`}>{`Week ${row.week}`}</AppLink>
    ),
  },
  { key: 'scope', label: 'Scope', value: (row) => row.scope.team ?? 'all teams' },
  {
    key: 'period_start',
    label: 'From',
    value: (row) => row.period_start ?? null,
    format: (row) => formatDate(row.period_start),
  },
  {
    key: 'created_at',
    label: 'Made',
    value: (row) => row.created_at,
    format: (row) => formatDateTime(row.created_at),
  },
  {
    key: 'download',
    label: 'Download',
    value: () => null,
    format: (row) => <DownloadButtons report={row} />,
  },
];

function fitToContent(frame: HTMLIFrameElement): void {
  const document = frame.contentDocument?.documentElement;
  if (document) frame.style.height = `${document.scrollHeight + 2}px`;
}

function ReportView({ id }: { id: string }) {
  const reports = useReports();
  const html = useReportHtml(id);
  const summary = reports.data?.find((report) => String(report.id) === id);
  return (
    <>
      <p className="breadcrumb">
        <AppLink to="/reports">← All reports</AppLink>
      </p>
      <div className="page-heading">
        <h1 className="page-title">
          {summary
            ? `Week ${summary.week}${summary.scope.team ? ` · ${summary.scope.team}` : ''}`
            : 'Report'}
        </h1>
        {summary && <DownloadButtons report={summary} />}
      </div>
      {html.isPending ? (
        <Loading />
      ) : html.error ? (
        <ErrorState
          title="Could not load this report"
          error={html.error}
          onRetry={() => void html.refetch()}
        />
      ) : (
        // Sandboxed without scripts: the report's HTML can run nothing and so reach nothing. Its own
        // origin only lets this page read its height, so the whole report shows, no inner scroll.
        <iframe
          className="report-frame card"
          title="Report"
          sandbox="allow-same-origin"
          srcDoc={html.data}
          onLoad={(event) => fitToContent(event.currentTarget)}
        />
      )}
    </>
  );
}

export function ReportsPage({ id }: { id?: string }) {
  const reports = useReports();
  if (id) return <ReportView id={id} />;
  return (
    <>
      <h1 className="page-title">Reports</h1>
      <p className="lede">
        The weekly report: last week against the week before and the last quarter, what shipped and
        what slowed down.
      </p>
      {reports.isPending ? (
        <Loading />
      ) : reports.error ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : reports.data.length === 0 ? (
        <EmptyState title="No reports yet">
          <p>
            A report is made every week by itself. To make one now, run <code>npm run report</code>{' '}
            (or <code>POST /api/v1/reports</code> with a week such as{' '}
            <code>{'{"week": "2026-W09"}'}</code>).
          </p>
        </EmptyState>
      ) : (
        <section className="card card-wide" aria-label="Reports">
          <DataTable
            caption="Reports"
            columns={COLUMNS}
            rows={[...reports.data].sort((a, b) => b.week.localeCompare(a.week))}
            rowKey={(row) => row.id}
          />
        </section>
      )}
    </>
  );
}
