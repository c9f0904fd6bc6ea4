// The JSON of GET /api/v1/decisions/{id}/comparison (api.md); the web renders these as they are.

import type { MetricName } from '../metrics/metric.types.js';
import type { Verdict } from '../statistics/before-after.js';
import type { Summary } from '../statistics/descriptive.js';

export interface WindowJson extends Summary {
  from: string;
  to: string;
}

/** One group's windows, the change of its median and the evidence for it. */
export interface BeforeAfterJson {
  before: WindowJson;
  after: WindowJson;
  /** (after median - before median) / before median * 100, one decimal; null when before is 0. */
  median_change_pct: number | null;
  median_diff: number | null;
  /** 95% bootstrap interval of median_diff; null with fewer than 5 values in a window. */
  ci95: [number, number] | null;
  /** Two-sided Mann-Whitney U. */
  p_value: number | null;
  verdict: Verdict;
}

export interface ControlJson extends BeforeAfterJson {
  teams: string[];
  /** (scope after - scope before) - (control after - control before), of medians. */
  did_median: number | null;
  did_ci95: [number, number] | null;
  /** false when the control had fewer than 5 values in a window: the verdict is the scope's own. */
  used_in_verdict: boolean;
}

/** One metric: api.md's shape plus unit, verdict_without_control and sentence. */
export interface MetricComparisonJson extends BeforeAfterJson {
  metric: MetricName;
  unit: 'seconds' | 'count' | 'ratio';
  better: 'lower' | 'higher';
  /** The verdict from the scope alone; differs from `verdict` when the control explains the change. */
  verdict_without_control: Verdict;
  control: ControlJson | null;
  /** One plain sentence, units humanized. */
  sentence: string;
}

/** Every metric, when no `metric` is asked for. */
export interface ComparisonSetJson {
  decision_id: number;
  window_weeks: number;
  ramp_weeks: number;
  control_teams: string[];
  comparisons: MetricComparisonJson[];
}
