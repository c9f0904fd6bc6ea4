import { useMetric } from '../../api/metrics.queries';
import type { Comparison, Decision, MetricName } from '../../api/types';
import { timeSeries, windowBands } from '../../charts/time-series';
import { ChartCard } from '../../components/chart-card';
import type { ScopeQuery } from '../../lib/url-state';
import { formatMetricValue, METRIC_INFO, metricLabel } from '../../metrics/metric-info';

type Item = { period_start: string; median?: number | null; value?: number | null };

// A metric's weekly headline number as the API gives it: the median for durations, else the value.
const headline = (item: Item | undefined) => (item ? (item.median !== undefined ? item.median : (item.value ?? null)) : null);

const names = (values: (string | { registry: string; model: string })[] | undefined) =>
  values?.length ? values.map((value) => (typeof value === 'string' ? value : value.model)).join(',') : undefined;

export function scopeQueryOf(decision: Decision, comparison: Comparison): ScopeQuery {
  return {
    from: comparison.before.from.slice(0, 10),
    to: comparison.after.to.slice(0, 10),
    granularity: 'week',
    team: decision.scope.teams?.join(',') || undefined,
    repo: decision.scope.repos?.join(',') || undefined,
    model: names(decision.scope.models),
  };
}

/** The scope's weekly series and the control teams' beside it, the two windows shaded. */
export function ComparisonChart({ decision, comparison }: { decision: Decision; comparison: Comparison }) {
  const metric = comparison.metric as MetricName;
  const scopeQuery = scopeQueryOf(decision, comparison);
  const controlTeams = comparison.control?.teams ?? [];
  const scope = useMetric(metric, scopeQuery);
  const control = useMetric(metric, { from: scopeQuery.from, to: scopeQuery.to, granularity: 'week', team: controlTeams.join(',') }, { enabled: controlTeams.length > 0 });
  const scopeRows = (scope.data?.series ?? []) as Item[];
  const controlByPeriod = new Map(((control.data?.series ?? []) as Item[]).map((item) => [item.period_start, item]));
  const rows = scopeRows.map((item) => ({ period_start: item.period_start, scope: headline(item), control: headline(controlByPeriod.get(item.period_start)) }));
  const format = (value: number | null) => formatMetricValue(metric, value);
  const specs = [{ key: 'scope', label: 'In scope', color: 1, value: (row: (typeof rows)[number]) => row.scope, format }];
  if (controlTeams.length) specs.push({ key: 'control', label: `Control (${controlTeams.join(', ')})`, color: 5, value: (row) => row.control, format });
  const { labels, series, columns } = timeSeries(rows, 'week', specs);
  const dashed = series.map((item, index) => ({ ...item, dashed: index > 0 }));
  return (
    <ChartCard
      title={metricLabel(metric)}
      description={METRIC_INFO[metric]?.format === 'duration' ? 'Weekly median.' : 'Weekly value.'}
      status={{ isPending: scope.isPending, error: scope.error ?? control.error, refetch: scope.refetch }}
      empty={rows.every((row) => row.scope === null && row.control === null)}
      rows={rows}
      columns={columns}
      chart={{
        type: 'line',
        labels,
        series: dashed,
        format: METRIC_INFO[metric]?.format ?? 'count',
        bands: windowBands(comparison, rows.map((row) => row.period_start)),
        markers: [],
      }}
    />
  );
}
