import { useMetric } from '../../api/metrics.queries';
import { NoDataHint } from '../../components/state-message';
import { useFilters } from '../../lib/url-state';
import {
  ChangeFailureRateChart,
  CountChart,
  DurationChart,
  ModelsInProductionChart,
} from '../../metrics/metric-charts';
import { isEmptyMetric } from '../../metrics/empty';
import { useDecisions } from '../decisions/decisions.queries';
import { OverviewTiles } from './overview-tiles';

/** Shown above everything when the range holds no data at all: what a newcomer does next. */
function NoDataBanner() {
  const { query } = useFilters();
  const deployments = useMetric('deployment_frequency', query);
  const models = useMetric('models_in_production', query);
  const changes = useMetric('lead_time_for_changes', query);
  const loaded = deployments.isSuccess && models.isSuccess && changes.isSuccess;
  if (
    !loaded ||
    !isEmptyMetric('deployment_frequency', deployments.data) ||
    !isEmptyMetric('models_in_production', models.data) ||
    !isEmptyMetric('lead_time_for_changes', changes.data)
  )
    return null;
  return (
    <aside className="callout" aria-label="No data yet">
      <p className="state-title">Nothing to show in this range yet</p>
      <NoDataHint />
    </aside>
  );
}

export function OverviewPage() {
  const { query, previousQuery } = useFilters();
  const decisions = useDecisions().data;
  return (
    <>
      <h1 className="page-title">Overview</h1>
      <NoDataBanner />
      <OverviewTiles query={query} previousQuery={previousQuery} />
      <div className="grid">
        <ModelsInProductionChart
          title="Models in production"
          description="Distinct models with a version in production at the end of each period."
          query={query}
          decisions={decisions}
        />
        <DurationChart
          metric="model_release_lead_time"
          title="Model release lead time"
          description="Version registered → in production."
          query={query}
          decisions={decisions}
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
      </div>
    </>
  );
}
