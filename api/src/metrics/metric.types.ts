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

/** Statistics over a set of durations in seconds; all null (count 0) on an empty set. */
export interface DurationStats {
  count: number;
  median: number | null;
  p75: number | null;
  p90: number | null;
  mean: number | null;
}

export type BandLevel = 'elite' | 'high' | 'medium' | 'low';

export interface Band {
  benchmark: BenchmarkName;
  /** null when the statistic the band compares is null (no data in the range). */
  level: BandLevel | null;
}

export interface DurationPeriod extends DurationStats {
  period_start: string;
  /** pr_cycle_time: coding, pickup, review, deploy; model_release_lead_time: run_to_registered. */
  breakdown?: Record<string, DurationStats>;
}

export interface CountPeriod {
  period_start: string;
  value: number;
  /** deployment_frequency: distinct days (in the tz) with a deployment. */
  deploy_days?: number;
  /** model_promotions: models promoted for the first time ever. */
  first_time_models?: number;
}

export interface RatePeriod {
  period_start: string;
  value: number | null;
  failures: number;
  deployments: number;
}

export interface GaugePeriod {
  period_start: string;
  value: number;
}

interface ResponseBase {
  metric: MetricName;
  granularity: Granularity;
  from: string;
  to: string;
  tz: string;
  band?: Band;
}

export interface DurationMetricResponse extends ResponseBase {
  kind: 'duration';
  unit: 'seconds';
  series: DurationPeriod[];
  summary: DurationStats & { breakdown?: Record<string, DurationStats> };
}

export interface CountMetricResponse extends ResponseBase {
  kind: 'count';
  unit: 'count';
  series: CountPeriod[];
  summary: {
    total: number;
    first_time_models?: number;
    /** deployment_frequency: median over the ISO weeks of the range (zeros included). */
    median_deploy_days_per_week?: number | null;
    median_deploy_days_per_month?: number | null;
  };
}

export interface RateMetricResponse extends ResponseBase {
  kind: 'rate';
  unit: 'ratio';
  series: RatePeriod[];
  summary: { value: number | null; failures: number; deployments: number };
}

export interface GaugeMetricResponse extends ResponseBase {
  kind: 'gauge';
  unit: 'count';
  series: GaugePeriod[];
  summary: { current: number };
}

/** The JSON of GET /api/v1/metrics/{metric} (api.md); `kind` and `tz` are additions. */
export type MetricResponse =
  DurationMetricResponse | CountMetricResponse | RateMetricResponse | GaugeMetricResponse;
