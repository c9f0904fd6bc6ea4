import type { Granularity } from '../api/types';

const HOUR = 3600;
const DAY = 86_400;

function trim(value: number): string {
  return value >= 10 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
}

/** Seconds as a person reads them: "45 min", "5.2 h", "3.1 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${Math.round(s)} s`;
  if (s < HOUR) return `${sign}${Math.round(s / 60)} min`;
  if (s < 2 * DAY) return `${sign}${trim(s / HOUR)} h`;
  return `${sign}${trim(s / DAY)} d`;
}

/**
 * Several durations in the one unit the largest of them reads best in, so an interval never reads
 * "-5.9 d to -44 h": the same thresholds as formatDuration.
 */
export function formatDurations(values: readonly number[]): string[] {
  const largest = Math.max(0, ...values.map((value) => Math.abs(value)));
  const [size, unit] =
    largest < 60
      ? [1, 's']
      : largest < HOUR
        ? [60, 'min']
        : largest < 2 * DAY
          ? [HOUR, 'h']
          : [DAY, 'd'];
  return values.map((value) => {
    const scaled = Math.abs(value) / size;
    const text = size === 1 || size === 60 ? String(Math.round(scaled)) : trim(scaled);
    return `${value < 0 && text !== '0' ? '-' : ''}${text} ${unit}`;
  });
}

/** The unit a duration axis reads best in, for a set of values. */
export function durationAxisUnit(values: (number | null)[]): { divisor: number; suffix: string } {
  const max = Math.max(0, ...values.filter((value): value is number => value !== null));
  if (max >= 2 * DAY) return { divisor: DAY, suffix: 'd' };
  if (max >= HOUR) return { divisor: HOUR, suffix: 'h' };
  return { divisor: 60, suffix: 'min' };
}

export function formatCount(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(digits);
}

/** A ratio (0.125) as a percentage ("12.5%"). */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${trim(value * 100)}%`;
}

/** A difference of two ratios in percentage points (-0.042 -> "-4.2 pts"): as a percentage it
 * would read as a relative change, which a comparison's Change column already is. */
export function formatPoints(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const points = value * 100;
  return `${points > 0 ? '+' : points < 0 ? '-' : ''}${trim(Math.abs(points))} pts`;
}

export function formatPct(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const rounded = Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDate = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${timeFormat.format(new Date(iso))} UTC` : '—';
}

const compactFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** For table cells: "Nov 20 22:39" (UTC), the year only when it is not this year's. */
export function formatCompactTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  const text = compactFormat.format(date).replace(',', '');
  return date.getUTCFullYear() === now.getUTCFullYear() ? text : `${text} ${date.getUTCFullYear()}`;
}

export function formatPeriod(iso: string, granularity: Granularity): string {
  const date = new Date(iso);
  return granularity === 'month' ? monthFormat.format(date) : shortDate.format(date);
}
