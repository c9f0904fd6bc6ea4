import { useFilters } from '../../lib/url-state';
import { MetricChart } from '../../metrics/metric-charts';
import { drillInto, listsOf, pageMetrics } from '../../metrics/page-metrics';
import { useDecisionMarkers } from '../decisions/decisions.queries';
import { DrillDownPanel } from '../drill-down/drill-down-panel';
import { ModelsInProductionList } from './models-in-production';
import { ModelTimeline } from './model-timeline';
import { useModelPromotions } from './models.queries';

export function ModelsPage() {
  const { query } = useFilters();
  const decisions = useDecisionMarkers().data;
  const promotions = useModelPromotions(query);
  const entries = pageMetrics('models');
  return (
    <>
      <h1 className="page-title">Models</h1>
      <div className="grid">
        <ModelsInProductionList query={query} />
        {entries.map((entry) => (
          <MetricChart
            key={entry.name}
            entry={entry}
            query={query}
            decisions={decisions}
            // A level over time (a gauge) reads best across the page.
            wide={entry.kind === 'gauge'}
            onSelectPeriod={drillInto(entry)}
          />
        ))}
        <ModelTimeline page={promotions.data} status={promotions} from={query.from} to={query.to} />
        <DrillDownPanel lists={listsOf(entries)} query={query} />
      </div>
    </>
  );
}
