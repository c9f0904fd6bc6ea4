// Response shapes of the public API (shared/design/api.md). The web renders these as they are.

export type Granularity = 'day' | 'week' | 'month';

export type DurationMetricName =
  | 'pr_cycle_time'
  | 'lead_time_for_changes'
  | 'time_to_restore'
  | 'model_release_lead_time'
  | 'model_iteration_time';
export type CountMetricName =
  'deployment_frequency' | 'pr_throughput' | 'model_promotions' | 'model_versions_registered';
export type MetricName =
  DurationMetricName | CountMetricName | 'change_failure_rate' | 'models_in_production';

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
  first_time_models?: number;
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
export type RateMetric = MetricEnvelope<
  RateItem,
  { value: number | null; failures: number; deployments: number }
>;
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

/** Drill-down lists are pages: {items, total, limit, offset}. */
export interface DrillDownPage<Row> {
  items: Row[];
  total: number;
  limit: number;
  offset: number;
}

export interface PullRequestRow {
  repo: string;
  number: number;
  title?: string | null;
  author?: string | null;
  url?: string | null;
  created_at?: string | null;
  first_commit_at?: string | null;
  first_review_at?: string | null;
  merged_at: string;
  coding: number | null;
  pickup: number | null;
  review: number | null;
  deploy: number | null;
  cycle: number | null;
  deployed_at: string | null;
  deployment_id: string | number | null;
  deployment_source?: string | null;
}

export interface DeploymentRow {
  id: string;
  source?: string;
  repo?: string | null;
  environment: string;
  status?: string;
  sha?: string | null;
  url?: string | null;
  started_at?: string | null;
  finished_at: string | null;
  previous_success_id?: string | null;
  is_change_failure?: boolean | null;
  fixes?: string | null;
  pull_requests?: number[] | null;
  incidents?: unknown;
}

export type Precision = 'exact' | 'registry' | 'observed';

export interface ModelPromotionRow {
  registry: string;
  model: string;
  version: string;
  environment?: string | null;
  promoted_at: string;
  precision?: Precision | null;
  /** How uncertain promoted_at is (observed: the time since the previous poll). */
  precision_seconds?: number | null;
  registered_at?: string | null;
  run_id?: string | null;
  release_lead_time?: number | null;
  iteration_time?: number | null;
  first_promotion_of_model?: boolean;
  /** When the version left production, where the API says (null: still in). */
  ended_at?: string | null;
}

export interface Team {
  name: string;
  origin: string;
  repos: string[];
  models: { registry: string; model: string }[];
}

export interface DecisionScope {
  teams: string[];
  repos: string[];
  /** "registry/model", or a model name alone. */
  models: string[];
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
  unit?: 'seconds' | 'count' | 'ratio';
  better: 'lower' | 'higher';
  before: WindowStats;
  after: WindowStats;
  median_change_pct: number | null;
  median_diff: number | null;
  ci95: [number, number] | null;
  p_value: number | null;
  verdict: Verdict;
  verdict_without_control?: Verdict;
  sentence?: string;
  control: {
    teams: string[];
    before: WindowStats;
    after: WindowStats;
    median_change_pct: number | null;
    median_diff: number | null;
    ci95: [number, number] | null;
    p_value: number | null;
    verdict: Verdict;
    did_median: number | null;
    did_ci95?: [number, number] | null;
    used_in_verdict?: boolean;
  } | null;
}

export interface ComparisonSet {
  decision_id: number;
  window_weeks: number;
  ramp_weeks: number;
  control_teams: string[];
  comparisons: Comparison[];
}

export interface ReportSummary {
  id: string;
  week: string;
  scope: { team: string | null };
  period_start?: string;
  period_end?: string;
  created_at: string;
}

export interface Source {
  id: number;
  /** github, mlflow, or a kind added later. */
  kind: string;
  name: string;
  origin?: 'config' | 'api';
  schedule?: string;
  /** How to show it, as its kind describes it: the web knows no kind's fields. */
  display?: {
    label: string;
    fields: { label: string; value: string }[];
    links: { label: string; href: string }[];
  };
  last_sync: SyncRun | null;
  [extra: string]: unknown;
}

export interface SyncRun {
  id: string;
  source_id: number;
  source: string;
  trigger?: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  items: number;
  pages: number;
  requests: number;
  error: string | null;
  duration_seconds: number | null;
}
