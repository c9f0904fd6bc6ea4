import { dateOrTimeProblem, INT4_MAX } from '../common/input-schemas.js';
import { type ErrorDetail, ValidationFailedError } from '../common/errors.js';
import {
  type BenchmarkName,
  type Granularity,
  METRIC_NAMES,
  type MetricName,
  type MetricQuery,
} from './metric.types.js';

// Turns HTTP query strings into MetricQuery, listing every problem at once (api.md: 400 naming
// each field). Pure: the default time zone and "now" come from the caller.

export const METRIC_PARAMS = [
  'from',
  'to',
  'granularity',
  'tz',
  'team',
  'repo',
  'model',
  'environment',
  'benchmark',
] as const;
export const DRILL_DOWN_PARAMS = [...METRIC_PARAMS, 'limit', 'offset', 'format', 'by'] as const;

const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];
const BENCHMARK_NAMES: readonly BenchmarkName[] = ['dora-2023', 'dora-2021'];
const DAY_MS = 86_400_000;
const MAX_PERIODS = 3660;
const PERIOD_DAYS: Record<Granularity, number> = { day: 1, week: 7, month: 28 };

export interface DrillDownQuery extends MetricQuery {
  limit: number;
  offset: number;
  format: 'json' | 'csv' | undefined;
  /** The time that puts a row in the range (the list's default when absent). */
  by?: string;
}

export function parseMetricName(metric: string, errors: ErrorDetail[]): MetricName {
  if (!(METRIC_NAMES as readonly string[]).includes(metric)) {
    errors.push({
      path: 'metric',
      message: `"${metric}" is not a metric (known: ${METRIC_NAMES.join(', ')})`,
    });
  }
  return metric as MetricName;
}

export function parseMetricRequest(
  metric: string,
  raw: Record<string, unknown>,
  defaults: { tz: string; now: Date },
): { metric: MetricName; query: MetricQuery } {
  const errors: ErrorDetail[] = [];
  const name = parseMetricName(metric, errors);
  const query = parseQuery(raw, METRIC_PARAMS, defaults, errors);
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return { metric: name, query };
}

/** The metrics' query parameters alone, for lists that take the same scope and range. */
export function parseMetricQuery(
  raw: Record<string, unknown>,
  defaults: { tz: string; now: Date },
): MetricQuery {
  const errors: ErrorDetail[] = [];
  const query = parseQuery(raw, METRIC_PARAMS, defaults, errors);
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return query;
}

export function parseDrillDownRequest(
  raw: Record<string, unknown>,
  defaults: { tz: string; now: Date },
): DrillDownQuery {
  const errors: ErrorDetail[] = [];
  const query = parseQuery(raw, DRILL_DOWN_PARAMS, defaults, errors);
  const limit = integerParam(raw, 'limit', 100, 1, 10_000, errors);
  const offset = integerParam(raw, 'offset', 0, 0, INT4_MAX, errors);
  const format = stringParam(raw, 'format', errors);
  if (format !== undefined && format !== 'json' && format !== 'csv') {
    errors.push({ path: 'format', message: 'must be "json" or "csv"' });
  }
  const by = stringParam(raw, 'by', errors);
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return { ...query, limit, offset, format: format as DrillDownQuery['format'], by };
}

function parseQuery(
  raw: Record<string, unknown>,
  known: readonly string[],
  defaults: { tz: string; now: Date },
  errors: ErrorDetail[],
): MetricQuery {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key))
      errors.push({ path: key, message: `is not a known parameter (known: ${known.join(', ')})` });
  }
  const tz = stringParam(raw, 'tz', errors) ?? defaults.tz;
  const validTz = isTimeZone(tz);
  if (!validTz)
    errors.push({ path: 'tz', message: `"${tz}" is not an IANA time zone (e.g. "Europe/Berlin")` });
  const zone = validTz ? tz : 'UTC';

  const granularity = (stringParam(raw, 'granularity', errors) ?? 'week') as Granularity;
  if (!GRANULARITIES.includes(granularity))
    errors.push({ path: 'granularity', message: 'must be "day", "week" or "month"' });
  const benchmark = (stringParam(raw, 'benchmark', errors) ?? 'dora-2023') as BenchmarkName;
  if (!BENCHMARK_NAMES.includes(benchmark))
    errors.push({ path: 'benchmark', message: 'must be "dora-2023" or "dora-2021"' });

  // Default range: the last 12 complete ISO weeks in the time zone.
  const thisMonday = startOfIsoWeek(defaults.now, zone);
  const from =
    timeParam(raw, 'from', zone, errors) ?? zonedMidnight(addDays(thisMonday, -84), zone);
  const to = timeParam(raw, 'to', zone, errors) ?? zonedMidnight(thisMonday, zone);
  if (!errors.some((e) => e.path === 'from' || e.path === 'to') && !(from < to)) {
    errors.push({ path: 'from', message: 'must be before "to"' });
  }
  // A series is answered whole: bound its length (ten years of days).
  const periods = (to.getTime() - from.getTime()) / (PERIOD_DAYS[granularity] * DAY_MS);
  if (GRANULARITIES.includes(granularity) && periods > MAX_PERIODS) {
    errors.push({
      path: 'granularity',
      message: `gives ${Math.ceil(periods)} periods over this range, more than ${MAX_PERIODS}; choose a coarser one or a shorter range`,
    });
  }
  return {
    from,
    to,
    granularity,
    tz: zone,
    benchmark,
    team: stringParam(raw, 'team', errors),
    repo: stringParam(raw, 'repo', errors),
    model: stringParam(raw, 'model', errors),
    environment: stringParam(raw, 'environment', errors),
  };
}

function stringParam(
  raw: Record<string, unknown>,
  key: string,
  errors: ErrorDetail[],
): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    errors.push({ path: key, message: 'must be given once, not empty' });
    return undefined;
  }
  return value;
}

function integerParam(
  raw: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  errors: ErrorDetail[],
): number {
  const value = stringParam(raw, key, errors);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    errors.push({ path: key, message: `must be a whole number from ${min} to ${max}` });
    return fallback;
  }
  return number;
}

/** A date (midnight in the time zone) or an ISO 8601 time with an offset. */
function timeParam(
  raw: Record<string, unknown>,
  key: string,
  tz: string,
  errors: ErrorDetail[],
): Date | undefined {
  const value = stringParam(raw, key, errors);
  if (value === undefined) return undefined;
  const problem = dateOrTimeProblem(value);
  if (problem) {
    errors.push({ path: key, message: problem });
    return undefined;
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date)
    return zonedMidnight(
      { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) },
      tz,
    );
  return new Date(value);
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

function localParts(
  instant: Date,
  tz: string,
): CalendarDay & { hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** The UTC offset of a time zone at an instant, in milliseconds. */
function offsetAt(instant: Date, tz: string): number {
  const local = localParts(instant, tz);
  const asUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a calendar day starts in a time zone (DST-aware). */
export function zonedMidnight(day: CalendarDay, tz: string): Date {
  const guess = Date.UTC(day.year, day.month - 1, day.day);
  const first = guess - offsetAt(new Date(guess), tz);
  return new Date(guess - offsetAt(new Date(first), tz));
}

function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day) + days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The Monday of the ISO week an instant falls in, in the time zone. */
function startOfIsoWeek(instant: Date, tz: string): CalendarDay {
  const local = localParts(instant, tz);
  const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
  return addDays(local, -weekday);
}
