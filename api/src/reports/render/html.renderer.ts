import { METRIC, METRICS } from '../../metrics/metric-catalog.js';
import type { HeadlineMetric, ReportModel } from '../report.model.js';
import {
  type ChangeTone,
  describeFailedDeployment,
  formatBand,
  formatChange,
  formatDay,
  formatDuration,
  formatPeriod,
  formatTime,
  formatValue,
  readingState,
  reworkClause,
  verdictGroups,
} from '../report-format.js';
import { CHART_HEIGHT, CHART_WIDTH, renderTrendChart, svgDataUri } from './chart.renderer.js';
import { escapeXml as h } from './escape.js';

// HTML that email clients render: tables for layout, every style inline (clients drop <style>),
// charts as image data URIs, no scripts.

/** The metrics drawn as charts, in the catalog's order, when the report has them. */
export const CHARTED_METRICS: readonly string[] = METRICS.filter(
  (metric) => metric.report_chart,
).map((metric) => metric.name);

const FONT = 'font-family:Helvetica,Arial,sans-serif;';
const CELL = `${FONT}font-size:13px;padding:6px 8px;border-bottom:1px solid #e5e5e5;text-align:left;`;
const HEAD = `${CELL}font-weight:bold;background:#f3f5f7;color:#333;`;
const TONE: Record<ChangeTone, string> = {
  good: 'color:#1a7f37;',
  bad: 'color:#c62828;',
  neutral: 'color:#666;',
};
const BAND: Record<string, string> = {
  elite: 'background:#1a7f37;color:#fff;',
  high: 'background:#2e7d32;color:#fff;',
  medium: 'background:#f9a825;color:#222;',
  low: 'background:#c62828;color:#fff;',
};

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((text) => `<th style="${HEAD}">${text}</th>`).join('');
  const body = rows
    .map((cells) => `<tr>${cells.map((cell) => `<td style="${CELL}">${cell}</td>`).join('')}</tr>`)
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;margin:0 0 16px 0;"><tr>${head}</tr>${body}</table>`;
}

function section(title: string, content: string): string {
  return `<h2 style="${FONT}font-size:16px;color:#1f4e79;margin:24px 0 8px 0;">${h(title)}</h2>${content}`;
}

function note(text: string): string {
  return `<p style="${FONT}font-size:13px;color:#666;margin:0 0 12px 0;">${h(text)}</p>`;
}

export interface HtmlOptions {
  /** The src of a metric's chart; by default an SVG data URI (email uses attached PNGs). */
  chartSrc?: (metric: HeadlineMetric) => string;
}

/** The headline metrics that the report draws, in order. */
export function chartedMetrics(report: ReportModel): HeadlineMetric[] {
  return CHARTED_METRICS.map((name) => report.headline.find((m) => m.metric === name)).filter(
    (m) => m !== undefined,
  );
}

const svgSrc = (metric: HeadlineMetric) => svgDataUri(renderTrendChart(metric));

