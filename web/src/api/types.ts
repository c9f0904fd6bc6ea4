// Response shapes of the public API (shared/design/api.md). The web renders these as they are.

export type Granularity = 'day' | 'week' | 'month';

export type DurationMetricName =
  | 'pr_cycle_time'
  | 'lead_time_for_changes'
  | 'time_to_restore'
  | 'model_release_lead_time'
  | 'model_iteration_time';
export type CountMetricName =
  | 'deployment_frequency'
  | 'pr_throughput'
  | 'model_promotions'
  | 'model_versions_registered';
export type MetricName =
  | DurationMetricName
  | CountMetricName
  | 'change_failure_rate'
  | 'models_in_production';

export interface Stats {
  count: number;
  median: number | null;
  p75: number | null;
  p90: number | null;
  mean: number | null;
}

export interface Band {
  benchmark: string;
  level: 'elite' | 'high' | 'medium' | 'low' | null;
}

interface MetricEnvelope<Item, Summary> {
  metric: MetricName;
  unit: string;
  granularity: Granularity;
  from: string;
  to: string;
  series: Item[];
  summary: Summary;
  band?: Band | null;
}

export type Breakdown = Record<'coding' | 'pickup' | 'review' | 'deploy', Stats>;
export interface DurationItem extends Stats {
  period_start: string;
  breakdown?: Breakdown;
  // model_release_lead_time: run start → registered, where the run's start is known.
  [extra: string]: unknown;
}
export interface CountItem {
  period_start: string;
  value: number | null;
  deploy_days?: number;
  first_time?: number;
  [extra: string]: unknown;
}
export interface RateItem {
  period_start: string;
  value: number | null;
  failures: number;
  deployments: number;
}

export type DurationMetric = MetricEnvelope<DurationItem, Stats & { breakdown?: Breakdown }>;
export type CountMetric = MetricEnvelope<
  CountItem,
  { total: number; median_deploy_days_per_week?: number | null; [extra: string]: unknown }
>;
export type RateMetric = MetricEnvelope<RateItem, { value: number | null; failures: number; deployments: number }>;
export type ModelsInProductionMetric = MetricEnvelope<CountItem, { current: number }>;

export interface MetricResponses {
  pr_cycle_time: DurationMetric;
  lead_time_for_changes: DurationMetric;
  time_to_restore: DurationMetric;
  model_release_lead_time: DurationMetric;
  model_iteration_time: DurationMetric;
  deployment_frequency: CountMetric;
  pr_throughput: CountMetric;
  model_promotions: CountMetric;
  model_versions_registered: CountMetric;
  change_failure_rate: RateMetric;
  models_in_production: ModelsInProductionMetric;
}

export interface PullRequestRow {
  id?: string | number;
  repo: string;
  number: number;
  title?: string | null;
  author?: string | null;
  url?: string | null;
  created_at?: string | null;
  merged_at: string;
  coding: number | null;
  pickup: number | null;
  review: number | null;
  deploy: number | null;
  cycle: number | null;
  deployed_at: string | null;
  deployment_id: string | number | null;
}

export interface DeploymentRow {
  id: string | number;
  repo?: string | null;
  service?: string | null;
  environment: string;
  sha?: string | null;
  status?: string;
  url?: string | null;
  started_at?: string | null;
  finished_at: string;
  pull_requests?: number | number[] | null;
  change_failure?: boolean | null;
  [extra: string]: unknown;
}

export type Precision = 'exact' | 'registry' | 'observed';

export interface ModelPromotionRow {
  registry: string;
  model: string;
  version: string;
  environment?: string;
  created_at?: string | null;
  promoted_at: string;
  at_precision?: Precision;
  precision_seconds?: number | null;
  demoted_at?: string | null;
  demoted_precision?: Precision | null;
  release_lead_time?: number | null;
  iteration_time?: number | null;
  intervals?: StageInterval[];
  [extra: string]: unknown;
}

export interface StageInterval {
  stage?: string | null;
  alias?: string | null;
  label?: string;
  from: string;
  to: string | null;
  from_precision?: Precision;
  from_precision_seconds?: number | null;
  to_precision?: Precision | null;
}

export interface Team {
  name: string;
  origin: string;
  repos: string[];
  models: { registry: string; model: string }[];
}

export interface DecisionScope {
  teams?: string[];
  repos?: string[];
  models?: (string | { registry: string; model: string })[];
}

export interface Decision {
  id: string | number;
  title: string;
  kind: 'buy' | 'build' | 'other';
  vendor?: string | null;
  description?: string | null;
  effective_at: string;
  scope: DecisionScope;
  created_at?: string;
}

export interface WindowStats {
  from: string;
  to: string;
  n: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

export type Verdict = 'improved' | 'worsened' | 'no_clear_change' | 'insufficient_data';

export interface Comparison {
  metric: MetricName;
  unit?: string;
  better: 'lower' | 'higher';
  before: WindowStats;
  after: WindowStats;
  median_change_pct: number | null;
  median_diff: number | null;
  ci95: [number, number] | null;
  ci95_pct?: [number, number] | null;
  p_value: number | null;
  verdict: Verdict;
  sentence?: string;
  summary?: string;
  control?: {
    teams: string[];
    before: Partial<WindowStats>;
    after: Partial<WindowStats>;
    median_diff: number | null;
    median_change_pct?: number | null;
    did_median: number | null;
    verdict?: Verdict;
  } | null;
}

export interface ReportSummary {
  id: string | number;
  week: string;
  scope?: { team?: string } | null;
  created_at?: string;
  generated_at?: string;
  title?: string;
}

export interface Source {
  id: string | number;
  kind: 'github' | 'mlflow' | string;
  name: string;
  origin?: string;
  base_url?: string;
  schedule?: string;
  last_sync?: SyncRun | null;
  last_run?: SyncRun | null;
  [extra: string]: unknown;
}

export interface SyncRun {
  id: string | number;
  run_id?: string | number;
  source_id?: string | number;
  source?: string;
  status: 'running' | 'succeeded' | 'failed' | string;
  started_at: string;
  finished_at?: string | null;
  duration_seconds?: number | null;
  progress?: { items?: number; pages?: number; requests?: number } | null;
  items?: number;
  pages?: number;
  requests?: number;
  error?: string | null;
}
