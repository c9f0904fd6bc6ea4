// The windows of a reading and where it stands (metrics.md, "Before and after a decision").

import type { ReadingStatus } from './comparison.types.js';

export const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface Window {
  from: Date;
  to: Date;
}

export interface ReadingWindows {
  before: Window;
  /** Empty (from = to) while ramping up; [effective_at + R, now) while in progress. */
  after: Window;
  status: ReadingStatus;
  weeksObserved: number;
  completeAt: Date;
}

/**
 * before = [effective_at - W, effective_at), always whole; after = [effective_at + R,
 * effective_at + R + W), cut at now until it has ended.
 */
export function readingWindows(
  effectiveAt: string,
  windowWeeks: number,
  rampWeeks: number,
  now: Date,
): ReadingWindows {
  const effective = new Date(effectiveAt).getTime();
  const afterFrom = effective + rampWeeks * WEEK_MS;
  const completeAt = afterFrom + windowWeeks * WEEK_MS;
  const before = { from: new Date(effective - windowWeeks * WEEK_MS), to: new Date(effective) };
  const at = now.getTime();
  if (at < afterFrom) {
    return {
      before,
      after: { from: new Date(afterFrom), to: new Date(afterFrom) },
      status: 'ramping_up',
      weeksObserved: 0,
      completeAt: new Date(completeAt),
    };
  }
  if (at < completeAt) {
    return {
      before,
      after: { from: new Date(afterFrom), to: new Date(at) },
      status: 'in_progress',
      weeksObserved: Math.floor((at - afterFrom) / WEEK_MS),
      completeAt: new Date(completeAt),
    };
  }
  return {
    before,
    after: { from: new Date(afterFrom), to: new Date(completeAt) },
    status: 'complete',
    weeksObserved: windowWeeks,
    completeAt: new Date(completeAt),
  };
}