export function renderHtml(report: ReportModel, options: HtmlOptions = {}): string {
  const chartSrc = options.chartSrc ?? svgSrc;
  const tz = report.timezone;
  const change = (pct: number | null, better: 'lower' | 'higher') => {
    const c = formatChange(pct, better);
    return `<span style="${TONE[c.tone]}">${h(c.text)}</span>`;
  };
  const headline = table(
    ['Metric', 'This week', 'vs previous week', 'vs 12-week median', 'DORA band'],
    report.headline.map((m) => [
      h(m.label),
      `<strong>${h(formatValue(m.kind, m.value))}</strong>${m.kind === 'duration' && m.value !== null && m.sample !== null ? ` <span style="color:#888;">(n=${m.sample})</span>` : ''}`,
      change(m.change_vs_previous_pct, m.better),
      change(m.change_vs_median_pct, m.better),
      m.band
        ? `<span style="${BAND[m.band.level] ?? ''}padding:2px 6px;border-radius:3px;">${h(formatBand(m))}</span>`
        : '',
    ]),
  );

  const chartCells = chartedMetrics(report).map(
    (m) =>
      `<td style="padding:4px 8px 8px 0;vertical-align:top;"><div style="${FONT}font-size:12px;color:#222;margin:0 0 2px 0;">${h(m.label)}: <strong>${h(formatValue(m.kind, m.value))}</strong> <span style="color:#888;font-size:10px;">last 13 weeks</span></div><img src="${h(chartSrc(m))}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" alt="${h(`${m.label} over the last 13 weeks`)}" style="display:block;border:0;"></td>`,
  );
  const chartRows: string[] = [];
  for (let i = 0; i < chartCells.length; i += 2)
    chartRows.push(`<tr>${chartCells.slice(i, i + 2).join('')}</tr>`);
  const charts = chartRows.length
    ? `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 8px 0;">${chartRows.join('')}</table>`
    : '';

  const models = report.models_promoted.length
    ? table(
        ['Model', 'Version', 'Promoted', 'Lead time (registered → production)'],
        report.models_promoted.map((m) => [
          `${h(m.model)} <span style="color:#888;">(${h(m.registry)})</span>`,
          h(m.version),
          h(formatTime(m.promoted_at, tz)),
          m.lead_time_seconds === null ? '–' : h(formatDuration(m.lead_time_seconds)),
        ]),
      )
    : note('No model was promoted this week.');

  const prs = report.slowest_pull_requests.length
    ? table(
        ['Pull request', 'Title', 'Author', 'Cycle time'],
        report.slowest_pull_requests.map((pr) => [
          `${h(pr.repo)}#${pr.number}`,
          h(pr.title ?? ''),
          h(pr.author ?? ''),
          pr.cycle_seconds === null ? '–' : h(formatDuration(pr.cycle_seconds)),
        ]),
      )
    : note('No pull request was merged this week.');

  const { deployments, incidents } = report;
  const failedRows = deployments.failed.map(
    (d) => `<li>${h(describeFailedDeployment(d, tz))}</li>`,
  );
  const delivery = `<ul style="${FONT}font-size:13px;margin:0 0 12px 0;padding-left:20px;">
<li>Successful production deployments: <strong>${h(formatValue('count', deployments.total))}</strong>, change failures: <strong>${h(formatValue('count', deployments.failures))}</strong> (${h(METRIC.change_failure_rate.label.toLowerCase())} ${h(formatValue('rate', deployments.change_failure_rate))})${h(reworkClause(deployments, METRIC.deployment_rework_rate.label))}${failedRows.length ? `<ul>${failedRows.join('')}</ul>` : ''}</li>
<li>Incidents resolved: <strong>${h(formatValue('count', incidents.resolved))}</strong>, median ${h(METRIC.time_to_restore.label.toLowerCase())} ${incidents.median_restore_seconds === null ? '–' : h(formatDuration(incidents.median_restore_seconds))}</li>
</ul>`;

  const readings = report.decision_readings;
  const readingRows = readings
    ? [
        ...readings.in_progress.map((r) => [
          `<strong>${h(r.title)}</strong>`,
          h(readingState(r)),
          h(r.headline),
        ]),
        ...readings.completed.map((r) => [
          `<strong>${h(r.title)}</strong>`,
          `full reading completed: <strong>${h(r.verdict.replace(/_/g, ' '))}</strong>`,
          h(r.headline),
        ]),
      ]
    : [];
  const decisionReadings = readings
    ? section(
        'Decisions',
        readingRows.length
          ? table(['Decision', 'Reading', 'So far'], readingRows)
          : note('No decision is being read this week.'),
      )
    : '';

  const decisions =
    report.decisions === null
      ? ''
      : section(
          'Decisions in effect',
          report.decisions.length
            ? table(
                ['Decision', 'Since', 'Verdicts'],
                report.decisions.map((d) => [
                  `<strong>${h(d.title)}</strong> <span style="color:#888;">(${h(d.kind)})</span>`,
                  h(formatDay(d.effective_at, tz)),
                  d.verdicts.length
                    ? verdictGroups(report, d)
                        .map((group) => `<strong>${h(group.verdict)}</strong>: ${h(group.text)}`)
                        .join('<br>')
                    : 'not enough data for a verdict yet',
                ]),
              )
            : note('No decision is in effect.'),
        );

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${h(report.title)}</title></head>
<body style="margin:0;padding:0;background:#ffffff;">
<table role="presentation" cellpadding="0" cellspacing="0" style="width:100%;max-width:680px;margin:0 auto;padding:16px;">
<tr><td style="${FONT}color:#222;">
<h1 style="${FONT}font-size:20px;color:#1f4e79;margin:0 0 4px 0;">${h(report.title)}</h1>
<p style="${FONT}font-size:12px;color:#666;margin:0 0 16px 0;">${h(formatPeriod(report.period_start, report.period_end, tz))} · DORA bands: ${h(report.benchmark)}</p>
${section('Headline metrics', headline)}
${charts}
${section('Models promoted to production', models)}
${section('Slowest merged pull requests', prs)}
${section('Deployments, failures and incidents', delivery)}
${decisionReadings}
${decisions}
<p style="${FONT}font-size:11px;color:#999;margin:24px 0 0 0;">Generated by Lastmile at ${h(report.generated_at)}.</p>
</td></tr></table>
</body></html>
`;
}
