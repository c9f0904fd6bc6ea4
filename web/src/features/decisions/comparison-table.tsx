import type { Comparison, DecisionVerdict, Verdict } from '../../api/types';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import type { Column } from '../../lib/csv';
import { formatDate, formatPct, formatPoints } from '../../lib/format';
import {
  formatMetricDifference,
  formatMetricInterval,
  formatMetricValue,
  metricFormat,
  metricLabel,
} from '../../metrics/metric-info';

const VERDICT_TEXT: Record<Verdict, string> = {
  improved: 'Improved',
  worsened: 'Worsened',
  no_clear_change: 'No clear change',
  insufficient_data: 'Not enough data',
};

const DECISION_VERDICT_TEXT: Record<DecisionVerdict, string> = {
  ...VERDICT_TEXT,
  mixed: 'Mixed',
};

export function VerdictBadge({ verdict }: { verdict: DecisionVerdict | undefined }) {
  if (!verdict) return <>—</>;
  return (
    <span className={`verdict verdict-${verdict}`}>
      {DECISION_VERDICT_TEXT[verdict] ?? verdict}
    </span>
  );
}

export const verdictText = (verdict: DecisionVerdict) => DECISION_VERDICT_TEXT[verdict] ?? verdict;

const isRate = (metric: string) => metricFormat(metric) === 'ratio';

/** A rate's change in percentage points, as everywhere on the page; others in percent. */
function changeText(
  metric: string,
  change: { median_change_pct: number | null; median_diff: number | null },
) {
  return isRate(metric) ? formatPoints(change.median_diff) : formatPct(change.median_change_pct);
}

const pText = (p: number | null | undefined) =>
  p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);

const COLUMNS: Column<Comparison>[] = [
  {
    key: 'metric',
    label: 'Metric',
    value: (row) => row.metric,
    format: (row) => metricLabel(row.metric),
    wrap: true,
  },
  { key: 'before_n', label: 'n before', value: (row) => row.before.n, numeric: true },
  {
    key: 'before_median',
    label: 'Median before',
    value: (row) => row.before.median,
    format: (row) => formatMetricValue(row.metric, row.before.median),
    numeric: true,
  },
  { key: 'after_n', label: 'n after', value: (row) => row.after.n, numeric: true },
  {
    key: 'after_median',
    label: 'Median after',
    value: (row) => row.after.median,
    format: (row) => formatMetricValue(row.metric, row.after.median),
    numeric: true,
  },
  {
    key: 'median_change_pct',
    label: 'Change',
    value: (row) => (isRate(row.metric) ? row.median_diff : row.median_change_pct),
    format: (row) => changeText(row.metric, row),
    numeric: true,
  },
  {
    key: 'ci95',
    label: '95% CI of the difference',
    value: (row) => (row.ci95 ? row.ci95.join(' to ') : null),
    format: (row) => (row.ci95 ? formatMetricInterval(row.metric, row.ci95) : '—'),
    numeric: true,
  },
  {
    key: 'p_value',
    label: 'p',
    value: (row) => row.p_value,
    format: (row) => pText(row.p_value),
    numeric: true,
  },
  {
    key: 'p_adjusted',
    label: 'p adjusted (Holm)',
    value: (row) => row.p_adjusted ?? null,
    format: (row) => pText(row.p_adjusted),
    numeric: true,
  },
  {
    key: 'verdict',
    label: 'Verdict',
    value: (row) => row.verdict,
    format: (row) => <VerdictBadge verdict={row.verdict} />,
  },
  {
    key: 'control_did_median',
    label: 'Diff-in-diff vs control',
    value: (row) => row.control?.did_median ?? null,
    format: (row) =>
      !row.control
        ? '—'
        : row.control.used_in_verdict === false
          ? `${formatMetricDifference(row.metric, row.control.did_median)} (not used)`
          : formatMetricDifference(row.metric, row.control.did_median),
  },
  {
    key: 'control_median_change_pct',
    label: 'Control change',
    value: (row) =>
      !row.control
        ? null
        : isRate(row.metric)
          ? row.control.median_diff
          : row.control.median_change_pct,
    format: (row) => (row.control ? changeText(row.metric, row.control) : '—'),
    numeric: true,
  },
];

export function ComparisonTable({
  comparisons,
  controlTeams,
}: {
  comparisons: Comparison[];
  controlTeams: string[];
}) {
  return (
    <section className="card card-wide" aria-labelledby="comparison-title">
      <header className="card-header">
        <div>
          <h2 id="comparison-title">Before and after, every metric</h2>
          <p className="card-description">
            Medians in each window (windows of {formatDate(comparisons[0].before.from)} –{' '}
            {formatDate(comparisons[0].before.to)} and {formatDate(comparisons[0].after.from)} –{' '}
            {formatDate(comparisons[0].after.to)}). A change counts only when its 95% confidence
            interval leaves out zero and its p-value, adjusted for the {comparisons.length} metrics
            read together (Holm), is below 0.05. Rates change in percentage points.{' '}
            {controlTeams.length
              ? `Control teams: ${controlTeams.join(', ')}.`
              : 'No control group.'}
          </p>
        </div>
        <div className="card-tools">
          <CsvButton name="Decision comparison" columns={COLUMNS} rows={comparisons} />
        </div>
      </header>
      <DataTable
        caption="Before and after, every metric"
        columns={COLUMNS}
        rows={comparisons}
        rowKey={(row) => row.metric}
        scroll={false}
      />
      <ul className="sentences">
        {comparisons.map((comparison) => (
          <li key={comparison.metric}>
            <VerdictBadge verdict={comparison.verdict} /> {comparison.sentence}
          </li>
        ))}
      </ul>
    </section>
  );
}
