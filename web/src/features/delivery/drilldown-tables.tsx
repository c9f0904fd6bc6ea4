import { useState } from 'react';
import type { DeploymentRow, DrillDownPage, PullRequestRow } from '../../api/types';
import type { QueryStatus } from '../../components/chart-card';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatCompactTime, formatCount, formatDuration } from '../../lib/format';

// GitHub rows carry "owner/name": those link to GitHub; other rows are plain text.
const isGitHubRepo = (repo: string | null | undefined): repo is string =>
  !!repo && /^[\w.-]+\/[\w.-]+$/.test(repo);
const prUrl = (row: PullRequestRow) =>
  isGitHubRepo(row.repo) ? `https://github.com/${row.repo}/pull/${row.number}` : null;
const commitUrl = (row: DeploymentRow) =>
  isGitHubRepo(row.repo) && row.sha && /^[0-9a-f]{7,40}$/i.test(row.sha)
    ? `https://github.com/${row.repo}/commit/${row.sha}`
    : null;

function ExternalLink({ href, children }: { href: string | null; children: string }) {
  return href ? (
    <a href={href} target="_blank" rel="noreferrer">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

const duration = (
  key: 'coding' | 'pickup' | 'review' | 'deploy' | 'cycle',
  label: string,
): Column<PullRequestRow> => ({
  key,
  label,
  numeric: true,
  value: (row) => row[key],
  format: (row) => formatDuration(row[key]),
});

const PR_COLUMNS: Column<PullRequestRow>[] = [
  { key: 'repo', label: 'Repository', value: (row) => row.repo },
  {
    key: 'number',
    label: '#',
    value: (row) => row.number,
    format: (row) => <ExternalLink href={prUrl(row)}>{`#${row.number}`}</ExternalLink>,
  },
  {
    key: 'title',
    label: 'Title',
    value: (row) => row.title ?? null,
    format: (row) => row.title ?? '—',
    wrap: true,
  },
  {
    key: 'author',
    label: 'Author',
    value: (row) => row.author ?? null,
    format: (row) => row.author ?? '—',
  },
  {
    key: 'merged_at',
    label: 'Merged',
    value: (row) => row.merged_at,
    format: (row) => formatCompactTime(row.merged_at),
  },
  duration('coding', 'Coding'),
  duration('pickup', 'Pickup'),
  duration('review', 'Review'),
  duration('deploy', 'Deploy'),
  duration('cycle', 'Cycle'),
  {
    key: 'deployed_at',
    label: 'Deployed',
    value: (row) => row.deployed_at,
    format: (row) => formatCompactTime(row.deployed_at),
  },
  {
    key: 'deployment_id',
    label: 'Deployment',
    value: (row) => row.deployment_id,
    format: (row) => row.deployment_id ?? '—',
  },
];

const DEPLOYMENT_COLUMNS: Column<DeploymentRow>[] = [
  { key: 'id', label: 'Deployment', value: (row) => row.id },
  {
    key: 'repo',
    label: 'Repository or service',
    value: (row) => row.repo ?? null,
    format: (row) => row.repo ?? '—',
  },
  { key: 'environment', label: 'Environment', value: (row) => row.environment },
  {
    key: 'sha',
    label: 'Commit',
    value: (row) => row.sha ?? null,
    format: (row) => (
      <ExternalLink href={commitUrl(row)}>{row.sha ? row.sha.slice(0, 8) : '—'}</ExternalLink>
    ),
  },
  { key: 'status', label: 'Status', value: (row) => row.status ?? null },
  {
    key: 'finished_at',
    label: 'Finished',
    value: (row) => row.finished_at,
    format: (row) => formatCompactTime(row.finished_at),
  },
  {
    key: 'pull_requests',
    label: 'PRs shipped',
    numeric: true,
    // The API counts the pull requests a deployment shipped.
    value: (row) => row.pull_requests,
    format: (row) => formatCount(row.pull_requests),
  },
  {
    key: 'is_change_failure',
    label: 'Change failure',
    value: (row) => row.is_change_failure ?? null,
    format: (row) =>
      row.is_change_failure ? <span className="status status-failed">yes</span> : 'no',
  },
];

function Drilldown<Row>({
  title,
  page,
  columns,
  status,
}: {
  title: string;
  page: DrillDownPage<Row> | undefined;
  columns: Column<Row>[];
  status: QueryStatus;
}) {
  const rows = page?.items ?? [];
  if (status.isPending) return <Loading />;
  if (status.error)
    return <ErrorState error={status.error} onRetry={() => void status.refetch?.()} />;
  if (rows.length === 0) return <EmptyState />;
  return (
    <>
      <div className="card-tools card-tools-inline">
        <span className="muted">
          {rows.length < (page?.total ?? 0)
            ? `The latest ${formatCount(rows.length)} of ${formatCount(page?.total)}; narrow the range or filters to see the rest.`
            : `${formatCount(rows.length)} rows`}
        </span>
        <CsvButton name={title} columns={columns} rows={rows} />
      </div>
      <DataTable caption={title} columns={columns} rows={rows} />
    </>
  );
}

type PageQuery<Row> = QueryStatus & { data?: DrillDownPage<Row> };

export function DrilldownTables({
  pullRequests,
  deployments,
}: {
  pullRequests: PageQuery<PullRequestRow>;
  deployments: PageQuery<DeploymentRow>;
}) {
  const [tab, setTab] = useState<'prs' | 'deployments'>('prs');
  const count = (query: PageQuery<unknown>) =>
    query.data ? ` (${formatCount(query.data.total)})` : '';
  return (
    <section className="card card-wide" aria-labelledby="drilldown-title">
      <header className="card-header">
        <div>
          <h2 id="drilldown-title">Drill-down</h2>
          <p className="card-description">
            Each merged pull request and each production deployment in the range, newest first.
          </p>
        </div>
        <div className="segmented" role="tablist" aria-label="Drill-down">
          <button
            type="button"
            role="tab"
            id="tab-prs"
            aria-controls="panel-drilldown"
            aria-selected={tab === 'prs'}
            onClick={() => setTab('prs')}
          >
            Pull requests{count(pullRequests)}
          </button>
          <button
            type="button"
            role="tab"
            id="tab-deployments"
            aria-controls="panel-drilldown"
            aria-selected={tab === 'deployments'}
            onClick={() => setTab('deployments')}
          >
            Deployments{count(deployments)}
          </button>
        </div>
      </header>
      <div
        role="tabpanel"
        id="panel-drilldown"
        aria-labelledby={tab === 'prs' ? 'tab-prs' : 'tab-deployments'}
      >
        {tab === 'prs' ? (
          <Drilldown
            title="Pull requests"
            page={pullRequests.data}
            columns={PR_COLUMNS}
            status={pullRequests}
          />
        ) : (
          <Drilldown
            title="Deployments"
            page={deployments.data}
            columns={DEPLOYMENT_COLUMNS}
            status={deployments}
          />
        )}
      </div>
    </section>
  );
}
