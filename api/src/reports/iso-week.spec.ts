import {
  addWeeks,
  formatIsoWeek,
  lastCompleteWeek,
  parseIsoWeek,
  weekBounds,
  weekOf,
  weeksBetween,
} from './iso-week.js';

describe('ISO weeks', () => {
  it.each([
    ['2026-W09', { year: 2026, week: 9 }],
    ['2020-W53', { year: 2020, week: 53 }], // 2020 has 53 weeks (it starts on a Wednesday, leap)
    ['2026-W53', { year: 2026, week: 53 }], // 2026 starts on a Thursday: 53 weeks
    ['2025-W53', undefined], // 2025 starts on a Wednesday, not leap: 52
    ['2026-W00', undefined],
    ['2026-9', undefined],
  ])('parses %s', (text, expected) => {
    expect(parseIsoWeek(text)).toEqual(expected);
  });

  it.each([
    // 2026-W09 runs Monday 23 Feb to Monday 2 Mar.
    ['2026-W09', 'UTC', '2026-02-23T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    // Berlin is UTC+1 in winter: local midnight is 23:00 UTC the day before.
    ['2026-W09', 'Europe/Berlin', '2026-02-22T23:00:00.000Z', '2026-03-01T23:00:00.000Z'],
    // New York switches to daylight time on Sunday 8 Mar 2026: the week starts at -5 h, ends at -4 h.
    ['2026-W10', 'America/New_York', '2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    // Week 1 of 2026 starts in 2025 (29 Dec), since 1 Jan 2026 is a Thursday.
    ['2026-W01', 'UTC', '2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
  ])('bounds %s in %s', (text, zone, start, end) => {
    const bounds = weekBounds(parseIsoWeek(text)!, zone);
    expect(bounds.start.toISOString()).toBe(start);
    expect(bounds.end.toISOString()).toBe(end);
  });

  it.each([
    // Monday 2 Mar 2026 08:00 UTC is in W10; the last complete week is W09.
    ['2026-03-02T08:00:00Z', 'UTC', '2026-W09'],
    // Sunday 1 Mar 23:30 UTC is already Monday 2 Mar in Berlin, so W09 has ended there...
    ['2026-03-01T23:30:00Z', 'Europe/Berlin', '2026-W09'],
    // ...but not in UTC, where it is still Sunday of W09.
    ['2026-03-01T23:30:00Z', 'UTC', '2026-W08'],
    ['2026-01-05T00:00:00Z', 'UTC', '2026-W01'],
    ['2026-01-04T23:59:59Z', 'UTC', '2025-W52'],
  ])('the last complete week at %s in %s is %s', (now, zone, expected) => {
    expect(formatIsoWeek(lastCompleteWeek(new Date(now), zone))).toBe(expected);
  });

  it('steps across years and counts weeks between', () => {
    const w = parseIsoWeek('2026-W02')!;
    expect(formatIsoWeek(addWeeks(w, -2))).toBe('2025-W52');
    expect(formatIsoWeek(addWeeks(parseIsoWeek('2020-W52')!, 1))).toBe('2020-W53');
    expect(weeksBetween(parseIsoWeek('2025-W50')!, w)).toBe(4); // W50, W51, W52, W01 -> W02
    expect(formatIsoWeek(weekOf(new Date('2026-02-23T00:00:00Z'), 'UTC'))).toBe('2026-W09');
  });
});
