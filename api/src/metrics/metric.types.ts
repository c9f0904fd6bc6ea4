// The metrics module's public types: the web, decisions and reports code against these.

export type MetricName =
  | 'pr_cycle_time'
  | 'lead_time_for_changes'
  | 'deployment_frequency'
  | 'change_failure_rate'
  | 'time_to_restore'
  | 'pr_throughput'
  | 'models_in_production'
  | 'model_promotions'
  | 'model_release_lead_time'
  | 'model_iteration_time'
  | 'model_versions_registered';

export const METRIC_NAMES: readonly MetricName[] = [
  'pr_cycle_time',
  'lead_time_for_changes',
  'deployment_frequency',
  'change_failure_rate',
  'time_to_restore',
  'pr_throughput',
  'models_in_production',
  'model_promotions',
  'model_release_lead_time',
  'model_iteration_time',
  'model_versions_registered',
];

export type Granularity = 'day' | 'week' | 'month';
export type BenchmarkName = 'dora-2023' | 'dora-2021';

export interface MetricQuery {
  from: Date;
  to: Date;
  granularity: Granularity;
  tz: string;
  team?: string;
  repo?: string;
  model?: string;
  environment?: string;
  benchmark: BenchmarkName;
}

/** The union of what is named; a team stands for its repositories and models. */
export interface MetricScope {
  teams?: string[];
  repos?: string[];
  /** "registry/model", or a model name alone (every registry). */
  models?: string[];
}

export type {
  Band,
  BandLevel,
  CountMetricResponse,
  CountPeriod,
  DurationMetricResponse,
  DurationPeriod,
  DurationStats,
  GaugeMetricResponse,
  GaugePeriod,
  MetricResponse,
  RateMetricResponse,
  RatePeriod,
} from './metric.contract.js';
