import { useState } from 'react';
import type { DeploymentRow, PullRequestRow } from '../../api/types';
import type { QueryStatus } from '../../components/chart-card';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatDateTime, formatDuration } from '../../lib/format';

// GitHub rows carry "owner/name"; a row's own url (any host) wins when the API gives one.
const prUrl = (row: PullRequestRow) => row.url ?? (/^[\w.-]+\/[\w.-]+$/.test(row.repo) ? `https://github.com/${row.repo}/pull/${row.number}` : null);
const commitUrl = (row: DeploymentRow) => row.url ?? (row.repo && row.sha && /^[\w.-]+\/[\w.-]+$/.test(row.repo) ? `https://github.com/${row.repo}/commit/${row.sha}` : null);

const duration = (key: 'coding' | 'pickup' | 'review' | 'deploy' | 'cycle', label: string): Column<PullRequestRow> => ({
  key: `${key}_seconds`,
  label,
  numeric: true,
  value: (row) => row[key],
  format: (row) => formatDuration(row[key]),
});

const PR_COLUMNS: Column<PullRequestRow>[] = [
  { key: 'repo', label: 'Repository', value: (row) => row.repo },
  {
    key: 'number',
    label: 'Pull request',
    value: (row) => row.number,
    format: (row) => {
      const url = prUrl(row);
      const text = `#${row.number}${row.title ? ` ${row.title}` : ''}`;
      return url ? (
        <a href={url} target="_blank" rel="noreferrer">
          {text}
        </a>
      ) : (
        text
      );
    },
  },
  { key: 'author', label: 'Author', value: (row) => row.author ?? null },
  { key: 'merged_at', label: 'Merged', value: (row) => row.merged_at, format: (row) => formatDateTime(row.merged_at) },
  duration('coding', 'Coding'),
  duration('pickup', 'Pickup'),
  duration('review', 'Review'),
  duration('deploy', 'Deploy'),
  duration('cycle', 'Cycle'),
  { key: 'deployed_at', label: 'Deployed', value: (row) => row.deployed_at, format: (row) => formatDateTime(row.deployed_at) },
  { key: 'deployment_id', label: 'Deployment', value: (row) => row.deployment_id },
];

const DEPLOYMENT_COLUMNS: Column<DeploymentRow>[] = [
  { key: 'id', label: 'Deployment', value: (row) => row.id },
  { key: 'repo', label: 'Repository or service', value: (row) => row.repo ?? row.service ?? null },
  { key: 'environment', label: 'Environment', value: (row) => row.environment },
  {
    key: 'sha',
    label: 'Commit',
    value: (row) => row.sha ?? null,
    format: (row) => {
      const url = commitUrl(row);
      const text = row.sha ? row.sha.slice(0, 8) : '—';
      return url ? (
        <a href={url} target="_blank" rel="noreferrer">
          {text}
        </a>
      ) : (
        text
      );
    },
  },
  { key: 'status', label: 'Status', value: (row) => row.status ?? null },
  { key: 'finished_at', label: 'Finished', value: (row) => row.finished_at, format: (row) => formatDateTime(row.finished_at) },
  {
    key: 'change_failure',
    label: 'Change failure',
    value: (row) => row.change_failure ?? null,
    format: (row) => (row.change_failure ? 'Yes' : row.change_failure === false ? 'No' : '—'),
  },
];

function Drilldown<Row>({ title, rows, columns, status }: { title: string; rows: Row[]; columns: Column<Row>[]; status: QueryStatus }) {
  return (
    <div role="tabpanel" aria-label={title}>
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch?.()} />
      ) : rows.length === 0 ? (
        <EmptyState />
      ) : (
        <>
          <div className="card-tools card-tools-inline">
            <span className="muted">{rows.length} rows</span>
            <CsvButton name={title} columns={columns} rows={rows} />
          </div>
          <DataTable caption={title} columns={columns} rows={rows} />
        </>
      )}
    </div>
  );
}

export function DrilldownTables(props: {
  pullRequests: PullRequestRow[];
  pullRequestStatus: QueryStatus;
  deployments: DeploymentRow[];
  deploymentStatus: QueryStatus;
}) {
  const [tab, setTab] = useState<'prs' | 'deployments'>('prs');
  return (
    <section className="card card-wide" aria-labelledby="drilldown-title">
      <header className="card-header">
        <div>
          <h2 id="drilldown-title">Drill-down</h2>
          <p className="card-description">Each merged pull request and each production deployment in the range.</p>
        </div>
        <div className="segmented" role="tablist" aria-label="Drill-down">
          <button type="button" role="tab" aria-selected={tab === 'prs'} onClick={() => setTab('prs')}>
            Pull requests ({props.pullRequests.length})
          </button>
          <button type="button" role="tab" aria-selected={tab === 'deployments'} onClick={() => setTab('deployments')}>
            Deployments ({props.deployments.length})
          </button>
        </div>
      </header>
      {tab === 'prs' ? (
        <Drilldown title="Pull requests" rows={props.pullRequests} columns={PR_COLUMNS} status={props.pullRequestStatus} />
      ) : (
        <Drilldown title="Deployments" rows={props.deployments} columns={DEPLOYMENT_COLUMNS} status={props.deploymentStatus} />
      )}
    </section>
  );
}
