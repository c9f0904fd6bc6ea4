import { useMetric } from '../../api/metrics.queries';
import { NoDataHint } from '../../components/state-message';
import { useFilters } from '../../lib/url-state';
import { MetricCard } from '../../metrics/metric-card';
import { isEmptyMetric } from '../../metrics/empty';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { OVERVIEW_METRICS } from './overview-metrics';
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
  const decisions = useDecisionMarkers().data;
  return (
    <>
      <h1 className="page-title">Overview</h1>
      <NoDataBanner />
      <OverviewTiles query={query} previousQuery={previousQuery} />
      <div className="grid">
        {OVERVIEW_METRICS.map((metric) => (
          <MetricCard key={metric} metric={metric} query={query} decisions={decisions} />
        ))}
      </div>
    </>
  );
}
