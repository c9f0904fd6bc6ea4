// The before/after verdict of metrics.md, as pure functions of the samples in each window.
//
// Without a control: fewer than MIN_SAMPLES values in either window is `insufficient_data`; a 95%
// bootstrap interval of median(after) - median(before) that contains 0 is `no_clear_change`;
// otherwise the side of 0 it lies on, read with the metric's better direction, is `improved` or
// `worsened`.
//
// With a control (teams the decision did not touch), a change is credited to the decision only
// when the control does not explain it: the 95% bootstrap interval of the difference in
// differences of medians, (after - before) - (control after - control before), must also exclude
// 0, on the same side as the scope's own change. Otherwise the verdict is `no_clear_change` (the
// change hit the control too). A control with fewer than MIN_SAMPLES values in a window cannot
// judge anything; the verdict is then the scope's own, and `controlUsed` says so.

import {
  bootstrapInterval,
  type BootstrapOptions,
  medianDifference,
  bootstrapIntervals,
  medianDifferencesWithControl,
} from './bootstrap.js';
import { type Summary, summarize } from './descriptive.js';
import { mannWhitneyU } from './mann-whitney.js';

export type Better = 'lower' | 'higher';
export type Verdict = 'improved' | 'worsened' | 'no_clear_change' | 'insufficient_data';

export const MIN_SAMPLES = 5;

export interface WindowComparison {
  before: Summary;
  after: Summary;
  /** median(after) - median(before). */
  medianDiff: number | null;
  /** medianDiff as a percentage of the before median; null when that median is 0. */
  medianChangePct: number | null;
  ci95: [number, number] | null;
  pValue: number | null;
  verdict: Verdict;
}

export interface ControlComparison extends WindowComparison {
  didMedian: number | null;
  didCi95: [number, number] | null;
}

export interface ControlledComparison extends WindowComparison {
  /** The verdict from the scope alone, before the control is taken into account. */
  verdictWithoutControl: Verdict;
  control: ControlComparison | null;
  /** Whether the control had enough data to take part in the verdict. */
  controlUsed: boolean;
}

export interface Samples {
  before: readonly number[];
  after: readonly number[];
}

export function compareWindows(
  samples: Samples,
  better: Better,
  options: BootstrapOptions = {},
): WindowComparison {
  const ci95 = enough(samples)
    ? bootstrapInterval([samples.before, samples.after], medianDifference, options)
    : null;
  return describe(samples, better, ci95);
}

// The scope's groups use random streams 0 and 1, the control's 2 and 3, in every code path, so
// the scope's interval (and verdict_without_control) is the same with or without a control.
const CONTROL_STREAMS = [2, 3];

export function compareWithControl(
  scope: Samples,
  control: Samples | null,
  better: Better,
  options: BootstrapOptions = {},
): ControlledComparison {
  if (control === null) {
    const own = compareWindows(scope, better, options);
    return { ...own, verdictWithoutControl: own.verdict, control: null, controlUsed: false };
  }
  if (!enough(scope) || !enough(control)) {
    const own = compareWindows(scope, better, options);
    const controlOwn = compareWindows(control, better, { ...options, streams: CONTROL_STREAMS });
    const didMedian =
      own.medianDiff !== null && controlOwn.medianDiff !== null
        ? own.medianDiff - controlOwn.medianDiff
        : null;
    return {
      ...own,
      verdictWithoutControl: own.verdict,
      control: { ...controlOwn, didMedian, didCi95: null },
      controlUsed: false,
    };
  }
  // One pass over the four groups gives all three intervals.
  const [scopeCi, controlCi, didCi95] = bootstrapIntervals(
    [scope.before, scope.after, control.before, control.after],
    medianDifferencesWithControl,
    options,
  );
  const own = describe(scope, better, scopeCi);
  const controlOwn = describe(control, better, controlCi);
  return {
    ...own,
    verdict: creditedVerdict(own.verdict, didCi95, better),
    verdictWithoutControl: own.verdict,
    control: {
      ...controlOwn,
      didMedian: (own.medianDiff as number) - (controlOwn.medianDiff as number),
      didCi95,
    },
    controlUsed: true,
  };
}

/** Summaries, change, p-value and verdict of two windows, given the interval (null: too few). */
function describe(
  samples: Samples,
  better: Better,
  ci95: [number, number] | null,
): WindowComparison {
  const before = summarize(samples.before);
  const after = summarize(samples.after);
  const medianDiff =
    before.median !== null && after.median !== null ? after.median - before.median : null;
  const medianChangePct =
    medianDiff !== null && before.median !== null && before.median !== 0
      ? (medianDiff / Math.abs(before.median)) * 100
      : null;
  const pValue =
    samples.before.length > 0 && samples.after.length > 0
      ? mannWhitneyU(samples.after, samples.before).pValue
      : null;
  const verdict = ci95 === null ? 'insufficient_data' : verdictOf(ci95, better);
  return { before, after, medianDiff, medianChangePct, ci95, pValue, verdict };
}

function enough(samples: Samples): boolean {
  return samples.before.length >= MIN_SAMPLES && samples.after.length >= MIN_SAMPLES;
}

function verdictOf(interval: [number, number], better: Better): Verdict {
  const [low, high] = interval;
  if (low <= 0 && high >= 0) return 'no_clear_change';
  const wentDown = high < 0;
  return wentDown === (better === 'lower') ? 'improved' : 'worsened';
}

/** The scope's verdict stands only if the difference in differences points the same way. */
function creditedVerdict(
  scopeVerdict: Verdict,
  didCi95: [number, number],
  better: Better,
): Verdict {
  if (scopeVerdict !== 'improved' && scopeVerdict !== 'worsened') return scopeVerdict;
  return verdictOf(didCi95, better) === scopeVerdict ? scopeVerdict : 'no_clear_change';
}
