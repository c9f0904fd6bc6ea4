import { METRIC } from '../../metrics/metric-catalog.js';
import type { ReportModel } from '../report.model.js';
import {
  formatChange,
  formatDuration,
  formatPeriod,
  formatValue,
  reworkClause,
  sparkline,
  readingState,
  verdictGroups,
} from '../report-format.js';
import { escapeSlack as s } from './escape.js';

// Slack Block Kit for an incoming webhook. Slack caps a section's text at 3000 characters and its
// fields at 10, and a message at 50 blocks.

const SECTION_LIMIT = 3000;
const FIELDS_LIMIT = 10;

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const mrkdwn = (text: string): TextObject => ({
  type: 'mrkdwn',
  text: text.slice(0, SECTION_LIMIT),
});

function listSection(title: string, items: string[], empty: string): SlackBlock {
  const body = items.length ? items.map((item) => `• ${item}`).join('\n') : `_${empty}_`;
  return { type: 'section', text: mrkdwn(`*${title}*\n${body}`) };
}

export function renderSlack(report: ReportModel): SlackMessage {
  const tz = report.timezone;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: report.title.slice(0, 150) } },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `${s(formatPeriod(report.period_start, report.period_end, tz))} · DORA bands: ${report.benchmark}`,
        ),
      ],
    },
  ];
  const fields = report.headline.map((m) => {
    const change = formatChange(m.change_vs_previous_pct, m.better).text;
    const band = m.band ? ` · _${m.band.level}_` : '';
    return mrkdwn(
      `*${s(m.label)}*\n${formatValue(m.kind, m.value)} (${change} vs last week)${band}\n\`${sparkline(m.trend.map((p) => p.value))}\``,
    );
  });
  for (let i = 0; i < fields.length; i += FIELDS_LIMIT) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + FIELDS_LIMIT) });
  }
  blocks.push({ type: 'divider' });
  blocks.push(
    listSection(
      'Models promoted',
      report.models_promoted.map(
        (m) =>
          `${s(m.model)} v${s(m.version)}${m.lead_time_seconds === null ? '' : `, ${formatDuration(m.lead_time_seconds)} from registration`}`,
      ),
      'No model was promoted this week.',
    ),
  );
  blocks.push(
    listSection(
      'Slowest merged pull requests',
      report.slowest_pull_requests.map(
        (pr) =>
          `${s(pr.repo)}#${pr.number} ${s(pr.title ?? '')}${pr.cycle_seconds === null ? '' : ` (${formatDuration(pr.cycle_seconds)})`}`,
      ),
      'No pull request was merged this week.',
    ),
  );
  const { deployments, incidents } = report;
  blocks.push({
    type: 'section',
    text: mrkdwn(
      `*Deployments, failures and incidents*\n${formatValue('count', deployments.total)} successful deployments, ${formatValue('count', deployments.failures)} change failures (${formatValue('rate', deployments.change_failure_rate)})${reworkClause(deployments, METRIC.deployment_rework_rate.label)}; ${formatValue('count', incidents.resolved)} incidents resolved${incidents.median_restore_seconds === null ? '' : `, median ${METRIC.time_to_restore.label.toLowerCase()} ${formatDuration(incidents.median_restore_seconds)}`}`,
    ),
  });
  const readings = report.decision_readings;
  if (readings) {
    blocks.push(
      listSection(
        'Decisions',
        [
          ...readings.in_progress.map(
            (r) => `*${s(r.title)}* (${readingState(r)}): ${s(r.headline)}`,
          ),
          ...readings.completed.map(
            (r) => `*${s(r.title)}* (full reading completed): ${s(r.headline)}`,
          ),
        ],
        'No decision is being read this week.',
      ),
    );
  }
  if (report.decisions !== null) {
    blocks.push(
      listSection(
        'Decisions in effect',
        report.decisions.map(
          (d) =>
            `*${s(d.title)}*: ${
              verdictGroups(report, d)
                .map((group) => `${group.verdict}: ${s(group.text)}`)
                .join('; ') || 'not enough data for a verdict yet'
            }`,
        ),
        'No decision is in effect.',
      ),
    );
  }
  return { text: report.title, blocks: blocks.slice(0, 50) };
}
