// Input checked against what PostgreSQL stores, so a value it would refuse (or silently change)
// is a 400 naming the field rather than a 500 or a different value.

import { z } from 'zod';
import { ValidationFailedError } from './errors.js';

/** integer columns (int4). */
export const INT4_MAX = 2_147_483_647;
/** bigint columns (int8). */
export const INT8_MAX = 9_223_372_036_854_775_807n;

/**
 * A B-tree index entry holds at most about 2,700 bytes (a third of a page). Strings that are
 * indexed alone or beside one or two short columns are held to this many UTF-8 bytes; ids, which
 * share a unique index with the source name, to ID_BYTES.
 */
export const INDEXED_TEXT_BYTES = 500;
export const ID_BYTES = 1000;

export const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8');

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** What is wrong with a calendar date, or undefined. */
export function dateProblem(year: number, month: number, day: number): string | undefined {
  if (year < 1 || year > 9999) return 'must have a year from 0001 to 9999';
  if (month < 1 || month > 12) return 'must have a month from 01 to 12';
  if (day < 1 || day > daysIn(year, month))
    return `must be a real date: ${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')} has ${daysIn(year, month)} days`;
  return undefined;
}

export const TIME_FORMAT_HINT =
  'must be an ISO 8601 time with an offset (e.g. 2026-03-02T14:00:00Z or 2026-03-02T14:00:00.123456+01:00)';

/**
 * What is wrong with an ISO 8601 time, or undefined. Dates must exist (no 30 February), years run
 * from 1 to 9999, offsets from -12:00 to +14:00, and fractions stop at microseconds, PostgreSQL's
 * precision: a seventh digit is refused rather than silently dropped.
 */
export function timeProblem(value: string): string | undefined {
  const match = TIME.exec(value);
  if (!match) return TIME_FORMAT_HINT;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = match;
  const date = dateProblem(Number(y), Number(mo), Number(d));
  if (date) return date;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)
    return 'must have a real time of day (hours 00-23, minutes and seconds 00-59)';
  if (fraction !== undefined && fraction.length > 6)
    return 'must have at most 6 fractional digits of a second (microseconds, what is stored)';
  if (sign !== undefined) {
    const minutes = Number(oh) * 60 + Number(om ?? 0);
    if (Number(om ?? 0) > 59 || (sign === '+' ? minutes > 14 * 60 : minutes > 12 * 60))
      return 'must have a real UTC offset, from -12:00 to +14:00';
  }
  return undefined;
}

/** For query bounds: a date (YYYY-MM-DD) or a time, either one real. */
export function dateOrTimeProblem(value: string): string | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return dateProblem(Number(date[1]), Number(date[2]), Number(date[3]));
  const problem = timeProblem(value);
  return problem === TIME_FORMAT_HINT
    ? 'must be a date (YYYY-MM-DD) or an ISO 8601 time with an offset'
    : problem;
}

const TIME_DESCRIPTION =
  'ISO 8601 time with an offset; years 0001-9999, real calendar dates, offsets -12:00 to +14:00, at most 6 fractional digits (microseconds).';

/** An ISO 8601 time as PostgreSQL's timestamptz stores it exactly. */
export const isoTime = () =>
  z
    .string({ error: TIME_FORMAT_HINT })
    .superRefine((value, context) => {
      const problem = timeProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .describe(TIME_DESCRIPTION);

/** A string within `maxBytes` UTF-8 bytes (index entries), and `maxChars` characters. */
export const boundedText = (maxChars: number, maxBytes: number) =>
  z
    .string({ error: 'must be a string' })
    .max(maxChars, `must be at most ${maxChars} characters`)
    .refine((value) => utf8Bytes(value) <= maxBytes, {
      message: `must be at most ${maxBytes} bytes in UTF-8`,
    });

/** A whole number an integer (int4) column holds. */
export const int4 = () =>
  z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .max(INT4_MAX, `must be at most ${INT4_MAX}`);

/**
 * A path id of a serial (int4) or bigserial (int8) table. Not a whole number in range: 400
 * naming the parameter. In range, it reaches SQL as a string for bigserial ids.
 */
export function parseIdParam(text: string, name: string, column: 'int4' | 'int8'): string {
  const max = column === 'int4' ? BigInt(INT4_MAX) : INT8_MAX;
  if (!/^\d{1,19}$/.test(text) || BigInt(text) < 1n || BigInt(text) > max) {
    throw new ValidationFailedError([
      { path: name, message: `must be a whole number from 1 to ${max}` },
    ]);
  }
  return String(BigInt(text));
}
