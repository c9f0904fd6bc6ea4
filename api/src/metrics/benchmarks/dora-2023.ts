import { type Benchmark, DAY, HOUR, WEEK } from './benchmark.types.js';

// Performance bands of the 2023 State of DevOps report, as Apache DevLake encodes them.
export const dora2023: Benchmark = {
  name: 'dora-2023',
  source: 'Accelerate State of DevOps Report 2023, as encoded by Apache DevLake',
  metrics: {
    lead_time_for_changes: [
      { level: 'elite', statistic: 'median', op: '<', value: DAY },
      { level: 'high', statistic: 'median', op: '<', value: WEEK },
      { level: 'medium', statistic: 'median', op: '<', value: 30 * DAY },
    ],
    deployment_frequency: [
      { level: 'elite', statistic: 'median_deploy_days_per_week', op: '>=', value: 5 },
      { level: 'high', statistic: 'median_deploy_days_per_week', op: '>=', value: 1 },
      { level: 'medium', statistic: 'median_deploy_days_per_month', op: '>=', value: 1 },
    ],
    change_failure_rate: [
      { level: 'elite', statistic: 'value', op: '<=', value: 0.05 },
      { level: 'high', statistic: 'value', op: '<=', value: 0.1 },
      { level: 'medium', statistic: 'value', op: '<=', value: 0.15 },
    ],
    time_to_restore: [
      { level: 'elite', statistic: 'median', op: '<', value: HOUR },
      { level: 'high', statistic: 'median', op: '<', value: DAY },
      { level: 'medium', statistic: 'median', op: '<', value: WEEK },
    ],
  },
};
