import type { ReactNode } from 'react';
import { useMetric } from '../api/metrics.queries';
import { useTeams } from '../api/teams.queries';
import { decisionsMeeting } from '../features/decisions/decision-reach';
import type { CountItem, Decision, DurationItem, RateItem, Stats } from '../api/types';
import type { ChartBand } from '../charts/chart-plugins';
import type { ValueFormat } from '../charts/chart-canvas';
import { decisionMarkers, type SeriesSpec, timeSeries } from '../charts/time-series';
import { ChartCard, type QueryStatus } from '../components/chart-card';
import { formatCount, formatDuration, formatRatio } from '../lib/format';
import type { ScopeQuery } from '../lib/url-state';
import { isEmptyMetric } from './empty';

interface MetricChartProps {
  title: string;
  description?: ReactNode;
  query: ScopeQuery;
  decisions?: Decision[];
  bands?: (periodStarts: string[]) => ChartBand[];
  wide?: boolean;
}

interface SeriesCardProps<Row extends { period_start: string }> extends MetricChartProps {
  status: QueryStatus;
  empty: boolean;
  rows: Row[];
  specs: SeriesSpec<Row>[];
  type: 'line' | 'bar';
  format: ValueFormat;
  /** How many of the specs are drawn; the rest are in the table and CSV only. */
  drawn?: number;
}

/** A metric's series as a chart card: decisions as markers, every column in the table and CSV. */
function SeriesCard<Row extends { period_start: string }>({
  status,
  empty,
  rows,
  specs,
  type,
  format,
  drawn,
  ...props
}: SeriesCardProps<Row>) {
  const { labels, series, columns } = timeSeries(rows, props.query.granularity, specs);
  const periodStarts = rows.map((row) => row.period_start);
  const teams = useTeams().data;
  const decisions = decisionsMeeting(props.decisions, props.query, teams);
  return (
    <ChartCard
      title={props.title}
      description={props.description}
      wide={props.wide}
      status={status}
      empty={empty}
      rows={rows}
      columns={columns}
      chart={{
        type,
        labels,
        series: series.slice(0, drawn ?? series.length),
        format,
        markers: decisionMarkers(decisions, periodStarts),
        bands: props.bands?.(periodStarts),
      }}
    />
  );
}

const STAT_LABELS: Record<keyof Omit<Stats, 'count'>, string> = {
  median: 'Median',
  p75: 'p75',
  p90: 'p90',
  mean: 'Mean',
};
const count = (value: number | null) => formatCount(value);

export function DurationChart({
  metric,
  stats = ['median', 'p90'],
  ...props
}: MetricChartProps & {
  metric:
    | 'pr_cycle_time'
    | 'lead_time_for_changes'
    | 'time_to_restore'
    | 'model_release_lead_time'
    | 'model_iteration_time';
  stats?: (keyof Omit<Stats, 'count'>)[];
}) {
  const result = useMetric(metric, props.query);
  const specs: SeriesSpec<DurationItem>[] = [
    ...stats.map((stat, index): SeriesSpec<DurationItem> => ({
      key: `${stat}_seconds`,
      label: STAT_LABELS[stat],
      color: index + 1,
      dashed: index > 0,
      value: (row) => row[stat],
      format: formatDuration,
    })),
    { key: 'count', label: 'Count', color: 6, value: (row) => row.count, format: count },
  ];
  return (
    <SeriesCard
      {...props}
      status={result}
      empty={isEmptyMetric(metric, result.data)}
      rows={result.data?.series ?? []}
      specs={specs}
      type="line"
      format="duration"
      drawn={stats.length}
    />
  );
}

export function CountChart({
  metric,
  valueLabel,
  extra,
  ...props
}: MetricChartProps & {
  metric:
    'deployment_frequency' | 'pr_throughput' | 'model_promotions' | 'model_versions_registered';
  valueLabel: string;
  /** A second count the API gives beside the value (deploy_days, first_time). */
  extra?: { key: Exclude<keyof CountItem, 'period_start' | 'value'>; label: string };
}) {
  const result = useMetric(metric, props.query);
  const specs: SeriesSpec<CountItem>[] = [
    {
      key: 'value',
      label: valueLabel,
      color: 1,
      kind: 'bar',
      value: (row) => row.value,
      format: count,
    },
  ];
  if (extra)
    specs.push({
      key: extra.key,
      label: extra.label,
      color: 3,
      kind: 'bar',
      value: (row) => row[extra.key] ?? null,
      format: count,
    });
  return (
    <SeriesCard
      {...props}
      status={result}
      empty={isEmptyMetric(metric, result.data)}
      rows={result.data?.series ?? []}
      specs={specs}
      type="bar"
      format="count"
    />
  );
}

export function ChangeFailureRateChart(props: MetricChartProps) {
  const result = useMetric('change_failure_rate', props.query);
  const specs: SeriesSpec<RateItem>[] = [
    {
      key: 'value',
      label: 'Change failure rate',
      color: 4,
      value: (row) => row.value,
      format: formatRatio,
    },
    { key: 'failures', label: 'Failures', color: 5, value: (row) => row.failures, format: count },
    {
      key: 'deployments',
      label: 'Deployments',
      color: 6,
      value: (row) => row.deployments,
      format: count,
    },
  ];
  return (
    <SeriesCard
      {...props}
      status={result}
      empty={isEmptyMetric('change_failure_rate', result.data)}
      rows={result.data?.series ?? []}
      specs={specs}
      type="line"
      format="ratio"
      drawn={1}
    />
  );
}

export function ModelsInProductionChart(props: MetricChartProps) {
  const result = useMetric('models_in_production', props.query);
  const specs: SeriesSpec<CountItem>[] = [
    {
      key: 'value',
      label: 'Models in production',
      color: 2,
      value: (row) => row.value,
      format: count,
    },
  ];
  return (
    <SeriesCard
      {...props}
      status={result}
      empty={isEmptyMetric('models_in_production', result.data)}
      rows={result.data?.series ?? []}
      specs={specs}
      type="line"
      format="count"
    />
  );
}
