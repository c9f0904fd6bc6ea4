import type { Decision, Granularity } from '../api/types';
import type { Column } from '../lib/csv';
import { formatPeriod } from '../lib/format';
import type { ChartBand, ChartMarker } from './chart-plugins';
import type { ChartSeries } from './chart-canvas';

export interface SeriesSpec<Row> {
  /** CSV column name, in API units (e.g. "median_seconds"). */
  key: string;
  label: string;
  color: number;
  value: (row: Row) => number | null | undefined;
  /** The CSV's value when it differs from the drawn one (a duration in whole seconds). */
  csv?: (row: Row) => number | null | undefined;
  format: (value: number | null) => string;
  kind?: 'line' | 'bar';
  stack?: string;
  dashed?: boolean;
  /** A level that holds until the next period (drawn as steps). */
  stepped?: boolean;
}

/** Chart labels, chart series and table/CSV columns from one list of API series items. */
export function timeSeries<Row extends { period_start: string }>(
  rows: Row[],
  granularity: Granularity,
  specs: SeriesSpec<Row>[],
): { labels: string[]; series: ChartSeries[]; columns: Column<Row>[] } {
  return {
    labels: rows.map((row) => formatPeriod(row.period_start, granularity)),
    series: specs.map((spec) => ({
      label: spec.label,
      color: spec.color,
      kind: spec.kind,
      stack: spec.stack,
      dashed: spec.dashed,
      stepped: spec.stepped,
      values: rows.map((row) => spec.value(row) ?? null),
    })),
    columns: [
      {
        key: 'period_start',
        label: granularity === 'month' ? 'Month' : granularity === 'day' ? 'Day' : 'Week of',
        value: (row) => row.period_start,
        format: (row) => formatPeriod(row.period_start, granularity),
      },
      ...specs.map((spec): Column<Row> => ({
        key: spec.key,
        label: spec.label,
        numeric: true,
        value: (row) => (spec.csv ?? spec.value)(row) ?? null,
        format: (row) => spec.format(spec.value(row) ?? null),
      })),
    ],
  };
}

/** A time as a fractional category position: period i spans [i - 0.5, i + 0.5]. */
export function positionOf(time: string, periodStarts: string[]): number | null {
  const t = Date.parse(time);
  const starts = periodStarts.map((start) => Date.parse(start));
  if (!starts.length || t < starts[0]) return null;
  let index = starts.length - 1;
  while (index > 0 && starts[index] > t) index -= 1;
  const length =
    index + 1 < starts.length
      ? starts[index + 1] - starts[index]
      : starts.length > 1
        ? starts[index] - starts[index - 1]
        : 7 * 86_400_000;
  const fraction = (t - starts[index]) / length;
  if (index === starts.length - 1 && fraction >= 1) return null;
  return index - 0.5 + fraction;
}

export function decisionMarkers(
  decisions: Decision[] | undefined,
  periodStarts: string[],
): ChartMarker[] {
  return (decisions ?? []).flatMap((decision) => {
    const position = positionOf(decision.effective_at, periodStarts);
    return position === null ? [] : [{ position, label: decision.title }];
  });
}

export function windowBands(
  windows: { before: { from: string; to: string }; after: { from: string; to: string } },
  periodStarts: string[],
): ChartBand[] {
  const edge = (time: string, atEnd: boolean) =>
    positionOf(time, periodStarts) ?? (atEnd ? periodStarts.length - 0.5 : -0.5);
  return [
    {
      start: edge(windows.before.from, false),
      end: edge(windows.before.to, true),
      label: 'Before',
      tone: 'before',
    },
    {
      start: edge(windows.after.from, false),
      end: edge(windows.after.to, true),
      label: 'After',
      tone: 'after',
    },
  ];
}
