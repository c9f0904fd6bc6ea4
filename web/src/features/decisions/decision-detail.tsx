import type { Decision } from '../../api/types';
import { AppLink } from '../../components/app-link';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import { formatDate } from '../../lib/format';
import { setSearchParams, useSearchParams } from '../../lib/url-state';
import { ComparisonChart } from './comparison-chart';
import { ComparisonTable } from './comparison-table';
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
  return (
    <>
      <p className="breadcrumb">
        <AppLink to="/decisions">← All decisions</AppLink>
      </p>
      <h1 className="page-title">{item.title}</h1>
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
