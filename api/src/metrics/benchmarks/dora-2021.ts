import { type Benchmark, DAY, HOUR, WEEK } from './benchmark.types.js';

// Performance bands of the 2021 State of DevOps report, as Apache DevLake encodes them (only the
// metrics metrics.md gives bands for).
export const dora2021: Benchmark = {
  name: 'dora-2021',
  source: 'Accelerate State of DevOps Report 2021, as encoded by Apache DevLake',
  metrics: {
    lead_time_for_changes: [
      { level: 'elite', statistic: 'median', op: '<', value: HOUR },
      { level: 'high', statistic: 'median', op: '<', value: WEEK },
      { level: 'medium', statistic: 'median', op: '<', value: 180 * DAY },
    ],
    change_failure_rate: [
      { level: 'elite', statistic: 'value', op: '<=', value: 0.15 },
      { level: 'high', statistic: 'value', op: '<=', value: 0.2 },
      { level: 'medium', statistic: 'value', op: '<=', value: 0.3 },
    ],
  },
};
