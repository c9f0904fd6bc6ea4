import { z } from 'zod';
import { isoTimeOut, responseSchemas, seconds } from '../openapi/contract.registry.js';
import { METRIC_CATALOG, type MetricDefinition } from './metric-catalog.js';
import { METRIC_NAMES, type MetricName } from './metric.types.js';

// The JSON of GET /api/v1/metrics/{metric} and of the drill-down lists (api.md). The service's
// return types are inferred from these schemas, and the OpenAPI document is generated from them.

export const metricNameSchema = z
  .enum(METRIC_NAMES as [MetricName, ...MetricName[]])
  .register(responseSchemas, { id: 'MetricName', description: 'Every metric of METRICS.md.' });

export const granularitySchema = z
  .enum(['day', 'week', 'month'])
  .register(responseSchemas, { id: 'Granularity' });
export const benchmarkNameSchema = z
  .enum(['dora-2023', 'dora-2021'])
  .register(responseSchemas, { id: 'BenchmarkName' });

const count = z.number().int().nonnegative();

/** The metrics of one kind, as the catalog says: each response names its own. */
const namesOf = (kind: MetricDefinition['kind']) =>
  z.enum(
    METRIC_NAMES.filter((name) => METRIC_CATALOG[name].kind === kind) as [
      MetricName,
      ...MetricName[],
    ],
  );

export const durationStatsSchema = z
  .object({
    count,
    median: seconds.nullable(),
    p75: seconds.nullable(),
    p90: seconds.nullable(),
    mean: seconds.nullable(),
  })
  .register(responseSchemas, {
    id: 'DurationStats',
    description: 'Statistics over durations in seconds; all null (count 0) on an empty set.',
  });

export const bandSchema = z
  .object({
    benchmark: benchmarkNameSchema,
    /** null when the statistic the band compares is null (no data in the range). */
    level: z.enum(['elite', 'high', 'medium', 'low']).nullable(),
  })
  .register(responseSchemas, { id: 'Band' });

const breakdown = z.record(z.string(), durationStatsSchema).meta({
  description:
    'pr_cycle_time: coding, pickup, review, deploy; model_release_lead_time: run_to_registered.',
});

const base = {
  granularity: granularitySchema,
  from: isoTimeOut,
  to: isoTimeOut,
  tz: z.string().meta({ description: 'IANA time zone of the periods' }),
  band: bandSchema.optional().meta({ description: 'Only where a benchmark exists.' }),
};

export const durationMetricResponseSchema = z
  .object({
    metric: namesOf('duration'),
    ...base,
    kind: z.literal('duration'),
    unit: z.literal('seconds'),
    series: z.array(
      durationStatsSchema.extend({ period_start: isoTimeOut, breakdown: breakdown.optional() }),
    ),
    summary: durationStatsSchema.extend({ breakdown: breakdown.optional() }),
  })
  .register(responseSchemas, { id: 'DurationMetricResponse' });

export const countMetricResponseSchema = z
  .object({
    metric: namesOf('count'),
    ...base,
    kind: z.literal('count'),
    unit: z.literal('count'),
    series: z.array(
      z.object({
        period_start: isoTimeOut,
        value: count,
        /** deployment_frequency: distinct days (in the tz) with a deployment. */
        deploy_days: count.optional(),
        /** model_promotions: models promoted for the first time ever. */
        first_time_models: count.optional(),
      }),
    ),
    summary: z.object({
      total: count,
      first_time_models: count.optional(),
      /** deployment_frequency: median over the ISO weeks of the range (zeros included). */
      median_deploy_days_per_week: z.number().nullable().optional(),
      median_deploy_days_per_month: z.number().nullable().optional(),
    }),
  })
  .register(responseSchemas, { id: 'CountMetricResponse' });

export const rateMetricResponseSchema = z
  .object({
    metric: namesOf('rate'),
    ...base,
    kind: z.literal('rate'),
    unit: z.literal('ratio'),
    series: z.array(
      z.object({
        period_start: isoTimeOut,
        value: z.number().nullable().meta({ description: 'null when there was no deployment' }),
        failures: count,
        deployments: count,
      }),
    ),
    summary: z.object({ value: z.number().nullable(), failures: count, deployments: count }),
  })
  .register(responseSchemas, { id: 'RateMetricResponse' });

