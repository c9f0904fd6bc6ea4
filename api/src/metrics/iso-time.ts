import { preciseIso } from '../database/precise-time.js';

/** A time as api.md writes it: ISO 8601 in UTC, without zero milliseconds, with stored microseconds. */
export const isoTime = (date: Date) => preciseIso(date).replace(/\.000Z$/, 'Z');
