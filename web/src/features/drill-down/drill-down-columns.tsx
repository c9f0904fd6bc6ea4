import type {
  DeploymentRow,
  IncidentRow,
  ModelPromotionRow,
  PullRequestRow,
} from '../../api/types';
import type { Column } from '../../lib/csv';
import { wholeSeconds } from '../../lib/csv';
import { formatCompactTime, formatCount, formatDuration } from '../../lib/format';

// The columns of each drill-down list: on screen as a person reads them, in the CSV in API units
// (durations as whole seconds, in columns named with the unit).

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

/** A span in the CSV as whole seconds, its column named with the unit. */
const duration = (
  key: 'coding' | 'pickup' | 'review' | 'deploy' | 'cycle',
  label: string,
): Column<PullRequestRow> => ({
  key: `${key}_seconds`,
  label,
  numeric: true,
  value: (row) => wholeSeconds(row[key]),
  format: (row) => formatDuration(row[key]),
});

export const PR_COLUMNS: Column<PullRequestRow>[] = [
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

export const DEPLOYMENT_COLUMNS: Column<DeploymentRow>[] = [
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
    value: (row) => row.pull_requests ?? null,
    format: (row) => formatCount(row.pull_requests ?? 0),
  },
  {
    key: 'is_change_failure',
    label: 'Change failure',
    value: (row) => row.is_change_failure ?? null,
    format: (row) =>
      row.is_change_failure ? <span className="status status-failed">yes</span> : 'no',
  },
  {
    key: 'is_rework',
    label: 'Rework',
    value: (row) => row.is_rework ?? null,
    format: (row) => (row.is_rework ? <span className="status status-failed">yes</span> : 'no'),
  },
];

export const INCIDENT_COLUMNS: Column<IncidentRow>[] = [
  { key: 'id', label: 'Incident', value: (row) => row.id },
  {
    key: 'title',
    label: 'Title',
    value: (row) => row.title ?? null,
    format: (row) => row.title ?? '—',
    wrap: true,
  },
  {
    key: 'repo',
    label: 'Repository or service',
    value: (row) => row.repo ?? null,
    format: (row) => row.repo ?? '—',
  },
  {
    key: 'team',
    label: 'Team',
    value: (row) => row.team ?? null,
    format: (row) => row.team ?? '—',
  },
  {
    key: 'created_at',
    label: 'Opened',
    value: (row) => row.created_at,
    format: (row) => formatCompactTime(row.created_at),
  },
  {
    key: 'resolved_at',
    label: 'Resolved',
    value: (row) => row.resolved_at,
    format: (row) => formatCompactTime(row.resolved_at),
  },
  {
    key: 'recovery_seconds',
    label: 'Recovery',
    numeric: true,
    value: (row) => wholeSeconds(row.recovery_seconds),
    format: (row) => formatDuration(row.recovery_seconds),
  },
  {
    key: 'deployment_id',
    label: 'Deployment',
    value: (row) => row.deployment_id ?? null,
    format: (row) => row.deployment_id ?? '—',
  },
];

export const PROMOTION_COLUMNS: Column<ModelPromotionRow>[] = [
  { key: 'model', label: 'Model', value: (row) => `${row.registry}/${row.model}` },
  { key: 'version', label: 'Version', value: (row) => row.version },
  {
    key: 'environment',
    label: 'Environment',
    value: (row) => row.environment ?? null,
    format: (row) => row.environment ?? '—',
  },
  {
    key: 'promoted_at',
    label: 'Promoted',
    value: (row) => row.promoted_at,
    format: (row) => formatCompactTime(row.promoted_at),
  },
  {
    key: 'precision_seconds',
    label: 'Known to within',
    numeric: true,
    value: (row) => wholeSeconds(row.precision_seconds ?? null),
    format: (row) =>
      row.precision === 'exact' ? 'exact' : formatDuration(row.precision_seconds ?? null),
  },
  {
    key: 'release_lead_time_seconds',
    label: 'Release lead time',
    numeric: true,
    value: (row) => wholeSeconds(row.release_lead_time ?? null),
    format: (row) => formatDuration(row.release_lead_time ?? null),
  },
  {
    key: 'iteration_time_seconds',
    label: 'Iteration time',
    numeric: true,
    value: (row) => wholeSeconds(row.iteration_time ?? null),
    format: (row) => formatDuration(row.iteration_time ?? null),
  },
];
