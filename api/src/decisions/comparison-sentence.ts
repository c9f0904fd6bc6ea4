// One plain sentence per metric, built here so the web and the reports only render it. Units are
// humanized: durations in minutes, hours or days (whichever reads best for the two medians),
// weekly counts as numbers, rates as percentages with changes in percentage points.

import { METRICS } from '../metrics/metric-catalog.js';
import type { MetricName } from '../metrics/metric.types.js';
import type { ControlledComparison, WindowComparison } from '../statistics/before-after.js';
import { MIN_SAMPLES } from '../statistics/before-after.js';

type Kind = 'duration' | 'count' | 'rate' | 'gauge';

interface Presentation {
  kind: Kind;
  /** Noun phrase after "Median". */
  label: string;
  /** What one sample is, for "not enough data" (weekly metrics count weeks). */
  item: string;
}

/** How the sentence names each metric and one sample of it: the catalog's comparison facts. */
export const PRESENTATION = Object.fromEntries(
  METRICS.map((metric) => [
    metric.name,
    { kind: metric.kind, label: metric.comparison.label, item: metric.comparison.sample },
  ]),
) as Record<MetricName, Presentation>;

export function unitOf(metric: MetricName): 'seconds' | 'count' | 'ratio' {
  const kind = PRESENTATION[metric].kind;
  return kind === 'duration' ? 'seconds' : kind === 'rate' ? 'ratio' : 'count';
}

export function comparisonSentence(
  metric: MetricName,
  result: ControlledComparison,
  controlTeams: string[],
): string {
  const presentation = PRESENTATION[metric];
  if (result.verdict === 'insufficient_data') {
    return (
      `Not enough data to compare ${presentation.label}: ${result.before.n} ${presentation.item} before and ` +
      `${result.after.n} after (at least ${MIN_SAMPLES} needed in each window).`
    );
  }
  const before = result.before.median as number;
  const after = result.after.median as number;
  const format = formatterFor(presentation.kind, [before, after]);
  const control = controlClause(result, controlTeams);
  const ci = result.ci95 as [number, number];
  if (before === after && ci[0] === 0 && ci[1] === 0) {
    // Every resample gave the same median: nothing moved at all (typically weeks of zeros).
    return `Median ${presentation.label} was ${format.value(before)} in both windows, with no variation; ${control}.`;
  }
  const movement =
    format.value(before) === format.value(after)
      ? `stayed at ${before === after ? '' : 'about '}${format.value(before)}`
      : `${directionOf(result)} from ${format.bare(before)} to ${format.value(after)}`;
  const change = changeClause(presentation.kind, result, before, format);
  const noise = result.verdictWithoutControl === 'no_clear_change' ? ', within noise' : '';
  return `Median ${presentation.label} ${movement} (${change})${noise}; ${control}.`;
}

interface Formatter {
  value(value: number): string;
  /** The value without its unit word, when the next value carries it ("3.1 to 1.9 days"). */
  bare(value: number): string;
  /** A signed difference in the same unit. */
  difference(value: number): string;
}

function formatterFor(kind: Kind, medians: number[]): Formatter {
  if (kind === 'rate') {
    const percent = (value: number) => `${round(value * 100)}%`;
    return {
      value: percent,
      bare: percent,
      difference: (value) => `${signed(value * 100)} points`,
    };
  }
  if (kind !== 'duration')
    return { value: round, bare: round, difference: (value) => signed(value) };
  const largest = Math.max(...medians.map(Math.abs));
  const [size, unit] =
    largest < 90 * 60 ? [60, 'minutes'] : largest < 48 * 3600 ? [3600, 'hours'] : [86400, 'days'];
  return {
    value: (value) => `${round(value / size)} ${unit}`,
    bare: (value) => round(value / size),
    difference: (value) => `${signed(value / size)} ${unit}`,
  };
}

function changeClause(
  kind: Kind,
  result: ControlledComparison,
  before: number,
  format: Formatter,
): string {
  const ci = result.ci95 as [number, number];
  // Durations and counts cannot fall by more than 100%; a bound beyond that (the before median
  // itself varies across resamples) reads as an error, so such an interval is given in units.
  if (kind !== 'rate' && before !== 0 && ci[0] / Math.abs(before) >= -1) {
    const pct = (value: number) => `${signed((value / Math.abs(before)) * 100, 0)}%`;
    return `${pct(result.medianDiff as number)}, 95% CI ${pct(ci[0])} to ${pct(ci[1])}`;
  }
  return `${format.difference(result.medianDiff as number)}, 95% CI ${format.difference(ci[0])} to ${format.difference(ci[1])}`;
}

function controlClause(result: ControlledComparison, controlTeams: string[]): string {
  const control = result.control;
  if (control === null) return 'no control teams to compare against';
  const who =
    controlTeams.length === 1 ? `the control team (${controlTeams[0]})` : 'the control teams';
  if (!result.controlUsed) return `${who} had too little data to compare against`;
  let controlMoved = `${who} did not change`;
  if (control.verdict !== 'no_clear_change') {
    const pct =
      control.medianChangePct === null ? '' : ` ${Math.round(Math.abs(control.medianChangePct))}%`;
    const alike =
      result.verdictWithoutControl !== 'no_clear_change' &&
      directionOf(control) === directionOf(result);
    controlMoved = `${who} ${directionOf(control)}${pct}${alike ? ' too' : ''}`;
  }
  const notCredited =
    result.verdictWithoutControl !== result.verdict
      ? ', so the change is not credited to this decision'
      : '';
  return `${controlMoved}${notCredited}`;
}

function directionOf(comparison: WindowComparison): 'fell' | 'rose' {
  return (comparison.after.median as number) < (comparison.before.median as number)
    ? 'fell'
    : 'rose';
}

/** Two significant-ish figures: one decimal under 10, whole numbers above. */
function round(value: number): string {
  const rounded = Math.abs(value) < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

function signed(value: number, decimals?: number): string {
  const text = decimals === 0 ? String(Math.round(value)) : round(value);
  const clean = text === '-0' ? '0' : text;
  return clean.startsWith('-') ? clean : `+${clean}`;
}
