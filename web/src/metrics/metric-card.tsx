import type { Decision, MetricName } from '../api/types';
import type { ScopeQuery } from '../lib/url-state';
import {
  ChangeFailureRateChart,
  CountChart,
  DurationChart,
  ModelsInProductionChart,
} from './metric-charts';

interface CardProps {
  query: ScopeQuery;
  decisions?: Decision[];
  wide?: boolean;
}

/** Each metric's chart, titled and explained once for every page that shows it. */
export function MetricCard({ metric, ...props }: CardProps & { metric: MetricName }) {
  switch (metric) {
    case 'models_in_production':
      return (
        <ModelsInProductionChart
          {...props}
          title="Models in production"
          description="Distinct models with a version in production at the end of each period."
        />
      );
    case 'model_release_lead_time':
      return (
        <DurationChart
          {...props}
          metric={metric}
          title="Model release lead time"
          description="Version registered → in production."
        />
      );
    case 'model_iteration_time':
      return (
        <DurationChart
          {...props}
          metric={metric}
          title="Model iteration time"
          description="Time since the same model's previous promotion."
        />
      );
    case 'lead_time_for_changes':
      return (
        <DurationChart
          {...props}
          metric={metric}
          title="Release lead time"
          description="First commit → deployed to production, per change."
        />
      );
    case 'pr_cycle_time':
      return (
        <DurationChart
          {...props}
          metric={metric}
          title="PR cycle time"
          description="First commit → deployed (not yet deployed: to merge), by merge date."
        />
      );
    case 'time_to_restore':
      return (
        <DurationChart
          {...props}
          metric={metric}
          title="Time to restore"
          description="Incident opened → resolved."
        />
      );
    case 'deployment_frequency':
      return (
        <CountChart
          {...props}
          metric={metric}
          title="Deployment frequency"
          valueLabel="Deployments"
          extra={{ key: 'deploy_days', label: 'Deploy-days' }}
          description="Successful production deployments."
        />
      );
    case 'pr_throughput':
      return (
        <CountChart
          {...props}
          metric={metric}
          title="PR throughput"
          valueLabel="Merged PRs"
          description="Pull requests merged (bots left out)."
        />
      );
    case 'model_promotions':
      return (
        <CountChart
          {...props}
          metric={metric}
          title="Promotions"
          valueLabel="Promotions"
          extra={{ key: 'first_time_models', label: 'Models promoted for the first time' }}
          description="Versions entering production for the first time."
        />
      );
    case 'model_versions_registered':
      return (
        <CountChart
          {...props}
          metric={metric}
          title="Versions registered"
          valueLabel="Versions registered"
          description="New model versions in the registry."
        />
      );
    case 'change_failure_rate':
      return (
        <ChangeFailureRateChart
          {...props}
          title="Change failure rate"
          description="Share of production deployments that caused an incident or were fixed or rolled back."
        />
      );
  }
}
