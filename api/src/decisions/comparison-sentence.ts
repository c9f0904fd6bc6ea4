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

/** What a sentence says beyond the comparison itself; every field has a neutral default. */
export interface SentenceContext {
  status?: 'ramping_up' | 'in_progress' | 'complete';
  /** The after window's start, for a reading still ramping up. */
  afterFrom?: string;
  /** The scope's interval left out 0 but Holm's adjusted p-value did not stay below 0.05. */
  adjusted?: { pValue: number; pAdjusted: number; family: number } | null;
  /** Why the control was left out of the verdict, when it was. */
  controlNotUsed?: 'too_little_data' | 'trends_not_parallel' | null;
  preTrend?: { slope: number; ci95: [number, number] } | null;
}

export function comparisonSentence(
  metric: MetricName,
  result: ControlledComparison,
  controlTeams: string[],
  context: SentenceContext = {},
): string {
  const presentation = PRESENTATION[metric];
  if (context.status === 'ramping_up') {
    const opens = context.afterFrom ? ` on ${longDate(context.afterFrom)}` : '';
    const before =
      result.before.median === null
        ? `no ${presentation.item} before`
        : `median ${presentation.label} was ${formatterFor(presentation.kind, [result.before.median]).value(result.before.median)} before`;
    return `Ramping up: the after window opens${opens}; ${before} (${result.before.n} ${presentation.item}).`;
  }
  if (result.ci95 === null) {
    return (
      `Not enough data to compare ${presentation.label}: ${result.before.n} ${presentation.item} before and ` +
      `${result.after.n} after (at least ${MIN_SAMPLES} needed in each window).`
    );
  }
  const before = result.before.median as number;
  const after = result.after.median as number;
  const format = formatterFor(presentation.kind, [before, after]);
  const control = controlClause(presentation.kind, result, controlTeams, context);
  const ci = result.ci95;
  if (before === after && ci[0] === 0 && ci[1] === 0) {
    // Every resample gave the same median: nothing moved at all (typically weeks of zeros).
    return `Median ${presentation.label} was ${format.value(before)} in both windows, with no variation; ${control}.`;
  }
  const movement = movementOf(result, format);
  const change = changeClause(presentation.kind, result, before, format);
  const excludesZero = ci[0] > 0 || ci[1] < 0;
  let noise = excludesZero ? '' : ', within noise';
  if (excludesZero && context.adjusted) {
    const { pValue, pAdjusted, family } = context.adjusted;
    noise =
      `, not clear once the ${family} metrics of this reading are read together ` +
      `(p ${pText(pValue)}, adjusted ${pText(pAdjusted)})`;
  }
  return `Median ${presentation.label} ${movement} (${change})${noise}; ${control}.`;
}

function movementOf(comparison: WindowComparison, format: Formatter): string {
  const before = comparison.before.median as number;
  const after = comparison.after.median as number;
  return format.value(before) === format.value(after)
    ? `stayed at ${before === after ? '' : 'about '}${format.value(before)}`
    : `${directionOf(comparison)} from ${format.bare(before)} to ${format.value(after)}`;
}

function pText(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function longDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
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

function controlClause(
  kind: Kind,
  result: ControlledComparison,
  controlTeams: string[],
  context: SentenceContext,
): string {
  const control = result.control;
  if (control === null) return 'no control teams to compare against';
  const many = controlTeams.length !== 1;
  const who = many ? 'the control teams' : `the control team (${controlTeams[0]})`;
  if (context.controlNotUsed === 'too_little_data' || control.ci95 === null)
    return `${who} had too little data to compare against`;
  const moved = `${who} ${controlMovement(kind, result, control)}`;
  if (context.controlNotUsed === 'trends_not_parallel') {
    const trend = context.preTrend;
    const rate = trend
      ? ` (their gap to the scope moved ${formatterFor(kind, [Math.abs(trend.slope)]).difference(trend.slope)} a week, 95% CI ${formatterFor(kind, trend.ci95.map(Math.abs)).difference(trend.ci95[0])} to ${formatterFor(kind, trend.ci95.map(Math.abs)).difference(trend.ci95[1])})`
      : '';
    return `${moved}, but ${many ? 'they are' : 'it is'} not used: before the decision the two were not moving in parallel${rate}`;
  }
  const notCredited =
    result.verdictWithoutControl !== result.verdict
      ? ', so the change is not credited to this decision'
      : '';
  return `${moved}${notCredited}`;
}

/** The control's own change and verdict, as "rose 54%, within noise" or "fell 12% too". */
function controlMovement(
  kind: Kind,
  result: ControlledComparison,
  control: WindowComparison,
): string {
  const before = control.before.median as number;
  const after = control.after.median as number;
  const format = formatterFor(kind, [before, after]);
  let movement: string;
  if (format.value(before) === format.value(after)) movement = movementOf(control, format);
  else if (kind === 'rate')
    movement = `${directionOf(control)} ${format.difference(after - before).replace(/^[+-]/, '')}`;
  else if (control.medianChangePct !== null)
    movement = `${directionOf(control)} ${Math.round(Math.abs(control.medianChangePct))}%`;
  else movement = movementOf(control, format);
  if (control.verdict === 'no_clear_change') return `${movement}, within noise`;
  const alike =
    result.verdictWithoutControl !== 'no_clear_change' &&
    result.verdictWithoutControl !== 'insufficient_data' &&
    directionOf(control) === directionOf(result);
  return `${movement}${alike ? ' too' : ''}`;
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
