import type { MetricName } from '../../api/types';

/** The overview's six charts, in page order; its tiles summarise the same metrics. */
export const OVERVIEW_METRICS: MetricName[] = [
  'models_in_production',
  'model_release_lead_time',
  'lead_time_for_changes',
  'deployment_frequency',
  'change_failure_rate',
  'time_to_restore',
];
