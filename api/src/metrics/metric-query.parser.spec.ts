import { ValidationFailedError } from '../common/errors.js';
import { parseDrillDownRequest, parseMetricRequest, zonedMidnight } from './metric-query.parser.js';

const defaults = { tz: 'UTC', now: new Date('2026-03-19T15:00:00Z') }; // a Thursday

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.details.map((d) => d.path);
    throw error;
  }
  return [];
}

describe('parseMetricRequest', () => {
  it('defaults to the 12 complete ISO weeks before this one, weekly, dora-2023', () => {
    const { query } = parseMetricRequest('pr_throughput', {}, defaults);
    // this week starts Mon Mar 16; 12 weeks before: Mon Dec 22, 2025
    expect(query).toMatchObject({
      from: new Date('2025-12-22T00:00:00Z'),
      to: new Date('2026-03-16T00:00:00Z'),
      granularity: 'week',
      tz: 'UTC',
      benchmark: 'dora-2023',
    });
  });

  it('takes the default weeks in the time zone', () => {
    const { query } = parseMetricRequest('pr_throughput', { tz: 'Asia/Tokyo' }, defaults);
    // Tokyo is UTC+9: Monday Mar 16 00:00 JST = Mar 15 15:00 UTC
    expect(query.to).toEqual(new Date('2026-03-15T15:00:00Z'));
  });

  it.each([
    // dates are midnight in the tz, DST included
    { input: '2026-03-29', tz: 'Europe/Berlin', want: '2026-03-28T23:00:00.000Z' }, // CET, +1
    { input: '2026-03-30', tz: 'Europe/Berlin', want: '2026-03-29T22:00:00.000Z' }, // CEST, +2
    { input: '2026-11-02', tz: 'America/New_York', want: '2026-11-02T05:00:00.000Z' }, // EST after fall back
    { input: '2026-03-02T10:00:00+01:00', tz: 'UTC', want: '2026-03-02T09:00:00.000Z' },
  ])('reads from=$input in $tz as $want', ({ input, tz, want }) => {
    const { query } = parseMetricRequest(
      'pr_throughput',
      { from: input, to: '2027-01-01', tz },
      defaults,
    );
    expect(query.from.toISOString()).toBe(want);
  });

  it('lists every problem at once, each naming its field', () => {
    const paths = problems(() =>
      parseMetricRequest(
        'nope',
        { from: 'yesterday', tz: 'Nowhere/City', granularity: 'year', extra: '1' },
        defaults,
      ),
    );
    expect(paths.sort()).toEqual(['extra', 'from', 'granularity', 'metric', 'tz']);
  });

  it('bounds the number of periods a series holds', () => {
    // 2000-01-01 to 2026-01-01 is about 9,500 days: too many days, few enough weeks
    const range = { from: '2000-01-01', to: '2026-01-01' };
    expect(
      problems(() =>
        parseMetricRequest('pr_throughput', { ...range, granularity: 'day' }, defaults),
      ),
    ).toEqual(['granularity']);
    expect(
      problems(() =>
        parseMetricRequest('pr_throughput', { ...range, granularity: 'week' }, defaults),
      ),
    ).toEqual([]);
  });

  it('rejects a range that is empty or backwards', () => {
    expect(
      problems(() =>
        parseMetricRequest('pr_throughput', { from: '2026-03-02', to: '2026-03-02' }, defaults),
      ),
    ).toEqual(['from']);
  });
});

describe('parseDrillDownRequest', () => {
  it('pages with limit and offset and reads the format', () => {
    expect(
      parseDrillDownRequest({ limit: '50', offset: '100', format: 'csv' }, defaults),
    ).toMatchObject({
      limit: 50,
      offset: 100,
      format: 'csv',
    });
    expect(
      problems(() => parseDrillDownRequest({ limit: '10001', offset: '-1' }, defaults)).sort(),
    ).toEqual(['limit', 'offset']);
  });
});

describe('zonedMidnight', () => {
  it('finds the start of a day in summer time (+11) and in winter time (+10)', () => {
    expect(zonedMidnight({ year: 2026, month: 1, day: 1 }, 'Australia/Sydney').toISOString()).toBe(
      '2025-12-31T13:00:00.000Z',
    );
    expect(zonedMidnight({ year: 2026, month: 7, day: 1 }, 'Australia/Sydney').toISOString()).toBe(
      '2026-06-30T14:00:00.000Z',
    );
  });
});
