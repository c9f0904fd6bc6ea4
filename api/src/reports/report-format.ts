import type {
  DecisionInEffect,
  DecisionReading,
  DeploymentRow,
  HeadlineMetric,
  MetricKind,
  ReportModel,
} from './report.model.js';

// Text for values and changes, shared by every renderer so Markdown, HTML and Slack agree.

export function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 60) return `${Math.round(seconds)} s`;
  if (abs < 3600) return `${Math.round(seconds / 60)} min`;
  if (abs < 2 * 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function formatValue(kind: MetricKind, value: number | null): string {
  if (value === null || value === undefined) return '–';
  switch (kind) {
    case 'duration':
      return formatDuration(value);
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'count':
    case 'level':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
}

export type ChangeTone = 'good' | 'bad' | 'neutral';

export interface ChangeText {
  text: string;
  tone: ChangeTone;
}

/** "▲ 12%" with whether that is good news for a metric where lower or higher is better. */
export function formatChange(pct: number | null, better: HeadlineMetric['better']): ChangeText {
  if (pct === null || !Number.isFinite(pct)) return { text: '–', tone: 'neutral' };
  const rounded = Math.round(pct);
  if (rounded === 0) return { text: '± 0%', tone: 'neutral' };
  const up = rounded > 0;
  const good = better === 'higher' ? up : !up;
  return { text: `${up ? '▲' : '▼'} ${Math.abs(rounded)}%`, tone: good ? 'good' : 'bad' };
}

export function formatBand(metric: HeadlineMetric): string {
  return metric.band ? metric.band.level : '';
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function formatDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));
}

/** The period line: "23 Feb 2026 – 1 Mar 2026 (Europe/Berlin)"; the end is exclusive, so its eve. */
export function formatPeriod(start: string, end: string, timeZone: string): string {
  const lastDay = new Date(new Date(end).getTime() - 1).toISOString();
  return `${formatDay(start, timeZone)} – ${formatDay(lastDay, timeZone)} (${timeZone})`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line text chart for channels without images (Markdown, Slack). */
export function sparkline(values: (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  // From zero where the values allow: 5 models against 6 is a small step, not the full height.
  const min = Math.min(0, ...known);
  const max = Math.max(...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      const index = max === min ? 0 : Math.round(((v - min) / (max - min)) * (SPARKS.length - 1));
      return SPARKS[index];
    })
    .join('');
}

export interface VerdictGroup {
  verdict: string;
  text: string;
}

const VERDICT_ORDER = ['improved', 'worsened', 'no_clear_change'];

/**
 * A decision's verdicts in a few words: the metrics that improved or worsened by name, with the
 * change of their median, and how many showed no clear change.
 */
export function verdictGroups(report: ReportModel, decision: DecisionInEffect): VerdictGroup[] {
  const labelOf = (metric: string) =>
    report.headline.find((m) => m.metric === metric)?.label ?? metric;
  const verdicts = [...new Set([...VERDICT_ORDER, ...decision.verdicts.map((v) => v.verdict)])];
  return verdicts.flatMap((verdict) => {
    const matching = decision.verdicts.filter((v) => v.verdict === verdict);
    if (matching.length === 0) return [];
    const name = verdict.replace(/_/g, ' ');
    if (verdict === 'no_clear_change') {
      return [
        { verdict: name, text: `${matching.length} metric${matching.length === 1 ? '' : 's'}` },
      ];
    }
    const items = matching.map((v) => {
      const pct = v.median_change_pct;
      return `${labelOf(v.metric)}${pct === null ? '' : ` ${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`}`;
    });
    return [{ verdict: name, text: items.join(', ') }];
  });
}

/** "acme/serving → production: change failure (1 incident), Tue 17 Nov, 12:55" (not escaped). */
export function describeFailedDeployment(deployment: DeploymentRow, timeZone: string): string {
  const what = deployment.change_failure ? 'change failure' : deployment.status;
  const incidents =
    deployment.incidents > 0
      ? ` (${deployment.incidents} incident${deployment.incidents === 1 ? '' : 's'})`
      : '';
  const when = deployment.finished_at ? `, ${formatTime(deployment.finished_at, timeZone)}` : '';
  return `${deployment.target} → ${deployment.environment}: ${what}${incidents}${when}`;
}

/** ", rework N (deployment rework rate R)" when the report has the figures. */
export function reworkClause(
  deployments: { rework?: number | null; deployment_rework_rate?: number | null },
  label: string,
): string {
  if (deployments.rework === undefined || deployments.rework === null) return '';
  return `, rework: ${formatValue('count', deployments.rework)} (${label.toLowerCase()} ${formatValue('rate', deployments.deployment_rework_rate ?? null)})`;
}

/** "in progress, 9 of 12 weeks observed", "ramping up" or "complete", for a decision's reading. */
export function readingState(reading: DecisionReading): string {
  if (reading.status === 'ramping_up') return 'ramping up';
  if (reading.status === 'complete') return 'complete';
  return `in progress, ${reading.weeks_observed} of ${reading.window_weeks} weeks observed`;
}
