import { useMetric } from '../api/metrics.queries';
import { useTeams } from '../api/teams.queries';
import { decisionsMeeting } from '../features/decisions/decision-reach';
import type {
  CountItem,
  Decision,
  DurationItem,
  MetricCatalogEntry,
  MetricResponse,
  RateItem,
} from '../api/types';
import type { ValueFormat } from '../charts/chart-canvas';
import { decisionMarkers, type SeriesSpec, timeSeries } from '../charts/time-series';
import { ChartCard } from '../components/chart-card';
import { csvFileName, wholeSeconds } from '../lib/csv';
import { formatCount, formatDuration, formatRatio } from '../lib/format';
import type { ScopeQuery } from '../lib/url-state';
import { unappliedFilters } from './catalog';
import { isEmptyMetric } from './empty';

export interface MetricChartProps {
  entry: MetricCatalogEntry;
  query: ScopeQuery;
  decisions?: Decision[];
  wide?: boolean;
  /** A click on a period: its start, and the start of the next one (or the range's end). */
  onSelectPeriod?: (period: { from: string; to: string }) => void;
}

type Row = { period_start: string; partial?: boolean };

const count = (value: number | null) => formatCount(value);

/** A count the catalog names (an extra, a rate's numerator) in a period of the API's answer. */
export const fieldOf = (row: object, key: string): number | null => {
  const value = (row as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : null;
};

function specsOf(entry: MetricCatalogEntry): {
  specs: SeriesSpec<Row>[];
  type: 'line' | 'bar';
  format: ValueFormat;
  drawn: number;
} {
  switch (entry.kind) {
    case 'duration': {
      const stat = (key: 'median' | 'p90', label: string, color: number, dashed: boolean) => ({
        key: `${key}_seconds`,
        label,
        color,
        dashed,
        value: (row: Row) => (row as DurationItem)[key],
        csv: (row: Row) => wholeSeconds((row as DurationItem)[key]),
        format: formatDuration,
      });
      return {
        specs: [
          stat('median', 'Median', 1, false),
          stat('p90', 'p90', 2, true),
          {
            key: 'count',
            label: entry.items?.nouns ?? 'Count',
            color: 6,
            value: (row) => (row as DurationItem).count,
            format: count,
          },
        ],
        type: 'line',
        format: 'duration',
        drawn: 2,
      };
    }
    case 'count': {
      const specs: SeriesSpec<Row>[] = [
        {
          key: 'value',
          label: entry.value_label ?? entry.label,
          color: 1,
          kind: 'bar',
          value: (row) => (row as CountItem).value,
          format: count,
        },
      ];
      const extra = entry.extra;
      if (extra)
        specs.push({
          key: extra.key,
          label: extra.label,
          color: 3,
          kind: 'bar',
          value: (row) => fieldOf(row, extra.key),
          format: count,
        });
      return { specs, type: 'bar', format: 'count', drawn: specs.length };
    }
    case 'rate': {
      const numerator = entry.numerator ?? 'failures';
      return {
        specs: [
          {
            key: 'value',
            label: entry.label,
            color: 4,
            value: (row) => (row as RateItem).value,
            format: formatRatio,
          },
          {
            key: numerator,
            label: entry.numerator_label ?? numerator,
            color: 5,
            value: (row) => fieldOf(row, numerator),
            format: count,
          },
          {
            key: 'deployments',
            label: 'Deployments',
            color: 6,
            value: (row) => (row as RateItem).deployments,
            format: count,
          },
        ],
        type: 'line',
        format: 'ratio',
        drawn: 1,
      };
    }
    case 'gauge':
      return {
        specs: [
          {
            key: 'value',
            label: entry.label,
            color: 2,
            stepped: true,
            value: (row) => (row as CountItem).value,
            format: count,
          },
        ],
        type: 'line',
        format: 'count',
        drawn: 1,
      };
  }
}

/** A metric's series as a chart card, drawn as its kind asks; every column in the table and CSV. */
export function MetricChart({
  entry,
  query,
  decisions: recorded,
  wide,
  onSelectPeriod,
}: MetricChartProps) {
  const result = useMetric(entry.name, query);
  const data: MetricResponse | undefined = result.data;
  const rows: Row[] = data?.series ?? [];
  const { specs, type, format, drawn } = specsOf(entry);
  const { labels, series, columns } = timeSeries(rows, query.granularity, specs);
  const periodStarts = rows.map((row) => row.period_start);
  const unfiltered = unappliedFilters(entry, query);
  const select =
    onSelectPeriod && entry.items
      ? (index: number) => {
          const from = rows[index]?.period_start;
          if (!from) return;
          const next = rows[index + 1]?.period_start;
          onSelectPeriod({
            from: Date.parse(from) < Date.parse(query.from) ? query.from : from,
            to: next ?? query.to,
          });
        }
      : undefined;
  const teams = useTeams().data;
  const decisions = decisionsMeeting(recorded, query, teams);
  return (
    <ChartCard
      title={entry.label}
      description={entry.description}
      notice={unfiltered.length > 0 ? `not filtered by ${unfiltered.join(' or ')}` : undefined}
      wide={wide}
      status={result}
      empty={isEmptyMetric(data)}
      rows={rows}
      columns={columns}
      csvName={csvFileName(entry.label, 'series', query)}
      chart={{
        type,
        labels,
        series: series.slice(0, drawn),
        format,
        partial: rows.map((row) => row.partial === true),
        markers: decisionMarkers(decisions, periodStarts),
        onSelect: select,
        selectHint: entry.items ? `the ${entry.items.nouns} behind it` : undefined,
      }}
    />
  );
}
