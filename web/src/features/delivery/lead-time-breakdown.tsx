import { useMetric } from '../../api/metrics.queries';
import type { Decision, DurationItem, MetricCatalogEntry } from '../../api/types';
import { decisionMarkers, type SeriesSpec, timeSeries } from '../../charts/time-series';
import { ChartCard } from '../../components/chart-card';
import { csvFileName, wholeSeconds } from '../../lib/csv';
import { formatCount, formatDuration } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';
import { isEmptyMetric } from '../../metrics/empty';

/** The median of each part of a duration metric per period, stacked, as the API returns them. */
export function LeadTimeBreakdown({
  entry,
  query,
  decisions,
}: {
  entry: MetricCatalogEntry;
  query: ScopeQuery;
  decisions?: Decision[];
}) {
  const result = useMetric(entry.name, query);
  const rows = result.data?.kind === 'duration' ? result.data.series : [];
  const parts = entry.breakdown ?? [];
  const specs: SeriesSpec<DurationItem>[] = [
    ...parts.map((part, index): SeriesSpec<DurationItem> => ({
      key: `${part.key}_median_seconds`,
      label: part.label,
      color: index + 1,
      kind: 'bar',
      stack: 'stages',
      value: (row) => row.breakdown?.[part.key]?.median ?? null,
      csv: (row) => wholeSeconds(row.breakdown?.[part.key]?.median),
      format: formatDuration,
    })),
    {
      key: 'median_seconds',
      label: `${entry.label} (median)`,
      color: 6,
      value: (row) => row.median,
      csv: (row) => wholeSeconds(row.median),
      format: formatDuration,
    },
    {
      key: 'count',
      label: entry.items?.nouns ?? 'Count',
      color: 6,
      value: (row) => row.count,
      format: (value) => formatCount(value),
    },
  ];
  const { labels, series, columns } = timeSeries(rows, query.granularity, specs);
  return (
    <ChartCard
      title={`${entry.label}: breakdown`}
      description={`Median of each stage per period: ${parts.map((part) => `${part.label.toLowerCase()} (${part.description})`).join(', ')}. Medians of stages need not add up to the median of the whole.`}
      status={result}
      empty={isEmptyMetric(result.data)}
      csvName={csvFileName(entry.label, 'breakdown', query)}
      rows={rows}
      columns={columns}
      wide
      chart={{
        type: 'bar',
        labels,
        series: series.slice(0, parts.length),
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
