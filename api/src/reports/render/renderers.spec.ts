import type { HeadlineMetric, ReportModel } from '../report.model.js';
import { formatChange, formatValue, sparkline } from '../report-format.js';
import { renderTrendChart, svgDataUri } from './chart.renderer.js';
import { renderHtml } from './html.renderer.js';
import { renderMarkdown } from './markdown.renderer.js';
import { renderSlack } from './slack.renderer.js';

const weeks = Array.from({ length: 13 }, (_, i) =>
  new Date(Date.UTC(2025, 11, 1) + i * 7 * 86_400_000).toISOString(),
);

function metric(overrides: Partial<HeadlineMetric>): HeadlineMetric {
  return {
    metric: 'lead_time_for_changes',
    label: 'Lead time for changes',
    kind: 'duration',
    better: 'lower',
    value: 16_200,
    sample: 8,
    previous: 21_600,
    median_12w: 32_400,
    change_vs_previous_pct: -25,
    change_vs_median_pct: -50,
    band: { benchmark: 'dora-2023', level: 'elite' },
    trend: weeks.map((period_start, i) => ({
      period_start,
      value: i === 3 ? null : 3600 * (i + 1),
    })),
    ...overrides,
  };
}

const report: ReportModel = {
  schema: 'lastmile.report/v1',
  week: '2026-W09',
  scope: { team: 'platform' },
  title: 'Lastmile weekly report 2026-W09: team platform',
  timezone: 'Europe/Berlin',
  period_start: '2026-02-22T23:00:00.000Z',
  period_end: '2026-03-01T23:00:00.000Z',
  generated_at: '2026-03-02T07:00:00.000Z',
  benchmark: 'dora-2023',
  headline: [
    metric({}),
    metric({
      metric: 'deployment_frequency',
      label: 'Production deployments',
      kind: 'count',
      better: 'higher',
      value: 7,
      sample: null,
      change_vs_previous_pct: 40,
      change_vs_median_pct: null,
      band: null,
    }),
    metric({
      metric: 'change_failure_rate',
      label: 'Change failure rate',
      kind: 'rate',
      value: 0.125,
      band: null,
    }),
  ],
  models_promoted: [
    {
      registry: 'mlflow-prod',
      model: 'churn<script>',
      version: '7',
      environment: 'production',
      promoted_at: '2026-02-25T09:00:00.000Z',
      lead_time_seconds: 2 * 86_400 + 43_200,
    },
  ],
  slowest_pull_requests: [
    {
      repo: 'acme/serving',
      number: 42,
      title: 'Fix | pipes & <tags>',
      author: 'alice',
      merged_at: '2026-02-24T10:00:00.000Z',
      cycle_seconds: 5400,
    },
  ],
  deployments: {
    total: 7,
    failures: 1,
    change_failure_rate: 0.125,
    failed: [
      {
        id: 'dep-9',
        target: 'acme/serving',
        environment: 'production',
        status: 'success',
        finished_at: '2026-02-26T10:00:00.000Z',
        change_failure: true,
        incidents: 1,
      },
    ],
  },
  incidents: { resolved: 1, median_restore_seconds: 7200 },
  decisions: [
    {
      id: '3',
      title: 'Managed feature store',
      kind: 'buy',
      effective_at: '2026-01-05T00:00:00.000Z',
      verdicts: [
        { metric: 'lead_time_for_changes', verdict: 'improved', median_change_pct: -31.5 },
      ],
    },
  ],
};

