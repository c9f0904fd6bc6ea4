import { useMetric } from '../../api/metrics.queries';
import type { Decision, DurationItem } from '../../api/types';
import { decisionMarkers, type SeriesSpec, timeSeries } from '../../charts/time-series';
import { ChartCard } from '../../components/chart-card';
import { formatCount, formatDuration } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';
import { isEmptyMetric } from '../../metrics/empty';

const STAGES = [
  { key: 'coding', label: 'Coding', help: 'first commit → PR opened' },
  { key: 'pickup', label: 'Pickup', help: 'opened → first review' },
  { key: 'review', label: 'Review', help: 'first review → merged' },
  { key: 'deploy', label: 'Deploy', help: 'merged → in production' },
] as const;

/** The median of each stage of pr_cycle_time per period, stacked, as the API returns them. */
export function LeadTimeBreakdown({
  query,
  decisions,
}: {
  query: ScopeQuery;
  decisions?: Decision[];
}) {
  const result = useMetric('pr_cycle_time', query);
  const rows = result.data?.series ?? [];
  const specs: SeriesSpec<DurationItem>[] = [
    ...STAGES.map((stage, index): SeriesSpec<DurationItem> => ({
      key: `${stage.key}_median_seconds`,
      label: stage.label,
      color: index + 1,
      kind: 'bar',
      stack: 'stages',
      value: (row) => row.breakdown?.[stage.key]?.median ?? null,
      format: formatDuration,
    })),
    {
      key: 'cycle_median_seconds',
      label: 'Cycle (median)',
      color: 6,
      value: (row) => row.median,
      format: formatDuration,
    },
    {
      key: 'count',
      label: 'Merged PRs',
      color: 6,
      value: (row) => row.count,
      format: (value) => formatCount(value),
    },
  ];
  const { labels, series, columns } = timeSeries(rows, query.granularity, specs);
  return (
    <ChartCard
      title="Lead time breakdown"
      description={`Median of each stage per period: ${STAGES.map((stage) => `${stage.label.toLowerCase()} (${stage.help})`).join(', ')}. Medians of stages need not add up to the median cycle.`}
      status={result}
      empty={isEmptyMetric('pr_cycle_time', result.data)}
      rows={rows}
      columns={columns}
      wide
      chart={{
        type: 'bar',
        labels,
        series: series.slice(0, STAGES.length),
        stacked: true,
        format: 'duration',
        markers: decisionMarkers(
          decisions,
          rows.map((row) => row.period_start),
        ),
      }}
    />
  );
}
