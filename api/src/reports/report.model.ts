// The one report model. JSON is this model as stored; Markdown, HTML, Slack blocks and the charts
// are drawn from it, so every channel says the same thing. The schemas are the public contract's
// (GET /api/v1/reports/{id} carries the model as `content`); the types are inferred from them.

import { z } from 'zod';
import { isoTimeOut, responseSchemas } from '../openapi/contract.registry.js';

const metricKind = z
  .enum(['duration', 'count', 'rate', 'level'])
  .meta({ description: 'seconds, a count, a share (0..1), or a number of models' });
/** How a metric's weekly value reads: seconds, a count, a share (0..1), or a number of models. */
export type MetricKind = z.infer<typeof metricKind>;

const bandLevel = z.object({ benchmark: z.string(), level: z.string() });
export type BandLevel = z.infer<typeof bandLevel>;

const weeklyPoint = z.object({ period_start: isoTimeOut, value: z.number().nullable() });
export type WeeklyPoint = z.infer<typeof weeklyPoint>;

const headlineMetric = z.object({
  metric: z.string(),
  label: z.string(),
  kind: metricKind,
  better: z.enum(['lower', 'higher']),
  /** The report week's value (the median for durations), as the metrics service returned it. */
  value: z.number().nullable(),
  /** How many items stand behind a duration's median. */
  sample: z.number().int().nullable(),
  previous: z.number().nullable(),
  /** The median of the 12 weekly values before the report week. */
  median_12w: z.number().nullable(),
  change_vs_previous_pct: z.number().nullable(),
  change_vs_median_pct: z.number().nullable(),
  band: bandLevel.nullable(),
  /** The 12 weeks before and the report week, oldest first (the charts). */
  trend: z.array(weeklyPoint),
});
export type HeadlineMetric = z.infer<typeof headlineMetric>;

const promotedModel = z.object({
  registry: z.string(),
  model: z.string(),
  version: z.string(),
  environment: z.string().nullable(),
  promoted_at: isoTimeOut,
  /** Registered to production. */
  lead_time_seconds: z.number().nullable(),
});
export type PromotedModel = z.infer<typeof promotedModel>;

const slowPullRequest = z.object({
  repo: z.string(),
  number: z.number().int(),
  title: z.string().nullable(),
  author: z.string().nullable(),
  merged_at: isoTimeOut,
  cycle_seconds: z.number().nullable(),
});
export type SlowPullRequest = z.infer<typeof slowPullRequest>;

const deploymentRow = z.object({
  id: z.string(),
  target: z.string(),
  environment: z.string(),
  status: z.string(),
  finished_at: isoTimeOut.nullable(),
  change_failure: z.boolean(),
  /** Incidents attributed to the deployment. */
  incidents: z.number().int(),
});
export type DeploymentRow = z.infer<typeof deploymentRow>;

const deploymentsSection = z.object({
  total: z.number().int().nullable(),
  failures: z.number().int().nullable(),
  change_failure_rate: z.number().nullable(),
  /** Rework deployments and their share (absent from reports made before the metric existed). */
  rework: z.number().int().nullable().optional(),
  deployment_rework_rate: z.number().nullable().optional(),
  /** Deployments of the week that failed or became change failures. */
  failed: z.array(deploymentRow),
});
export type DeploymentsSection = z.infer<typeof deploymentsSection>;

const incidentsSection = z.object({
  /** Incidents resolved in the week, and the median time to recover from them. */
  resolved: z.number().int().nullable(),
  median_restore_seconds: z.number().nullable(),
});
export type IncidentsSection = z.infer<typeof incidentsSection>;

const decisionVerdict = z.object({
  metric: z.string(),
  verdict: z.string(),
  median_change_pct: z.number().nullable(),
});
export type DecisionVerdict = z.infer<typeof decisionVerdict>;

const decisionInEffect = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  effective_at: isoTimeOut,
  verdicts: z.array(decisionVerdict),
});
export type DecisionInEffect = z.infer<typeof decisionInEffect>;

/** A decision's default reading as it stands when the report is made (metrics.md). */
const decisionReading = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  effective_at: isoTimeOut,
  status: z.enum(['ramping_up', 'in_progress', 'complete']),
  weeks_observed: z.number().int(),
  window_weeks: z.number().int(),
  complete_at: isoTimeOut,
  verdict: z.enum(['improved', 'worsened', 'mixed', 'no_clear_change', 'insufficient_data']),
  /** The API's one-sentence summary, e.g. "Release lead time improved; nothing worsened (...)". */
  headline: z.string(),
});
export type DecisionReading = z.infer<typeof decisionReading>;

const decisionReadingsSection = z.object({
  /** Read during the week: in effect by its end, full reading not yet due. */
  in_progress: z.array(decisionReading),
  /** Whose full reading completed during the week. */
  completed: z.array(decisionReading),
});
export type DecisionReadingsSection = z.infer<typeof decisionReadingsSection>;

export const reportModelSchema = z
  .object({
    schema: z.literal('lastmile.report/v1'),
    week: z.string().meta({ examples: ['2026-W09'] }),
    scope: z.object({ team: z.string().nullable() }),
    title: z.string(),
    timezone: z.string(),
    period_start: isoTimeOut,
    period_end: isoTimeOut,
    generated_at: isoTimeOut,
    benchmark: z.string(),
    headline: z.array(headlineMetric),
    models_promoted: z.array(promotedModel),
    slowest_pull_requests: z.array(slowPullRequest),
    deployments: deploymentsSection,
    incidents: incidentsSection,
    /** Null while the decisions module is not part of the app. */
    decisions: z.array(decisionInEffect).nullable(),
    /** Absent from reports made before it existed. */
    decision_readings: decisionReadingsSection.nullable().optional(),
  })
  .register(responseSchemas, { id: 'ReportModel' });
export type ReportModel = z.infer<typeof reportModelSchema>;
