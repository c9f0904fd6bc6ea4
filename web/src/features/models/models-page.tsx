import { useFilters } from '../../lib/url-state';
import { CountChart, DurationChart, ModelsInProductionChart } from '../../metrics/metric-charts';
import { useDecisions } from '../decisions/decisions.queries';
import { ModelTimeline } from './model-timeline';
import { useModelPromotions } from './models.queries';

export function ModelsPage() {
  const { query } = useFilters();
  const decisions = useDecisions().data;
  const promotions = useModelPromotions(query);
  return (
    <>
      <h1 className="page-title">Models</h1>
      <div className="grid">
        <ModelsInProductionChart
          wide
          title="Models in production"
          description="Distinct models with a version in production at the end of each period."
          query={query}
          decisions={decisions}
        />
        <CountChart
          metric="model_promotions"
          title="Promotions"
          valueLabel="Promotions"
          extra={{ key: 'first_time_models', label: 'Models promoted for the first time' }}
          description="Versions entering production for the first time."
          query={query}
          decisions={decisions}
        />
        <CountChart
          metric="model_versions_registered"
          title="Versions registered"
          valueLabel="Versions registered"
          description="New model versions in the registry."
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
          metric="model_iteration_time"
          title="Model iteration time"
          description="Time since the same model's previous promotion."
          query={query}
          decisions={decisions}
        />
        <ModelTimeline page={promotions.data} status={promotions} from={query.from} to={query.to} />
      </div>
    </>
  );
}
