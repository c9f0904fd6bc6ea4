import type { Decision } from '../../api/types';
import { AppLink } from '../../components/app-link';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatDate } from '../../lib/format';
import { navigate } from '../../lib/url-state';
import { VerdictBadge, verdictText } from './comparison-table';
import { DecisionDetail } from './decision-detail';
import { DecisionForm } from './decision-form';
import { useDecisions } from './decisions.queries';

const scopeText = (decision: Decision) =>
  [...decision.scope.teams, ...decision.scope.repos, ...decision.scope.models].join(', ');

const COLUMNS: Column<Decision>[] = [
  {
    key: 'title',
    label: 'Decision',
    wrap: true,
    value: (row) => row.title,
    format: (row) => (
      <AppLink to={`/decisions/${encodeURIComponent(String(row.id))}`}>{row.title}</AppLink>
    ),
  },
  {
    key: 'kind',
    label: 'Kind',
    value: (row) => row.kind,
    format: (row) => <span className={`kind kind-${row.kind}`}>{row.kind}</span>,
  },
  {
    key: 'vendor',
    label: 'Vendor',
    value: (row) => row.vendor ?? null,
    format: (row) => row.vendor ?? '—',
  },
  {
    key: 'effective_at',
    label: 'Effective',
    value: (row) => row.effective_at,
    format: (row) => formatDate(row.effective_at),
  },
  { key: 'scope', label: 'Scope', value: scopeText, wrap: true },
  {
    key: 'verdict',
    label: 'Verdict',
    value: (row) => (row.summary ? verdictText(row.summary.verdict) : null),
    format: (row) =>
      row.summary ? (
        <span title={row.summary.headline}>
          <VerdictBadge verdict={row.summary.verdict} />
          {row.summary.status !== 'complete' && (
            <span className="muted verdict-status">
              {' '}
              {row.summary.status === 'ramping_up'
                ? 'ramping up'
                : `${row.summary.weeks_observed} of 12 weeks`}
            </span>
          )}
        </span>
      ) : (
        '—'
      ),
  },
];

function DecisionList() {
  const decisions = useDecisions();
  return (
    <>
      <div className="page-heading">
        <h1 className="page-title">Decisions</h1>
        <AppLink className="button button-primary" to="/decisions/new">
          Record a decision
        </AppLink>
      </div>
      <p className="lede">
        Each build-or-buy decision, with its before/after comparison: did it make the teams in its
        scope faster?
      </p>
      {decisions.isPending ? (
        <Loading />
      ) : decisions.error ? (
        <ErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />
      ) : decisions.data.length === 0 ? (
        <EmptyState title="No decisions recorded yet">
          <p>
            Record one with the button above: what you bought or built, when it took effect, and
            which teams, repositories or models it touched.
          </p>
        </EmptyState>
      ) : (
        <section className="card card-wide" aria-label="Decisions">
          <div className="card-tools card-tools-inline">
            <span className="muted">{decisions.data.length} decisions</span>
            <CsvButton name="Decisions" columns={COLUMNS} rows={decisions.data} />
          </div>
          <DataTable
            caption="Decisions"
            columns={COLUMNS}
            rows={[...decisions.data].sort((a, b) => b.effective_at.localeCompare(a.effective_at))}
            rowKey={(row) => String(row.id)}
          />
        </section>
      )}
    </>
  );
}

export function DecisionsPage({ id }: { id?: string }) {
  if (id === 'new')
    return (
      <>
        <h1 className="page-title">Decisions</h1>
        <DecisionForm onCancel={() => navigate('/decisions')} />
      </>
    );
  if (id) return <DecisionDetail id={id} />;
  return <DecisionList />;
}
