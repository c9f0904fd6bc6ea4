import type { MetricName } from '../../api/types';
import { useFilters } from '../../lib/url-state';
import { MetricCard } from '../../metrics/metric-card';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { CycleTimeHistogram } from './cycle-time-histogram';
import { useDeployments, usePullRequests } from './delivery.queries';
import { DrilldownTables } from './drilldown-tables';
import { LeadTimeBreakdown } from './lead-time-breakdown';

const DELIVERY_METRICS: MetricName[] = [
  'lead_time_for_changes',
  'deployment_frequency',
  'change_failure_rate',
  'time_to_restore',
  'pr_throughput',
];

export function DeliveryPage() {
  const { query } = useFilters();
  const decisions = useDecisionMarkers().data;
  const pullRequests = usePullRequests(query);
  const deployments = useDeployments(query);
  return (
    <>
      <h1 className="page-title">Delivery</h1>
      <div className="grid">
        <LeadTimeBreakdown query={query} decisions={decisions} />
        <CycleTimeHistogram
          rows={pullRequests.data?.items ?? []}
          total={pullRequests.data?.total ?? 0}
          status={pullRequests}
        />
        {DELIVERY_METRICS.map((metric) => (
          <MetricCard key={metric} metric={metric} query={query} decisions={decisions} />
        ))}
        <DrilldownTables pullRequests={pullRequests} deployments={deployments} />
      </div>
    </>
  );
}
