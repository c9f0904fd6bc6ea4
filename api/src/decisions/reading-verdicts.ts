// The verdicts of one reading's metrics, read together (metrics.md, "Honest under scrutiny"):
// - Holm's step-down adjustment over the p-values of the metrics that can get a verdict at all
//   (at least 5 values in each window); `improved` / `worsened` need p_adjusted < 0.05 as well as
//   a 95% interval that leaves out 0, so that eleven metrics at 95% each do not make one decision
//   in three look like a win by chance;
// - the control takes part only when the scope and the control trended in parallel before the
//   decision (the 95% interval of the weekly gap's slope holds 0); otherwise the verdict is the
//   scope's own.

import type { ControlledComparison, Verdict } from '../statistics/before-after.js';
import { holmAdjust } from '../statistics/holm.js';
import type { Trend } from '../statistics/trend.js';

export const ALPHA = 0.05;

export interface MetricEvidence {
  result: ControlledComparison;
  /** The weekly gap's trend over the before window; null without a control or enough weeks. */
  preTrend: Trend | null;
}

export interface FinalVerdict {
  pAdjusted: number | null;
  /** How many metrics the adjustment was over. */
  family: number;
  /** null without a pre-trend. */
  parallel: boolean | null;
  controlNotUsed: 'too_little_data' | 'trends_not_parallel' | null;
  verdict: Verdict;
  verdictWithoutControl: Verdict;
  /** Set when the scope's interval left out 0 but the adjusted p-value is not below ALPHA. */
  adjusted: { pValue: number; pAdjusted: number; family: number } | null;
}

export function finalVerdicts(evidence: readonly MetricEvidence[]): FinalVerdict[] {
  const pAdjusted = holmAdjust(
    evidence.map(({ result }) => (result.ci95 === null ? null : result.pValue)),
  );
  const family = pAdjusted.filter((p) => p !== null).length;
  return evidence.map(({ result, preTrend }, index) => {
    const p = pAdjusted[index];
    const parallel = preTrend === null ? null : preTrend.ci95[0] <= 0 && preTrend.ci95[1] >= 0;
    const controlNotUsed =
      result.control === null
        ? null
        : !result.controlUsed
          ? 'too_little_data'
          : parallel === false
            ? 'trends_not_parallel'
            : null;
    const clear = (verdict: Verdict): Verdict =>
      (verdict === 'improved' || verdict === 'worsened') && !(p !== null && p < ALPHA)
        ? 'no_clear_change'
        : verdict;
    const verdictWithoutControl = clear(result.verdictWithoutControl);
    const verdict = controlNotUsed === null ? clear(result.verdict) : verdictWithoutControl;
    const scopeClear =
      result.verdictWithoutControl === 'improved' || result.verdictWithoutControl === 'worsened';
    return {
      pAdjusted: p,
      family,
      parallel,
      controlNotUsed,
      verdict,
      verdictWithoutControl,
      adjusted:
        scopeClear && verdictWithoutControl === 'no_clear_change' && p !== null
          ? { pValue: result.pValue as number, pAdjusted: p, family }
          : null,
    };
  });
}
