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

export const controlComparisonSchema = z
  .object({
    ...beforeAfter,
    teams: z.array(z.string()),
    /** (scope after - scope before) - (control after - control before), of medians. */
    did_median: z.number().nullable().meta({
      description: '(scope after - scope before) - (control after - control before), of medians',
    }),
    did_ci95: interval,
    /** false when the control had fewer than 5 values in a window: the verdict is the scope's own. */
    used_in_verdict: z.boolean(),
  })
  .register(responseSchemas, { id: 'ControlComparison' });

/** One metric: api.md's shape plus unit, verdict_without_control and sentence. */
export const metricComparisonSchema = z
  .object({
    ...beforeAfter,
    metric: metricNameSchema,
    unit: z.enum(['seconds', 'count', 'ratio']),
    better: z.enum(['lower', 'higher']),
    /** The verdict from the scope alone; differs from `verdict` when the control explains the change. */
    verdict_without_control: verdictSchema,
    control: controlComparisonSchema.nullable(),
    /** One plain sentence, units humanized. */
    sentence: z.string(),
  })
  .register(responseSchemas, { id: 'MetricComparison' });

/** Every metric, when no `metric` is asked for. */
export const comparisonSetSchema = z
  .object({
    decision_id: z.number().int(),
    window_weeks: z.number().int(),
    ramp_weeks: z.number().int(),
    control_teams: z.array(z.string()),
    comparisons: z.array(metricComparisonSchema),
  })
  .register(responseSchemas, { id: 'ComparisonSet' });

export type WindowJson = z.infer<typeof comparisonWindowSchema>;
export type BeforeAfterJson = Pick<
  z.infer<typeof metricComparisonSchema>,
  keyof typeof beforeAfter
>;
export type ControlJson = z.infer<typeof controlComparisonSchema>;
export type MetricComparisonJson = z.infer<typeof metricComparisonSchema>;
export type ComparisonSetJson = z.infer<typeof comparisonSetSchema>;

/** GET .../comparison: one metric's comparison with `metric=...`, else every metric's. */
export const comparisonResponseSchema = z
  .union([metricComparisonSchema, comparisonSetSchema])
  .register(responseSchemas, { id: 'ComparisonResponse' });
