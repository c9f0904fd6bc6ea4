import { useMetric } from '../../api/metrics.queries';
import type { MetricCatalogEntry, MetricResponse } from '../../api/types';
import { Tile } from '../../components/tile';
import { formatCount, formatDuration, formatRatio } from '../../lib/format';
import type { ScopeQuery } from '../../lib/url-state';
import { unappliedFilters } from '../../metrics/catalog';
import { itemCount } from '../../metrics/empty';
import { fieldOf } from '../../metrics/metric-charts';

/** Percent change of two API values; display only (no metric is recomputed here). */
function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

const plural = (count: number | null | undefined, one: string, many: string) =>
  `${formatCount(count ?? 0)} ${count === 1 ? one : many}`;

interface Headline {
  value: number | null;
  text: string;
  detail: string;
}

/** The figure a tile shows for a metric answer, as the catalog's kind and headline say. */
function headlineOf(entry: MetricCatalogEntry, body: MetricResponse): Headline {
  const one = entry.items?.noun ?? 'item';
  const many = entry.items?.nouns ?? 'items';
  switch (body.kind) {
    case 'duration':
      return {
        value: body.summary.median,
        text: formatDuration(body.summary.median),
        detail: `median of ${plural(body.summary.count, one, many)}, p90 ${formatDuration(body.summary.p90)}`,
      };
    case 'count': {
      if (entry.headline === 'median_deploy_days_per_week') {
        const value = body.summary.median_deploy_days_per_week ?? null;
        return {
          value,
          text: `${formatCount(value)} days/wk`,
          detail: `median deploy-days a week; ${plural(body.summary.total, one, many)}`,
        };
      }
      return {
        value: body.summary.total,
        text: formatCount(body.summary.total),
        detail: plural(body.summary.total, one, many),
      };
    }
    case 'rate': {
      const counted = fieldOf(body.summary, entry.numerator ?? 'failures') ?? 0;
      return {
        value: body.summary.value,
        text: formatRatio(body.summary.value),
        detail: `${formatCount(counted)} of ${plural(body.summary.deployments, one, many)}`,
      };
    }
    case 'gauge':
      // The tile shows today's count; its change compares the ends of the two periods.
      return {
        value: body.series.at(-1)?.value ?? null,
        text: formatCount(body.summary.current),
        detail: 'now',
      };
  }
}

interface TilesProps {
  query: ScopeQuery;
  previousQuery: ScopeQuery;
}

function MetricTile({ entry, query, previousQuery }: TilesProps & { entry: MetricCatalogEntry }) {
  const current = useMetric(entry.name, query);
  // The previous period waits for the current one, so the first numbers and charts come first.
  const previous = useMetric(entry.name, previousQuery, { enabled: current.isSuccess });
  const now = current.data ? headlineOf(entry, current.data) : undefined;
  const before = previous.data ? headlineOf(entry, previous.data) : undefined;
  // A change is only stated against a previous period that had data behind its figure.
  const earlier = previous.data ? itemCount(previous.data) > 0 : false;
  const unfiltered = unappliedFilters(entry, query);
  return (
    <Tile
      label={entry.label}
      value={now?.text ?? '—'}
      detail={now?.detail}
      changePct={earlier ? percentChange(now?.value ?? null, before?.value ?? null) : null}
      noEarlierData={previous.isSuccess && !earlier}
      comparing={previous.isPending}
      previousValue={earlier ? before?.text : undefined}
      better={entry.better}
      // No band for a metric with nothing behind it: an empty range is not "low".
      band={current.data && itemCount(current.data) > 0 ? current.data.band : undefined}
      notice={unfiltered.length > 0 ? `not filtered by ${unfiltered.join(' or ')}` : undefined}
      isPending={current.isPending}
      error={current.error}
    />
  );
}

export function OverviewTiles({
  entries,
  ...props
}: TilesProps & { entries: MetricCatalogEntry[] }) {
  return (
    <div className="tiles">
      {entries.map((entry) => (
        <MetricTile key={entry.name} entry={entry} {...props} />
      ))}
    </div>
  );
}
