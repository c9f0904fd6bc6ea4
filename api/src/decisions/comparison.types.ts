// The JSON of GET /api/v1/decisions/{id}/comparison (api.md); the web renders these as they are.
// The types are the contract's schemas' (the OpenAPI document is generated from them).

import { z } from 'zod';
import { metricNameSchema } from '../metrics/metric.contract.js';
import { isoTimeOut, responseSchemas } from '../openapi/contract.registry.js';

export const verdictSchema = z
  .enum(['improved', 'worsened', 'no_clear_change', 'insufficient_data'])
  .register(responseSchemas, { id: 'Verdict' });

const interval = z
  .tuple([z.number(), z.number()])
  .nullable()
  .meta({ description: '95% bootstrap interval; null with fewer than 5 values in a window' });

export const comparisonWindowSchema = z
  .object({
    from: isoTimeOut,
    to: isoTimeOut,
    n: z.number().int().nonnegative(),
    median: z.number().nullable(),
    p90: z.number().nullable(),
    mean: z.number().nullable(),
  })
  .register(responseSchemas, { id: 'ComparisonWindow' });

/** One group's windows, the change of its median and the evidence for it. */
const beforeAfter = {
  before: comparisonWindowSchema,
  after: comparisonWindowSchema,
  /** (after median - before median) / before median * 100, one decimal; null when before is 0. */
  median_change_pct: z.number().nullable(),
  median_diff: z.number().nullable(),
  ci95: interval,
  /** Two-sided Mann-Whitney U. */
  p_value: z.number().nullable().meta({ description: 'two-sided Mann-Whitney U' }),
  verdict: verdictSchema,
};

/** Holm's step-down adjustment over the reading's metrics (metrics.md). */
const pAdjusted = z.number().nullable().meta({
  description:
    "Holm's step-down adjustment of p_value over the reading's metrics with at least 5 values in each window; null for the others",
});

export const readingStatusSchema = z
  .enum(['ramping_up', 'in_progress', 'complete'])
  .register(responseSchemas, { id: 'ReadingStatus' });
export type ReadingStatus = z.infer<typeof readingStatusSchema>;

/** Where a reading stands (metrics.md): no after data yet, a partial after window, or all of it. */
const readingStatusFields = {
  status: readingStatusSchema,
  /** Whole weeks in the after window so far: 0 while ramping up, window_weeks once complete. */
  weeks_observed: z.number().int().nonnegative().meta({
    description: 'whole weeks in the after window so far: 0 while ramping up, W once complete',
  }),
  complete_at: isoTimeOut.meta({ description: 'when the full after window ends' }),
};

/** The parallel-trends check: the weekly gap (scope median - control median) over the before window. */
export const preTrendSchema = z
  .object({
    slope: z
      .number()
      .meta({ description: "change of the weekly gap per week, in the metric's unit" }),
    ci95: z.tuple([z.number(), z.number()]),
    parallel: z.boolean().meta({ description: 'the 95% interval holds 0' }),
    weeks: z.number().int().meta({ description: 'weeks with a value for both scope and control' }),
  })
  .register(responseSchemas, { id: 'PreTrend' });

export const confounderSchema = z
  .object({ id: z.number().int(), title: z.string(), effective_at: isoTimeOut })
  .register(responseSchemas, { id: 'Confounder' });

export const decisionVerdictSchema = z
  .enum(['improved', 'worsened', 'mixed', 'no_clear_change', 'insufficient_data'])
  .register(responseSchemas, { id: 'DecisionVerdict' });
export type DecisionVerdict = z.infer<typeof decisionVerdictSchema>;

/** A decision's default reading at a glance (GET /api/v1/decisions and /{id}). */
export const decisionSummarySchema = z
  .object({
    ...readingStatusFields,
    verdict: decisionVerdictSchema,
    improved: z.array(metricNameSchema),
    worsened: z.array(metricNameSchema),
    no_clear_change: z.array(metricNameSchema),
    insufficient_data: z.array(metricNameSchema),
    /** One sentence saying the above, for a page's headline and the weekly report. */
    headline: z.string(),
  })
  .register(responseSchemas, { id: 'DecisionSummary' });

export const controlComparisonSchema = z
  .object({
    ...beforeAfter,
    teams: z.array(z.string()),
    /** (scope after - scope before) - (control after - control before), of medians. */
    did_median: z.number().nullable().meta({
      description: '(scope after - scope before) - (control after - control before), of medians',
    }),
    did_ci95: interval,
    pre_trend: preTrendSchema.nullable(),
    /** false when the control cannot judge the change: the verdict is then the scope's own. */
    used_in_verdict: z.boolean(),
    not_used_reason: z
      .enum(['too_little_data', 'trends_not_parallel'])
      .nullable()
      .meta({ description: 'fewer than 5 values in a window, or trends that were not parallel' }),
  })
  .register(responseSchemas, { id: 'ControlComparison' });

/** One metric: api.md's shape plus unit, verdict_without_control and sentence. */
export const metricComparisonSchema = z
  .object({
    ...beforeAfter,
    p_adjusted: pAdjusted,
    ...readingStatusFields,
    metric: metricNameSchema,
    unit: z.enum(['seconds', 'count', 'ratio']),
    better: z.enum(['lower', 'higher']),
    /** The verdict from the scope alone; differs from `verdict` when the control explains the change. */
    verdict_without_control: verdictSchema,
    control: controlComparisonSchema.nullable(),
    /** One plain sentence, units humanized. */
    sentence: z.string(),
    confounders: z.array(confounderSchema),
  })
  .register(responseSchemas, { id: 'MetricComparison' });

/** Every metric, when no `metric` is asked for. */
export const comparisonSetSchema = z
  .object({
    decision_id: z.number().int(),
    window_weeks: z.number().int(),
    ramp_weeks: z.number().int(),
    ...readingStatusFields,
    control_teams: z.array(z.string()),
    comparisons: z.array(metricComparisonSchema),
    confounders: z.array(confounderSchema),
    summary: decisionSummarySchema,
  })
  .register(responseSchemas, { id: 'ComparisonSet' });

export type WindowJson = z.infer<typeof comparisonWindowSchema>;
export type BeforeAfterJson = Pick<
  z.infer<typeof metricComparisonSchema>,
  keyof typeof beforeAfter
>;
export type ReadingStatusJson = Pick<
  z.infer<typeof metricComparisonSchema>,
  keyof typeof readingStatusFields
>;
export type PreTrendJson = z.infer<typeof preTrendSchema>;
export type ConfounderJson = z.infer<typeof confounderSchema>;
export type DecisionSummaryJson = z.infer<typeof decisionSummarySchema>;
export type ControlJson = z.infer<typeof controlComparisonSchema>;
export type MetricComparisonJson = z.infer<typeof metricComparisonSchema>;
export type ComparisonSetJson = z.infer<typeof comparisonSetSchema>;

/** GET .../comparison: one metric's comparison with `metric=...`, else every metric's. */
export const comparisonResponseSchema = z
  .union([metricComparisonSchema, comparisonSetSchema])
  .register(responseSchemas, { id: 'ComparisonResponse' });