describe('report text', () => {
  it.each([
    ['duration', 16_200, '4.5 h'], // 16,200 s / 3600 = 4.5 h
    ['duration', 216_000, '2.5 d'], // 216,000 s / 86,400 = 2.5 d
    ['duration', 900, '15 min'],
    ['rate', 0.125, '12.5%'],
    ['count', 7, '7'],
    ['count', null, '–'],
  ] as const)('formats a %s of %s as %s', (kind, value, text) => {
    expect(formatValue(kind, value)).toBe(text);
  });

  it.each([
    [-25, 'lower', '▼ 25%', 'good'], // lead time down 25%: good
    [40, 'higher', '▲ 40%', 'good'],
    [40, 'lower', '▲ 40%', 'bad'],
    [0.2, 'lower', '± 0%', 'neutral'],
    [null, 'lower', '–', 'neutral'],
  ] as const)('formats a change of %s where %s is better', (pct, better, text, tone) => {
    expect(formatChange(pct, better)).toEqual({ text, tone });
  });

  it('draws a sparkline with gaps for weeks without data', () => {
    expect(sparkline([0, 7, null, 14])).toBe('▁▅ █'); // 7 is half of 14: index round(0.5 * 7) = 4 of 0..7
    expect(sparkline([5, 6])).toBe('▇█'); // from zero: 5/6 of 7 steps rounds to 6
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([null, null])).toBe('');
  });
});

describe('renderers', () => {
  it('renders Markdown ready for a GitHub issue, escaping what users wrote', () => {
    const text = renderMarkdown(report);
    expect(text).toContain('# Lastmile weekly report 2026-W09: team platform');
    expect(text).toContain('| Lead time for changes | 4.5 h (n=8) | ▼ 25% | ▼ 50% | elite |');
    expect(text).toContain('Fix \\| pipes & \\<tags\\>');
    expect(text).toContain('churn\\<script\\> (mlflow-prod) | 7 |');
    expect(text).toContain('2.5 d'); // the model's lead time: 2 d 12 h
    expect(text).toContain('**Managed feature store** (buy, since');
    expect(text).toContain('(buy, since 5 Jan 2026): improved: Lead time for changes -31.5%');
    expect(text).toContain('23 Feb 2026 – 1 Mar 2026 (Europe/Berlin)');
    // 10:00 UTC is 11:00 in Berlin.
    expect(text).toContain(
      '  - acme/serving → production: change failure (1 incident), Thu 26 Feb, 11:00',
    );
  });

  it('leaves the decisions out while there is no decisions module', () => {
    expect(renderMarkdown({ ...report, decisions: null })).not.toContain('Decisions in effect');
    expect(renderHtml({ ...report, decisions: null })).not.toContain('Decisions in effect');
  });

  it('renders HTML for email: inline styles, no <style> or scripts, charts as data URIs', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<style|<script|<link/i);
    expect(html).toContain('churn&lt;script&gt;');
    expect(html).toContain('Fix | pipes &amp; &lt;tags&gt;');
    const images = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([^"]+)"/g)];
    expect(images).toHaveLength(2); // deployments and lead time; the rate is not charted
    const svg = Buffer.from(images[1][1], 'base64').toString('utf8');
    expect(html).toContain('Lead time for changes: <strong>4.5 h</strong>'); // the chart's caption
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)).toHaveLength(13);
    expect(html).toContain('<span style="color:#1a7f37;">▼ 25%</span>'); // lower lead time: green
  });

  it('draws one bar per week, the report week dark and the tallest full height', () => {
    const svg = renderTrendChart(metric({}));
    const bars = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="(#[0-9a-f]+)"/g)];
    expect(bars.map((b) => b[2]).at(-1)).toBe('#1f4e79');
    expect(bars.map((b) => Number(b[1]))).toContain(72); // 80 - 2 x 4 = 72 px for the maximum
    expect(bars[3][1]).toBe('0.0'); // the week without data
    expect(svgDataUri(svg)).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it('renders Slack Block Kit within its limits', () => {
    const message = renderSlack(report);
    expect(message.text).toBe(report.title);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: report.title },
    });
    const fields = message.blocks.flatMap((b) =>
      b.type === 'section' && b.fields ? b.fields : [],
    );
    expect(fields).toHaveLength(3);
    expect(fields[0].text).toContain(
      '*Lead time for changes*\n4.5 h (▼ 25% vs last week) · _elite_',
    );
    expect(JSON.stringify(message)).toContain('churn&lt;script&gt; v7');
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text)
        expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'section' && block.fields)
        expect(block.fields.length).toBeLessThanOrEqual(10);
    }
  });
});
