import pg from 'pg';

/**
 * A timestamptz as read from PostgreSQL, which keeps microseconds where a Date keeps milliseconds.
 * It is a Date for every computation; written out (toJSON, and preciseIso for api.md's format) it
 * carries the microseconds that were stored, so a time sent with them comes back with them.
 */
export class PreciseDate extends Date {
  constructor(
    ms: number,
    /** Microseconds within the millisecond, 0-999. */
    readonly microseconds: number,
  ) {
    super(ms);
  }

  override toJSON(): string {
    return preciseIso(this);
  }
}

/** ISO 8601 in UTC with six fractional digits when the time has microseconds, else three. */
export function preciseIso(date: Date): string {
  const iso = date.toISOString();
  if (!(date instanceof PreciseDate) || date.microseconds === 0) return iso;
  return `${iso.slice(0, -1)}${String(date.microseconds).padStart(3, '0')}Z`;
}

const TIMESTAMPTZ_OID = 1184;
const defaultParser = pg.types.getTypeParser(TIMESTAMPTZ_OID);

/** Reads timestamptz values with their microseconds (once per process; pg's parsers are global). */
export function readTimesWithMicroseconds(): void {
  pg.types.setTypeParser(TIMESTAMPTZ_OID, (text: string) => {
    const parsed = defaultParser(text) as unknown;
    if (!(parsed instanceof Date)) return parsed; // infinity
    const fraction = /\.(\d{4,6})/.exec(text)?.[1];
    const micro = fraction ? Number(fraction.padEnd(6, '0').slice(3)) : 0;
    return micro === 0 ? parsed : new PreciseDate(parsed.getTime(), micro);
  });
}