export const gaugeMetricResponseSchema = z
  .object({
    metric: namesOf('gauge'),
    ...base,
    kind: z.literal('gauge'),
    unit: z.literal('count'),
    series: z.array(
      z.object({
        period_start: isoTimeOut,
        value: count.meta({ description: 'at the end of the period' }),
      }),
    ),
    summary: z.object({ current: count }),
  })
  .register(responseSchemas, { id: 'GaugeMetricResponse' });

export const metricResponseSchema = z
  .discriminatedUnion('kind', [
    durationMetricResponseSchema,
    countMetricResponseSchema,
    rateMetricResponseSchema,
    gaugeMetricResponseSchema,
  ])
  .register(responseSchemas, { id: 'MetricResponse' });

// The drill-down lists: pages of the rows behind the metrics. CSV has the same columns.

const nullableTime = isoTimeOut.nullable();
const span = seconds.nullable();

export const pullRequestRowSchema = z
  .object({
    repo: z.string(),
    number: z.number().int(),
    title: z.string().nullable(),
    author: z.string().nullable(),
    created_at: isoTimeOut,
    first_commit_at: nullableTime,
    first_review_at: nullableTime,
    merged_at: isoTimeOut,
    deployed_at: nullableTime,
    deployment_id: z.string().nullable().meta({ description: 'the deployment event id' }),
    deployment_source: z.string().nullable(),
    coding: span,
    pickup: span,
    review: span,
    deploy: span,
    cycle: span,
  })
  .register(responseSchemas, { id: 'PullRequestRow' });

export const deploymentRowSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    repo: z.string().meta({ description: '"owner/name", or the service' }),
    environment: z.string(),
    status: z.enum(['success', 'failure']),
    sha: z.string().nullable(),
    started_at: nullableTime,
    finished_at: isoTimeOut,
    previous_success_id: z.string().nullable(),
    is_change_failure: z.boolean(),
    fixes: z.string().nullable().meta({ description: 'the deployment this one fixes' }),
    pull_requests: count.meta({ description: 'how many pull requests it shipped' }),
    incidents: count.meta({ description: 'how many incidents are attributed to it' }),
  })
  .register(responseSchemas, { id: 'DeploymentRow' });

export const modelPromotionRowSchema = z
  .object({
    registry: z.string(),
    model: z.string(),
    version: z.string(),
    environment: z.string(),
    promoted_at: isoTimeOut,
    precision: z.enum(['exact', 'registry', 'observed']),
    precision_seconds: z
      .number()
      .nullable()
      .meta({ description: 'how uncertain promoted_at is (observed: time since the last poll)' }),
    registered_at: nullableTime,
    run_id: z.string().nullable(),
    release_lead_time: span,
    iteration_time: span,
    first_promotion_of_model: z.boolean(),
    ended_at: nullableTime.meta({ description: 'when it left production; null: still in' }),
  })
  .register(responseSchemas, { id: 'ModelPromotionRow' });

const page = <Row extends z.ZodType>(row: Row) =>
  z.object({ items: z.array(row), total: count, limit: count, offset: count });

export const pullRequestPageSchema = page(pullRequestRowSchema).register(responseSchemas, {
  id: 'PullRequestPage',
});
export const deploymentPageSchema = page(deploymentRowSchema).register(responseSchemas, {
  id: 'DeploymentPage',
});
export const modelPromotionPageSchema = page(modelPromotionRowSchema).register(responseSchemas, {
  id: 'ModelPromotionPage',
});

export type DurationStats = z.infer<typeof durationStatsSchema>;
export type Band = z.infer<typeof bandSchema>;
export type BandLevel = NonNullable<Band['level']>;
export type DurationMetricResponse = z.infer<typeof durationMetricResponseSchema>;
export type DurationPeriod = DurationMetricResponse['series'][number];
export type CountMetricResponse = z.infer<typeof countMetricResponseSchema>;
export type CountPeriod = CountMetricResponse['series'][number];
export type RateMetricResponse = z.infer<typeof rateMetricResponseSchema>;
export type RatePeriod = RateMetricResponse['series'][number];
export type GaugeMetricResponse = z.infer<typeof gaugeMetricResponseSchema>;
export type GaugePeriod = GaugeMetricResponse['series'][number];
export type MetricResponse = z.infer<typeof metricResponseSchema>;
export type PullRequestRow = z.infer<typeof pullRequestRowSchema>;
export type DeploymentRow = z.infer<typeof deploymentRowSchema>;
export type ModelPromotionRow = z.infer<typeof modelPromotionRowSchema>;
