import { useFilters } from '../../lib/url-state';
import { ChangeFailureRateChart, CountChart, DurationChart } from '../../metrics/metric-charts';
import { useDecisions } from '../decisions/decisions.queries';
import { CycleTimeHistogram } from './cycle-time-histogram';
import { useDeployments, usePullRequests } from './delivery.queries';
import { DrilldownTables } from './drilldown-tables';
import { LeadTimeBreakdown } from './lead-time-breakdown';

export function DeliveryPage() {
  const { query } = useFilters();
  const decisions = useDecisions().data;
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
        <DurationChart
          metric="lead_time_for_changes"
          title="Release lead time"
          description="First commit → deployed to production, per change."
          query={query}
          decisions={decisions}
        />
        <CountChart
          metric="deployment_frequency"
          title="Deployment frequency"
          valueLabel="Deployments"
          extra={{ key: 'deploy_days', label: 'Deploy-days' }}
          description="Successful production deployments."
          query={query}
          decisions={decisions}
        />
        <ChangeFailureRateChart
          title="Change failure rate"
          description="Share of production deployments that caused an incident or were fixed or rolled back."
          query={query}
          decisions={decisions}
        />
        <DurationChart
          metric="time_to_restore"
          title="Time to restore"
          description="Incident opened → resolved."
          query={query}
          decisions={decisions}
        />
        <CountChart
          metric="pr_throughput"
          title="PR throughput"
          valueLabel="Merged PRs"
          description="Pull requests merged (bots left out)."
          query={query}
          decisions={decisions}
        />
        <DurationChart
          metric="pr_cycle_time"
          title="PR cycle time"
          description="First commit → deployed (undeployed PRs: to merge), by merge date."
          query={query}
          decisions={decisions}
        />
        <DrilldownTables pullRequests={pullRequests} deployments={deployments} />
      </div>
    </>
  );
}
