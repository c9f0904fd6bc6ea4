// People open pull requests and deploy in working hours: Monday to Friday, 08:00 to 18:00 UTC.
// Arrivals are drawn on a clock that only runs then, and mapped back to calendar time.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
const WORK_START = 8 * HOUR;
const WORK_DAY = 10 * HOUR;
/** A calendar week holds this much working time. */
export const WORK_WEEK = 5 * WORK_DAY;

export class WorkClock {
  /** `origin` must be a Monday 00:00 UTC. */
  constructor(private readonly origin: number) {}

  toCalendar(work: number): number {
    const week = Math.floor(work / WORK_WEEK);
    const inWeek = work - week * WORK_WEEK;
    const day = Math.floor(inWeek / WORK_DAY);
    return this.origin + week * WEEK + day * DAY + WORK_START + (inWeek - day * WORK_DAY);
  }

  /** The working time at (or next after) a calendar time. */
  toWork(calendar: number): number {
    const sinceOrigin = calendar - this.origin;
    const week = Math.floor(sinceOrigin / WEEK);
    const inWeek = sinceOrigin - week * WEEK;
    const day = Math.floor(inWeek / DAY);
    if (day >= 5) return (week + 1) * WORK_WEEK;
    const inDay = Math.min(Math.max(inWeek - day * DAY - WORK_START, 0), WORK_DAY);
    return week * WORK_WEEK + day * WORK_DAY + inDay;
  }
}

const datePrefixes = new Map<number, string>();
const two = (value: number) => (value < 10 ? `0${value}` : String(value));

/** ISO 8601 in UTC to the second, as GitHub and MLflow report times. Date.toISOString was the
 * generator's hottest spot; the date part is kept per day. */
export function iso(at: number): string {
  const seconds = Math.floor(at / 1000);
  const day = Math.floor(seconds / 86_400);
  let date = datePrefixes.get(day);
  if (date === undefined) {
    if (datePrefixes.size > 100_000) datePrefixes.clear();
    date = new Date(day * DAY).toISOString().slice(0, 11);
    datePrefixes.set(day, date);
  }
  const inDay = seconds - day * 86_400;
  const hours = Math.floor(inDay / 3600);
  const minutes = Math.floor((inDay - hours * 3600) / 60);
  return `${date}${two(hours)}:${two(minutes)}:${two(inDay - hours * 3600 - minutes * 60)}Z`;
}
