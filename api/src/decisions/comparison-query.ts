// The query of GET /api/v1/decisions/{id}/comparison (api.md), parsed with every problem listed.

import { type ErrorDetail, rejectUnknownParams, ValidationFailedError } from '../common/errors.js';
import { METRIC_NAMES, type MetricName } from '../metrics/metric.types.js';

export type ControlChoice =
  { mode: 'auto' } | { mode: 'none' } | { mode: 'teams'; teams: string[] };

export interface ComparisonQuery {
  /** null: every metric. */
  metric: MetricName | null;
  windowWeeks: number;
  rampWeeks: number;
  control: ControlChoice;
}

const KNOWN = ['metric', 'window_weeks', 'ramp_weeks', 'control'] as const;
export const MAX_WINDOW_WEEKS = 104;
export const MAX_RAMP_WEEKS = 52;

export function parseComparisonQuery(query: Record<string, unknown>): ComparisonQuery {
  rejectUnknownParams(query, KNOWN);
  const details: ErrorDetail[] = [];
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      details.push({ path: name, message: 'must be given once' });
      return undefined;
    }
    return value;
  };

  const metricText = single('metric');
  let metric: MetricName | null = null;
  if (metricText !== undefined && metricText !== '') {
    if ((METRIC_NAMES as readonly string[]).includes(metricText)) metric = metricText as MetricName;
    else
      details.push({
        path: 'metric',
        message: `"${metricText}" is not a metric (known: ${METRIC_NAMES.join(', ')})`,
      });
  }

  const weeks = (name: string, fallback: number, min: number, max: number): number => {
    const text = single(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      details.push({
        path: name,
        message: `must be a whole number of weeks from ${min} to ${max}`,
      });
      return fallback;
    }
    return value;
  };
  const windowWeeks = weeks('window_weeks', 12, 1, MAX_WINDOW_WEEKS);
  const rampWeeks = weeks('ramp_weeks', 2, 0, MAX_RAMP_WEEKS);

  const controlText = single('control') ?? 'auto';
  let control: ControlChoice = { mode: 'auto' };
  if (controlText === 'none') control = { mode: 'none' };
  else if (controlText !== 'auto') {
    const teams = controlText.split(',').map((team) => team.trim());
    if (teams.some((team) => team === '')) {
      details.push({
        path: 'control',
        message: 'must be "auto", "none" or a comma-separated list of team names',
      });
    } else control = { mode: 'teams', teams: [...new Set(teams)] };
  }

  if (details.length > 0) throw new ValidationFailedError(details);
  return { metric, windowWeeks, rampWeeks, control };
}
