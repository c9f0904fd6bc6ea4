import type { MetricName } from '../../api/types';
import { useFilters } from '../../lib/url-state';
import { MetricCard } from '../../metrics/metric-card';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { ModelTimeline } from './model-timeline';
import { useModelPromotions } from './models.queries';

const MODEL_METRICS: MetricName[] = [
  'model_promotions',
  'model_versions_registered',
  'model_release_lead_time',
  'model_iteration_time',
];

export function ModelsPage() {
  const { query } = useFilters();
  const decisions = useDecisionMarkers().data;
  const promotions = useModelPromotions(query);
  return (
    <>
      <h1 className="page-title">Models</h1>
      <div className="grid">
        <MetricCard wide metric="models_in_production" query={query} decisions={decisions} />
        {MODEL_METRICS.map((metric) => (
          <MetricCard key={metric} metric={metric} query={query} decisions={decisions} />
        ))}
        <ModelTimeline page={promotions.data} status={promotions} from={query.from} to={query.to} />
      </div>
    </>
  );
}
