// ISO weeks (Monday 00:00 to the next Monday 00:00) in an IANA time zone, without a date library:
// a report's week is the one its readers live in, not UTC's.

export interface IsoWeek {
  year: number;
  week: number;
}

const DAY_MS = 86_400_000;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** Weeks in an ISO year: 53 when 28 December falls in week 53, else 52. */
export function weeksInIsoYear(year: number): number {
  return isoWeekOfUtcDay(Date.UTC(year, 11, 28)).week;
}

export function parseIsoWeek(text: string): IsoWeek | undefined {
  const match = WEEK_PATTERN.exec(text);
  if (!match) return undefined;
  const week = { year: Number(match[1]), week: Number(match[2]) };
  if (week.week < 1 || week.week > weeksInIsoYear(week.year)) return undefined;
  return week;
}

export function formatIsoWeek(week: IsoWeek): string {
  return `${week.year}-W${String(week.week).padStart(2, '0')}`;
}

/** The ISO week of a calendar day given as a UTC midnight in milliseconds. */
function isoWeekOfUtcDay(dayMs: number): IsoWeek {
  const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  // The Thursday of the same week decides the year.
  const thursday = new Date(dayMs + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

/** Monday of the week, as a UTC midnight in milliseconds (a calendar day, not an instant). */
function mondayOf(week: IsoWeek): number {
  const jan4 = Date.UTC(week.year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4Weekday * DAY_MS + (week.week - 1) * 7 * DAY_MS;
}

export function addWeeks(week: IsoWeek, count: number): IsoWeek {
  return isoWeekOfUtcDay(mondayOf(week) + count * 7 * DAY_MS);
}

/** Whole weeks from a to b (negative when b is earlier). */
export function weeksBetween(a: IsoWeek, b: IsoWeek): number {
  return Math.round((mondayOf(b) - mondayOf(a)) / (7 * DAY_MS));
}

/** Offset of the zone from UTC at an instant, in milliseconds (local minus UTC). */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight of a calendar day (UTC midnight in ms) in the zone. */
function zonedMidnight(dayMs: number, timeZone: string): Date {
  let instant = dayMs - zoneOffset(dayMs, timeZone);
  // Once more: the offset at the first guess may differ across a daylight-saving change.
  instant = dayMs - zoneOffset(instant, timeZone);
  return new Date(instant);
}

/** [start, end) of the week in the zone, as instants. */
export function weekBounds(week: IsoWeek, timeZone: string): { start: Date; end: Date } {
  const monday = mondayOf(week);
  return {
    start: zonedMidnight(monday, timeZone),
    end: zonedMidnight(monday + 7 * DAY_MS, timeZone),
  };
}

/** The ISO week that contains an instant, as seen in the zone. */
export function weekOf(instant: Date, timeZone: string): IsoWeek {
  const local = instant.getTime() + zoneOffset(instant.getTime(), timeZone);
  const day = Math.floor(local / DAY_MS) * DAY_MS;
  return isoWeekOfUtcDay(day);
}

/** The last week that has ended at an instant, in the zone. */
export function lastCompleteWeek(now: Date, timeZone: string): IsoWeek {
  return addWeeks(weekOf(now, timeZone), -1);
}
