import { useQueries } from '@tanstack/react-query';
import { metricQueryOptions } from '../../api/metrics.queries';
import type { Comparison, Decision } from '../../api/types';
import { timeSeries, windowBands } from '../../charts/time-series';
import { ChartCard } from '../../components/chart-card';
import type { ScopeQuery } from '../../lib/url-state';
import { formatMetricValue, metricFormat, metricLabel } from '../../metrics/metric-info';

type Item = { period_start: string; median?: number | null; value?: number | null };
interface Line {
  label: string;
  filter: Pick<ScopeQuery, 'team' | 'repo' | 'model'>;
  control: boolean;
}

// Lines beyond these would make the chart unreadable; the table above has every number.
const MAX_SCOPE_LINES = 4;
const MAX_CONTROL_LINES = 3;
const CONTROL_COLORS = [6, 5, 3];

const WEEK_MS = 7 * 86_400_000;
// A clock change makes a local week an hour longer or shorter.
const HOUR_MS = 3_600_000;

/** Whether the week starting at `start` lies wholly inside [from, to). */
export function wholeWeek(start: string, from: string, to: string): boolean {
  const begins = Date.parse(start);
  return begins >= Date.parse(from) - HOUR_MS && begins + WEEK_MS <= Date.parse(to) + HOUR_MS;
}

// A metric's weekly headline number as the API gives it: the median for durations, else the value.
const headline = (item: Item | undefined) =>
  item ? (item.median !== undefined ? item.median : (item.value ?? null)) : null;

/**
 * The metrics API filters by one team, repository or model at a time, and a scope is a union: so
 * each part of the scope is its own line (never summed here), and each control team a dashed one.
 */
export function linesOf(decision: Decision, controlTeams: string[]): Line[] {
  const scope: Line[] = [
    ...decision.scope.teams.map((team) => ({
      label: `Team ${team}`,
      filter: { team },
      control: false,
    })),
    ...decision.scope.repos.map((repo) => ({ label: repo, filter: { repo }, control: false })),
    ...decision.scope.models.map((model) => ({
      label: `Model ${model}`,
      filter: { model },
      control: false,
    })),
  ].slice(0, MAX_SCOPE_LINES);
  const control = controlTeams
    .slice(0, MAX_CONTROL_LINES)
    .map((team) => ({ label: `Control: ${team}`, filter: { team }, control: true }));
  return [...scope, ...control];
}

export function ComparisonChart({
  decision,
  comparison,
  controlTeams,
}: {
  decision: Decision;
  comparison: Comparison;
  controlTeams: string[];
}) {
  const metric = comparison.metric;
  const range = {
    from: comparison.before.from,
    to: comparison.after.to,
    granularity: 'week' as const,
  };
  const lines = linesOf(decision, controlTeams);
  const results = useQueries({
    queries: lines.map((line) => metricQueryOptions(metric, { ...range, ...line.filter })),
  });
  const byPeriod = results.map(
    (result) =>
      new Map(((result.data?.series ?? []) as Item[]).map((item) => [item.period_start, item])),
  );
  // Only weeks wholly inside the range: a week cut short by a window's edge or by now (an
  // after window in progress) holds part of a week's items, and a count would seem to fall.
  const periods = ((results.find((result) => result.data)?.data?.series ?? []) as Item[])
    .map((item) => item.period_start)
    .filter((start) => wholeWeek(start, range.from, range.to));
  const rows = periods.map((period_start) => ({
    period_start,
    values: byPeriod.map((items) => headline(items.get(period_start))),
  }));
  const format = (value: number | null) => formatMetricValue(metric, value);
  const { labels, series, columns } = timeSeries(
    rows,
    'week',
    lines.map((line, index) => ({
      key: line.control
        ? `control_${line.filter.team}`
        : `scope_${line.filter.team ?? line.filter.repo ?? line.filter.model}`,
      label: line.label,
      // Scope lines take the first colors; control lines grey, violet and amber, dashed.
      color: line.control
        ? CONTROL_COLORS[
            (index - lines.findIndex((other) => other.control)) % CONTROL_COLORS.length
          ]
        : index + 1,
      dashed: line.control,
      value: (row: (typeof rows)[number]) => row.values[index],
      format,
    })),
  );
  const failed = results.find((result) => result.error);
  return (
    <ChartCard
      title={metricLabel(metric)}
      description={`${metricFormat(metric) === 'duration' ? 'Weekly median' : 'Weekly value'}; before and after windows shaded${comparison.status === 'in_progress' ? '; the week in progress is left out until it ends' : ''}.`}
      status={{
        isPending: results.some((result) => result.isPending),
        error: failed?.error ?? null,
        refetch: failed?.refetch,
      }}
      empty={rows.every((row) => row.values.every((value) => value === null))}
      rows={rows}
      columns={columns}
      chart={{
        type: 'line',
        labels,
        series,
        format: metricFormat(metric),
        bands: windowBands(comparison, periods),
      }}
    />
  );
}
