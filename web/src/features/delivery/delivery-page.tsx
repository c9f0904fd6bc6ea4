import { useFilters } from '../../lib/url-state';
import { MetricChart } from '../../metrics/metric-charts';
import { drillInto, listsOf, pageMetrics } from '../../metrics/page-metrics';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { DrillDownPanel } from '../drill-down/drill-down-panel';
import { useDrillDown } from '../drill-down/drill-down.queries';
import type { PullRequestRow } from '../../api/types';
import { CycleTimeHistogram } from './cycle-time-histogram';
import { LeadTimeBreakdown } from './lead-time-breakdown';

export function DeliveryPage() {
  const { query } = useFilters();
  const decisions = useDecisionMarkers().data;
  const pullRequests = useDrillDown<PullRequestRow>('pull-requests', query);
  const entries = pageMetrics('delivery');
  return (
    <>
      <h1 className="page-title">Delivery</h1>
      <div className="grid">
        {entries
          .filter((entry) => (entry.breakdown?.length ?? 0) > 1)
          .map((entry) => (
            <LeadTimeBreakdown key={entry.name} entry={entry} query={query} decisions={decisions} />
          ))}
        <CycleTimeHistogram
          rows={pullRequests.data?.items ?? []}
          total={pullRequests.data?.total ?? 0}
          status={pullRequests}
        />
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
