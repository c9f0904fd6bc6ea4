import { CronTime } from 'cron';

// A source's cron schedule as a person reads it, and when it next runs. Crons here have six fields
// (seconds first, as @nestjs/schedule takes them) or five.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const clock = (hour: string, minute: string) =>
  `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;

const every = (count: number, unit: string) =>
  count === 1 ? `every ${unit}` : `every ${count} ${unit}s`;

export function describeSchedule(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] =
    fields.length === 5 ? ['0', ...fields] : fields;
  const number = /^\d+$/;
  const step = (field: string | undefined) => /^\*\/(\d+)$/.exec(field ?? '')?.[1];
  const anyDay = dayOfMonth === '*' && month === '*' && dayOfWeek === '*';
  if (second === '0' && anyDay) {
    if (step(minute) && hour === '*') return every(Number(step(minute)), 'minute');
    if (minute === '0' && hour === '*') return 'every hour, on the hour';
    if (number.test(minute ?? '') && step(hour))
      return `${every(Number(step(hour)), 'hour')}, at minute ${Number(minute)}`;
    if (number.test(minute ?? '') && number.test(hour ?? ''))
      return `daily at ${clock(hour, minute)}`;
  }
  if (
    second === '0' &&
    number.test(minute ?? '') &&
    number.test(hour ?? '') &&
    dayOfMonth === '*' &&
    month === '*'
  ) {
    if (number.test(dayOfWeek ?? '') && Number(dayOfWeek) <= 7)
      return `every ${DAYS[Number(dayOfWeek) % 7]} at ${clock(hour, minute)}`;
    if (dayOfWeek === '1-5') return `weekdays at ${clock(hour, minute)}`;
  }
  return `on the cron schedule "${cron}"`;
}

/**
 * The next time the schedule fires, in the time zone the scheduler uses; null for a stored schedule
 * that never fires (such a source is marked with its problem and not scheduled).
 */
export function nextRun(cron: string, timeZone: string): Date | null {
  try {
    return new CronTime(cron, timeZone).sendAt().toJSDate();
  } catch {
    return null;
  }
}
