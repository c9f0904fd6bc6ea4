// Date ranges of the filter bar: presets end at the start of the current ISO week (UTC), so they
// cover complete weeks only, as the API's default does.

export const PRESETS = { '4w': 4, '12w': 12, '26w': 26, '1y': 52 } as const;
export type Preset = keyof typeof PRESETS;
export const isPreset = (value: string | undefined): value is Preset =>
  value !== undefined && value in PRESETS;

const DAY_MS = 86_400_000;

export const toDateString = (date: Date): string => date.toISOString().slice(0, 10);
const parseDate = (text: string): Date => new Date(`${text}T00:00:00Z`);
const isDate = (text: string | undefined): text is string =>
  !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(parseDate(text).getTime());

export function startOfIsoWeek(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

export interface ResolvedRange {
  /** API bounds, [from, to). */
  from: string;
  to: string;
  /** The equally long range just before, for "change vs previous period". */
  previousFrom: string;
  previousTo: string;
  /** The last day shown, inclusive (custom ranges are picked inclusively). */
  lastDay: string;
  preset: Preset | 'custom';
}

export function resolveRange(
  range: { preset?: string; from?: string; to?: string },
  now: Date = new Date(),
): ResolvedRange {
  let from: Date;
  let to: Date;
  let preset: Preset | 'custom';
  if (
    range.preset === 'custom' &&
    isDate(range.from) &&
    isDate(range.to) &&
    range.from <= range.to
  ) {
    from = parseDate(range.from);
    to = new Date(parseDate(range.to).getTime() + DAY_MS);
    preset = 'custom';
  } else {
    preset = isPreset(range.preset) ? range.preset : '12w';
    to = startOfIsoWeek(now);
    from = new Date(to.getTime() - PRESETS[preset] * 7 * DAY_MS);
  }
  const span = to.getTime() - from.getTime();
  return {
    from: toDateString(from),
    to: toDateString(to),
    previousFrom: toDateString(new Date(from.getTime() - span)),
    previousTo: toDateString(from),
    lastDay: toDateString(new Date(to.getTime() - DAY_MS)),
    preset,
  };
}
