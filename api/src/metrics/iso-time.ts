/** A time as api.md writes it: ISO 8601 in UTC, without zero milliseconds. */
export const isoTime = (date: Date) => date.toISOString().replace(/\.000Z$/, 'Z');
