// The metrics module's public types: the web, decisions and reports code against these.

// The names come from the catalog, the one list of metrics.
export { METRIC_NAMES, type MetricName } from './metric-catalog.js';

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
