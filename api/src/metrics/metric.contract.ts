import { z } from 'zod';
import { isoTimeOut, responseSchemas, seconds } from '../openapi/contract.registry.js';
import { METRIC, METRIC_NAMES, type MetricKind, type MetricName } from './metric-catalog.js';

// The JSON of GET /api/v1/metrics/{metric} and of the drill-down lists (api.md). The service's
// return types are inferred from these schemas, and the OpenAPI document is generated from them.

export const metricNameSchema = z
  .enum(METRIC_NAMES as [MetricName, ...MetricName[]])
  .register(responseSchemas, {
    id: 'MetricName',
    description: 'Every metric of the catalog (GET /api/v1/metrics).',
  });

export const granularitySchema = z
  .enum(['day', 'week', 'month'])
  .register(responseSchemas, { id: 'Granularity' });
export const benchmarkNameSchema = z
  .enum(['dora-2023', 'dora-2021'])
  .register(responseSchemas, { id: 'BenchmarkName' });

const count = z.number().int().nonnegative();

/** The metrics of one kind, as the catalog says: each response names its own. */
const namesOf = (kind: MetricKind) =>
  z.enum(
    METRIC_NAMES.filter((name) => METRIC[name].kind === kind) as [MetricName, ...MetricName[]],
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

/** Present (true) only on a period the range cuts: it holds only part of its time. */
const partial = z.boolean().optional().meta({ description: 'true on a period the range cuts' });

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
      durationStatsSchema.extend({
        period_start: isoTimeOut,
        partial,
        breakdown: breakdown.optional(),
      }),
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
        partial,
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

// change_failure_rate counts `failures`, deployment_rework_rate `rework` (the catalog's numerator).
const rateValue = z.number().nullable().meta({ description: 'null when there was no deployment' });
const failures = { value: rateValue, failures: count, deployments: count };
const rework = { value: rateValue, rework: count, deployments: count };

export const rateMetricResponseSchema = z
  .object({
    metric: namesOf('rate'),
    ...base,
    kind: z.literal('rate'),
    unit: z.literal('ratio'),
    series: z.array(
      z.union([
        z.object({ period_start: isoTimeOut, partial, ...failures }),
        z.object({ period_start: isoTimeOut, partial, ...rework }),
      ]),
    ),
    summary: z.union([z.object(failures), z.object(rework)]),
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
        partial,
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
    is_rework: z.boolean().meta({
      description: 'deployment_rework_rate: a fix, or the first while an incident was open',
    }),
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

export const incidentRowSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    title: z.string().nullable(),
    repo: z.string().nullable(),
    team: z.string().nullable(),
    created_at: isoTimeOut,
    resolved_at: isoTimeOut,
    recovery_seconds: span,
    deployment_id: z
      .string()
      .nullable()
      .meta({ description: 'the deployment it is attributed to' }),
  })
  .register(responseSchemas, { id: 'IncidentRow' });

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
export const incidentPageSchema = page(incidentRowSchema).register(responseSchemas, {
  id: 'IncidentPage',
});

// GET /api/v1/metrics: the catalog's facts (metric-catalog.ts), every one but the SQL.
const metricFilterSchema = z.enum(['team', 'repo', 'model', 'environment']);
export const metricCatalogEntrySchema = z
  .object({
    name: metricNameSchema,
    label: z.string(),
    description: z.string(),
    kind: z.enum(['duration', 'count', 'rate', 'gauge']),
    unit: z.enum(['seconds', 'count', 'ratio']),
    better: z.enum(['lower', 'higher']),
    filters: z.array(metricFilterSchema).meta({ description: 'the filters that apply to it' }),
    items: z
      .object({
        list: z.enum(['pull-requests', 'deployments', 'incidents', 'model-promotions']),
        by: z.string().meta({ description: 'the `by` of the list that puts a row in a period' }),
        noun: z.string(),
        nouns: z.string(),
      })
      .nullable()
      .meta({ description: 'the drill-down list whose rows stand behind a period' }),
    pages: z.array(z.enum(['overview', 'delivery', 'models'])),
    report_chart: z.boolean(),
    comparison: z.object({ label: z.string(), sample: z.string() }),
    breakdown: z
      .array(z.object({ key: z.string(), label: z.string(), description: z.string() }))
      .optional(),
    value_label: z.string().optional(),
    extra: z.object({ key: z.string(), label: z.string() }).nullable().optional(),
    headline: z.enum(['total', 'median_deploy_days_per_week']).optional(),
    numerator: z.enum(['failures', 'rework']).optional(),
    numerator_label: z.string().optional(),
  })
  .register(responseSchemas, { id: 'MetricCatalogEntry' });
export const metricCatalogSchema = z
  .object({ metrics: z.array(metricCatalogEntrySchema) })
  .register(responseSchemas, { id: 'MetricCatalog' });

// GET /api/v1/models-in-production
const precisionSchema = z.enum(['exact', 'registry', 'observed']);
export const modelsInProductionSchema = z
  .object({
    current: z.array(
      z.object({
        registry: z.string(),
        model: z.string(),
        version: z.string(),
        environment: z.string(),
        since: isoTimeOut,
        precision: precisionSchema,
        precision_seconds: z.number().nullable(),
      }),
    ),
    changes: z.array(
      z.object({
        change: z.enum(['entered', 'left']),
        registry: z.string(),
        model: z.string(),
        version: z.string(),
        environment: z.string(),
        at: isoTimeOut,
        precision: precisionSchema.nullable(),
        precision_seconds: z.number().nullable(),
        reason: z
          .enum(['demoted', 'archived', 'alias moved', 'version deleted'])
          .nullable()
          .meta({ description: 'why a version left production' }),
      }),
    ),
  })
  .register(responseSchemas, { id: 'ModelsInProduction' });

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
export type IncidentRow = z.infer<typeof incidentRowSchema>;
export type MetricCatalogResponse = z.infer<typeof metricCatalogSchema>;
export type ModelsInProductionResponse = z.infer<typeof modelsInProductionSchema>;
