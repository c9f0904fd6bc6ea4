import type { ComparisonSet, Decision, DecisionSummary } from '../../api/types';
import { AppLink } from '../../components/app-link';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import { formatDate } from '../../lib/format';
import { metricLabel } from '../../metrics/metric-info';
import { setSearchParams, useSearchParams } from '../../lib/url-state';
import { ComparisonChart } from './comparison-chart';
import { ComparisonTable, VerdictBadge } from './comparison-table';
import { useDecision, useDecisionComparison } from './decisions.queries';

const number = (text: string | null, fallback: number) =>
  text && /^\d+$/.test(text) ? Number(text) : fallback;

function ScopeList({ decision }: { decision: Decision }) {
  const parts = [
    ...decision.scope.teams.map((team) => `team ${team}`),
    ...decision.scope.repos,
    ...decision.scope.models.map((model) => `model ${model}`),
  ];
  return (
    <ul className="chips" aria-label="Scope">
      {parts.map((part) => (
        <li key={part}>{part}</li>
      ))}
    </ul>
  );
}

function WeeksSelect({
  id,
  label,
  value,
  choices,
  onChange,
}: {
  id: string;
  label: string;
  value: number;
  choices: number[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {[...new Set([...choices, value])]
          .sort((a, b) => a - b)
          .map((weeks) => (
            <option key={weeks} value={weeks}>
              {weeks} weeks
            </option>
          ))}
      </select>
    </div>
  );
}

/** The one sentence the page opens with: the API's headline of the reading shown. */
function Headline({ summary }: { summary: DecisionSummary }) {
  return (
    <p className="decision-headline" data-headline={summary.verdict}>
      <VerdictBadge verdict={summary.verdict} /> {summary.headline}
    </p>
  );
}

/** What a skeptic should know before trusting the table: other decisions, unused controls. */
function Caveats({ set }: { set: ComparisonSet }) {
  const notParallel = set.comparisons.filter(
    (row) => row.control?.not_used_reason === 'trends_not_parallel',
  );
  const confounders = set.confounders ?? [];
  if (confounders.length === 0 && notParallel.length === 0) return null;
  return (
    <ul className="caveats" aria-label="Caveats">
      {confounders.length > 0 && (
        <li data-caveat="confounders">
          Other decisions touched the same teams, repositories or models while this one is read:{' '}
          {confounders.map((other, index) => (
            <span key={other.id}>
              {index > 0 && ', '}
              <AppLink to={`/decisions/${other.id}`}>{other.title}</AppLink> (
              {formatDate(other.effective_at)})
            </span>
          ))}
          . A change may be theirs.
        </li>
      )}
      {notParallel.length > 0 && (
        <li data-caveat="not-parallel">
          The control teams are not used for{' '}
          {notParallel.map((row) => metricLabel(row.metric)).join(', ')}: before the decision they
          were not moving in parallel with the scope, so the difference in differences would credit
          a trend that was already there. Those verdicts are the scope&apos;s own.
        </li>
      )}
    </ul>
  );
}

/** The before/after view: settings in the URL, the table with verdicts, then a chart per metric. */
export function DecisionDetail({ id }: { id: string }) {
  const params = useSearchParams();
  const settings = {
    window_weeks: number(params.get('window_weeks'), 12),
    ramp_weeks: number(params.get('ramp_weeks'), 2),
    control: params.get('control') ?? 'auto',
  };
  const decision = useDecision(id);
  const comparison = useDecisionComparison(id, settings);

  if (decision.isPending) return <Loading />;
  if (decision.error)
    return (
      <ErrorState
        title="Could not load this decision"
        error={decision.error}
        onRetry={() => void decision.refetch()}
      />
    );
  const item = decision.data;
  // The reading of the settings shown once it is in; until then, the default reading's.
  const summary = comparison.data?.summary ?? item.summary ?? null;
  return (
    <>
      <p className="breadcrumb">
        <AppLink to="/decisions">← All decisions</AppLink>
      </p>
      <h1 className="page-title">{item.title}</h1>
      {summary && <Headline summary={summary} />}
      <div className="decision-meta">
        <span className={`kind kind-${item.kind}`}>{item.kind}</span>
        {item.vendor && <span>{item.vendor}</span>}
        <span>effective {formatDate(item.effective_at)}</span>
        <ScopeList decision={item} />
      </div>
      {item.description && <p className="decision-description">{item.description}</p>}
      <form
        className="filter-bar filter-bar-inline"
        aria-label="Comparison settings"
        onSubmit={(event) => event.preventDefault()}
      >
        <WeeksSelect
          id="window-weeks"
          label="Window"
          value={settings.window_weeks}
          choices={[4, 8, 12, 26]}
          onChange={(window_weeks) => setSearchParams({ window_weeks })}
        />
        <WeeksSelect
          id="ramp-weeks"
          label="Ramp-up"
          value={settings.ramp_weeks}
          choices={[0, 1, 2, 4]}
          onChange={(ramp_weeks) => setSearchParams({ ramp_weeks })}
        />
        <div className="field">
          <label htmlFor="control">Control</label>
          <select
            id="control"
            value={settings.control === 'none' ? 'none' : 'auto'}
            onChange={(event) => setSearchParams({ control: event.target.value })}
          >
            <option value="auto">Teams outside the scope</option>
            <option value="none">None</option>
          </select>
        </div>
      </form>
      {comparison.isPending ? (
        <Loading label="Comparing the two windows…" />
      ) : comparison.error ? (
        <ErrorState
          title="Could not compare before and after"
          error={comparison.error}
          onRetry={() => void comparison.refetch()}
        />
      ) : comparison.data.comparisons.length === 0 ? (
        <EmptyState title="Nothing to compare yet" />
      ) : (
        <div className="grid">
          <Caveats set={comparison.data} />
          <ComparisonTable
            comparisons={comparison.data.comparisons}
            controlTeams={comparison.data.control_teams}
          />
          {comparison.data.comparisons
            .filter((row) => row.before.n + row.after.n > 0)
            .map((row) => (
              <ComparisonChart
                key={row.metric}
                decision={item}
                comparison={row}
                controlTeams={comparison.data.control_teams}
              />
            ))}
        </div>
      )}
    </>
  );
}
