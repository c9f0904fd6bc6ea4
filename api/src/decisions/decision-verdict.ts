// A decision's verdict over its metrics' verdicts, and the one sentence that says it
// (metrics.md, "The decision's verdict").

import { longDate } from './comparison-sentence.js';
import { PRESENTATION } from './comparison-sentence.js';
import type { MetricName } from '../metrics/metric.types.js';
import type { Verdict } from '../statistics/before-after.js';
import type {
  DecisionSummaryJson,
  DecisionVerdict,
  ReadingStatusJson,
} from './comparison.types.js';

/**
 * improved: some metric improved and none worsened; worsened: the reverse; mixed: both;
 * no_clear_change: neither, and some metric had data; insufficient_data: none had.
 */
export function decisionVerdict(verdicts: readonly Verdict[]): DecisionVerdict {
  const improved = verdicts.includes('improved');
  const worsened = verdicts.includes('worsened');
  if (improved && worsened) return 'mixed';
  if (improved) return 'improved';
  if (worsened) return 'worsened';
  return verdicts.some((verdict) => verdict === 'no_clear_change')
    ? 'no_clear_change'
    : 'insufficient_data';
}

export function decisionSummary(
  comparisons: readonly { metric: MetricName; verdict: Verdict }[],
  reading: ReadingStatusJson,
  windowWeeks: number,
): DecisionSummaryJson {
  const named = (verdict: Verdict) =>
    comparisons.filter((c) => c.verdict === verdict).map((c) => c.metric);
  const verdict =
    reading.status === 'ramping_up'
      ? 'insufficient_data'
      : decisionVerdict(comparisons.map((c) => c.verdict));
  const summary = {
    ...reading,
    verdict,
    improved: named('improved'),
    worsened: named('worsened'),
    no_clear_change: named('no_clear_change'),
    insufficient_data: named('insufficient_data'),
  };
  return { ...summary, headline: headlineOf(summary, windowWeeks) };
}

function headlineOf(summary: Omit<DecisionSummaryJson, 'headline'>, windowWeeks: number): string {
  const full = longDate(summary.complete_at);
  const when =
    summary.status === 'complete'
      ? `all ${windowWeeks} weeks observed`
      : `${summary.weeks_observed} of ${windowWeeks} weeks observed; full reading on ${full}`;
  const list = (metrics: MetricName[]) => joinAnd(metrics.map((m) => PRESENTATION[m].label));
  switch (summary.verdict) {
    case 'improved':
      return `${capital(list(summary.improved))} improved; nothing worsened (${when})`;
    case 'worsened':
      return `${capital(list(summary.worsened))} worsened; nothing improved (${when})`;
    case 'mixed':
      return `${capital(list(summary.improved))} improved; ${list(summary.worsened)} worsened (${when})`;
    case 'no_clear_change':
      return `No clear change in any metric (${when})`;
    case 'insufficient_data':
      return summary.status === 'ramping_up'
        ? `Ramping up: no after data yet (full reading on ${full})`
        : `Not enough data to read any metric (${when})`;
  }
}

function joinAnd(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
