// The one report model. JSON is this model as stored; Markdown, HTML, Slack blocks and the charts
// are drawn from it, so every channel says the same thing.

/** How a metric's weekly value reads: seconds, a count, a share (0..1), or a number of models. */
export type MetricKind = 'duration' | 'count' | 'rate' | 'level';

export interface BandLevel {
  benchmark: string;
  level: string;
}

export interface WeeklyPoint {
  period_start: string;
  value: number | null;
}

export interface HeadlineMetric {
  metric: string;
  label: string;
  kind: MetricKind;
  better: 'lower' | 'higher';
  /** The report week's value (the median for durations), as the metrics service returned it. */
  value: number | null;
  /** How many items stand behind a duration's median. */
  sample: number | null;
  previous: number | null;
  /** The median of the 12 weekly values before the report week. */
  median_12w: number | null;
  change_vs_previous_pct: number | null;
  change_vs_median_pct: number | null;
  band: BandLevel | null;
  /** The 12 weeks before and the report week, oldest first (the charts). */
  trend: WeeklyPoint[];
}

export interface PromotedModel {
  registry: string;
  model: string;
  version: string;
  environment: string | null;
  promoted_at: string;
  /** Registered to production. */
  lead_time_seconds: number | null;
}

export interface SlowPullRequest {
  repo: string;
  number: number;
  title: string | null;
  author: string | null;
  merged_at: string;
  cycle_seconds: number | null;
}

export interface DeploymentRow {
  id: string;
  target: string;
  environment: string;
  status: string;
  finished_at: string | null;
  change_failure: boolean;
  /** Incidents attributed to the deployment. */
  incidents: number;
}

export interface DeploymentsSection {
  total: number | null;
  failures: number | null;
  change_failure_rate: number | null;
  /** Deployments of the week that failed or became change failures. */
  failed: DeploymentRow[];
}

export interface IncidentsSection {
  /** Incidents resolved in the week, and the median time to restore them. */
  resolved: number | null;
  median_restore_seconds: number | null;
}

export interface DecisionVerdict {
  metric: string;
  verdict: string;
  median_change_pct: number | null;
}

export interface DecisionInEffect {
  id: string;
  title: string;
  kind: string;
  effective_at: string;
  verdicts: DecisionVerdict[];
}

export interface ReportModel {
  schema: 'lastmile.report/v1';
  week: string;
  scope: { team: string | null };
  title: string;
  timezone: string;
  period_start: string;
  period_end: string;
  generated_at: string;
  benchmark: string;
  headline: HeadlineMetric[];
  models_promoted: PromotedModel[];
  slowest_pull_requests: SlowPullRequest[];
  deployments: DeploymentsSection;
  incidents: IncidentsSection;
  /** Null while the decisions module is not part of the app. */
  decisions: DecisionInEffect[] | null;
}
