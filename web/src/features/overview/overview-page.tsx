import { useQueries } from '@tanstack/react-query';
import { metricQueryOptions } from '../../api/metrics.queries';
import type { MetricCatalogEntry } from '../../api/types';
import { NoDataHint } from '../../components/state-message';
import { useFilters } from '../../lib/url-state';
import { isEmptyMetric } from '../../metrics/empty';
import { MetricChart } from '../../metrics/metric-charts';
import { drillInto, listsOf, pageMetrics } from '../../metrics/page-metrics';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { DrillDownPanel } from '../drill-down/drill-down-panel';
import { OverviewTiles } from './overview-tiles';

/** Shown above everything when the range holds no data at all: what a newcomer does next. */
function NoDataBanner({ entries }: { entries: MetricCatalogEntry[] }) {
  const { query } = useFilters();
  const results = useQueries({
    queries: entries.map((entry) => metricQueryOptions(entry.name, query)),
  });
  const loaded = results.every((result) => result.isSuccess);
  if (!loaded || results.some((result) => !isEmptyMetric(result.data))) return null;
  return (
    <aside className="callout" aria-label="No data yet">
      <p className="state-title">Nothing to show in this range yet</p>
      <NoDataHint />
    </aside>
  );
}

export function OverviewPage() {
  const { query, previousQuery } = useFilters();
  const decisions = useDecisionMarkers().data;
  const entries = pageMetrics('overview');
  return (
    <>
      <h1 className="page-title">Overview</h1>
      <NoDataBanner entries={entries} />
      <OverviewTiles entries={entries} query={query} previousQuery={previousQuery} />
      <div className="grid">
        {entries.map((entry) => (
          <MetricChart
            key={entry.name}
            entry={entry}
            query={query}
            decisions={decisions}
            onSelectPeriod={drillInto(entry)}
          />
        ))}
        <DrillDownPanel lists={listsOf(entries)} query={query} />
      </div>
    </>
  );
}
