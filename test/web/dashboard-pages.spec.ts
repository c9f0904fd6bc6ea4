import { jest } from '@jest/globals';
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { ADMIN_TOKEN } from '../support/app.js';
import {
  formatCount,
  formatDuration,
  formatPoints,
  formatRatio,
} from '../../web/src/lib/format.js';
import {
  canvasHasInk,
  chartsSettled,
  type DashboardFixture,
  downloadText,
  openDashboard,
  parseCsv,
  screenshot,
  startDashboard,
  DEMO_LOAD_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
} from '../support/browser.js';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

// Every page renders what the API returns: charts with ink and a legend, tiles and tables holding
// the API's numbers (formatted as the dashboard formats them).

async function expectChartsDrawn(page: Page, minimum: number): Promise<void> {
  const cards = page.locator('[data-chart]:has(canvas)');
  expect(await cards.count()).toBeGreaterThanOrEqual(minimum);
  for (const card of await cards.all()) {
    const title = await card.getAttribute('data-chart');
    const canvas = card.locator('canvas[data-rendered]');
    expect({ title, drawn: await canvas.count() }).toEqual({ title, drawn: 1 });
    const ink = await canvasHasInk(page, `[data-chart="${title}"] canvas`);
    expect({ title, ink }).toEqual({ title, ink: true });
    const legendItems = await card.locator('.legend li').count();
    expect({ title, legend: legendItems > 0 }).toEqual({ title, legend: true });
  }
}

/** The table behind a chart card, shown with its Table button: header and body cells. */
async function chartTable(page: Page, title: string): Promise<string[][]> {
  const card = page.locator(`[data-chart="${title}"]`);
  await card.getByRole('button', { name: 'Table' }).click();
  const rows = await card.locator('tbody tr').all();
  return Promise.all(rows.map((row) => row.locator('td').allInnerTexts()));
}

describe('dashboard pages in headless Chromium', () => {
  let fixture: DashboardFixture;
  const api = (path: string) => request(fixture.t.http).get(path).expect(200);

  // A year of demo data goes in through the API first: allow for a machine busy with other tests.
  beforeAll(async () => {
    fixture = await startDashboard();
  }, DEMO_LOAD_TIMEOUT_MS);
  afterAll(async () => {
    await fixture?.close();
  });

  it('overview: tiles hold the API summaries, charts draw with legends, and the first chart time is printed', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/');
    await page.waitForSelector('canvas[data-rendered]');
    const firstChartMs = await page.evaluate(
      () => (window as { __lastmileFirstChartAt?: number }).__lastmileFirstChartAt,
    );
    console.log(
      `overview: first chart drawn ${Math.round(firstChartMs ?? NaN)} ms after navigation start ` +
        `(headless Chromium, demo data; machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
    );
    await chartsSettled(page);

    const lead = (await api('/api/v1/metrics/lead_time_for_changes')).body;
    const models = (await api('/api/v1/metrics/models_in_production')).body;
    const cfr = (await api('/api/v1/metrics/change_failure_rate')).body;
    const restore = (await api('/api/v1/metrics/time_to_restore')).body;
    const tile = (label: string) => page.locator(`[data-tile="${label}"]`);
    expect(lead.summary.count).toBeGreaterThan(50);
    expect(await tile('Release lead time').locator('[data-value]').innerText()).toBe(
      formatDuration(lead.summary.median),
    );
    expect(await tile('Models in production').locator('[data-value]').innerText()).toBe(
      formatCount(models.summary.current),
    );
    expect(await tile('Change failure rate').locator('[data-value]').innerText()).toBe(
      formatRatio(cfr.summary.value),
    );
    expect(await tile('Failed deployment recovery time').locator('[data-value]').innerText()).toBe(
      formatDuration(restore.summary.median),
    );
    expect(await tile('Release lead time').locator('.band').innerText()).toBe(
      lead.band.level[0].toUpperCase() + lead.band.level.slice(1),
    );
    expect(await tile('Release lead time').locator('.change').innerText()).toMatch(/vs previous/);
    // A tile and a chart for each metric the catalog puts on the overview.
    const catalog = (await api('/api/v1/metrics')).body.metrics as { pages: string[] }[];
    const shown = catalog.filter((metric) => metric.pages.includes('overview')).length;
    expect(await page.locator('[data-tile]').count()).toBe(shown);
    expect(await tile('Deployment rework rate').locator('[data-value]').innerText()).toMatch(/%$/);
    expect(await tile('Model iteration time').locator('[data-value]').innerText()).not.toBe('');

    await expectChartsDrawn(page, shown);
    await screenshot(page, 'overview');
    const table = await chartTable(page, 'Release lead time');
    expect(table).toHaveLength(lead.series.length);
    expect(table.map((cells) => cells[1])).toEqual(
      lead.series.map((item: { median: number | null }) => formatDuration(item.median)),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('overview over 26 weeks draws the recorded decision as a marker', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/?range=26w');
    await chartsSettled(page);
    const legend = page.locator('[data-chart="Release lead time"] .legend');
    expect(await legend.innerText()).toContain('Decision');
    await screenshot(page, 'overview-26w');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('delivery: stacked stage breakdown, cycle-time distribution, DORA charts and drill-down tables with links', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/delivery');
    await chartsSettled(page);
    await expectChartsDrawn(page, 7);
    await screenshot(page, 'delivery');
    expect(
      await page.locator('[data-chart="PR cycle time: breakdown"] .legend').innerText(),
    ).toMatch(/Coding[\s\S]*Pickup[\s\S]*Review[\s\S]*Deploy/);

    const prs = (await api('/api/v1/pull-requests?limit=2000')).body;
    const drilldown = page.getByRole('region', { name: 'Drill-down' });
    await drilldown.locator('tbody tr').first().waitFor();
    expect(await drilldown.locator('tbody tr').count()).toBe(prs.items.length);
    const first = prs.items[0];
    const link = drilldown
      .locator('tbody tr')
      .first()
      .getByRole('link', { name: `#${first.number}` });
    expect(await link.getAttribute('href')).toBe(
      `https://github.com/${first.repo}/pull/${first.number}`,
    );
    expect(await drilldown.locator('tbody tr').first().innerText()).toContain(
      formatDuration(first.cycle),
    );

    const histogram = await chartTable(page, 'PR cycle time distribution');
    const counted = histogram.reduce((sum, cells) => sum + Number(cells[3].replace(/,/g, '')), 0);
    expect(counted).toBe(
      prs.items.filter((row: { cycle: number | null }) => row.cycle !== null).length,
    );

    await drilldown.getByRole('tab', { name: /Deployments/ }).click();
    const deployments = (await api('/api/v1/deployments?limit=2000')).body;
    await drilldown.locator('tbody tr').first().waitFor();
    expect(await drilldown.locator('tbody tr').count()).toBe(deployments.items.length);
    expect(await drilldown.locator('tbody tr').first().innerText()).toContain(
      deployments.items[0].id,
    );
    // "PRs shipped" is the count the API sends, row for row, and the demo ships PRs.
    type Shipped = { pull_requests: number };
    const shipped = deployments.items.map((row: Shipped) => row.pull_requests);
    expect(shipped.some((n: number) => n > 0)).toBe(true);
    const headers = await drilldown.locator('thead th').allInnerTexts();
    const column = headers.findIndex((text) => text.trim() === 'PRs shipped') + 1;
    expect(column).toBeGreaterThan(0);
    const cells = await drilldown.locator(`tbody tr td:nth-child(${column})`).allInnerTexts();
    expect(cells.map((text) => text.trim())).toEqual(shipped.map((n: number) => formatCount(n)));
    await screenshot(page, 'delivery-deployments');
    // Its CSV downloads, with the same counts.
    const file = await downloadText(page, () =>
      drilldown.getByRole('button', { name: 'Download Deployments as CSV' }).click(),
    );
    // The table, then the range shown (the demo's last 12 weeks).
    expect(file.name).toMatch(/^deployments_list_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = parseCsv(file.text);
    const prColumn = header.indexOf('pull_requests');
    expect(prColumn).toBeGreaterThan(-1);
    expect(rows.map((row) => Number(row[prColumn]))).toEqual(shipped);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('models: production over time, promotions, lead and iteration time, and a timeline showing observed precision', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/models');
    await chartsSettled(page);
    await expectChartsDrawn(page, 5);
    const promotions = (await api('/api/v1/model-promotions?limit=2000')).body;
    const timeline = page.locator('[data-chart="Model timeline"]');
    expect(await timeline.locator('.timeline-lane').count()).toBe(
      new Set(promotions.items.map((row: { model: string }) => row.model)).size,
    );
    expect(await timeline.locator('.timeline-mark').count()).toBe(promotions.items.length);
    const observed = promotions.items.filter(
      (row: { precision: string }) => row.precision === 'observed',
    );
    expect(observed.length).toBeGreaterThan(0);
    expect(await timeline.locator('.timeline-mark.precision-observed').count()).toBe(
      observed.length,
    );
    const label = await timeline.locator('.precision-observed').first().getAttribute('aria-label');
    expect(label).toContain(
      `seen between two polls (within ${formatDuration(observed[0].precision_seconds)} before)`,
    );
    await screenshot(page, 'models');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('decisions: the list, the before/after table with the API verdicts and sentences, and charts with shaded windows', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/decisions');
    await page.getByRole('link', { name: 'Adopted a managed feature store' }).waitFor();
    await screenshot(page, 'decisions');
    await page.getByRole('link', { name: 'Adopted a managed feature store' }).click();
    await page.waitForURL(`**/decisions/${fixture.decisionId}`);
    const comparison = (
      await api(
        `/api/v1/decisions/${fixture.decisionId}/comparison?window_weeks=12&ramp_weeks=2&control=auto`,
      )
    ).body;
    const table = page.getByRole('table', { name: 'Before and after, every metric' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(comparison.comparisons.length);
    const lead = comparison.comparisons.find(
      (row: { metric: string }) => row.metric === 'lead_time_for_changes',
    );
    const verdicts: Record<string, string> = {
      improved: 'Improved',
      worsened: 'Worsened',
      no_clear_change: 'No clear change',
      insufficient_data: 'Not enough data',
    };
    const leadRow = table.locator('tbody tr', { hasText: /^Release lead time/ });
    expect(await leadRow.innerText()).toContain(verdicts[lead.verdict]);
    expect(await leadRow.innerText()).toContain(formatDuration(lead.before.median));
    expect(await leadRow.innerText()).toContain(formatDuration(lead.after.median));
    expect(await page.locator('.sentences').innerText()).toContain(lead.sentence);
    // A rate's differences read in percentage points, as its sentence gives them, not as a
    // percentage beside the Change column's relative one.
    const failures = comparison.comparisons.find(
      (row: { metric: string }) => row.metric === 'change_failure_rate',
    );
    expect(failures.ci95).not.toBeNull();
    const failuresRow = table.locator('tbody tr', { hasText: /^Change failure rate/ });
    expect(await failuresRow.innerText()).toContain(
      `${formatPoints(failures.ci95[0])} to ${formatPoints(failures.ci95[1])}`,
    );
    expect(await failuresRow.innerText()).toContain(formatPoints(failures.control.did_median));
    await chartsSettled(page);
    await expectChartsDrawn(page, 3);
    expect(await page.locator('[data-chart="Release lead time"] .legend').innerText()).toMatch(
      /Team ranking[\s\S]*Control: /,
    );
    await screenshot(page, 'decision');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('decisions: recording one needs the token; with it saved in Settings, the new decision opens', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.goto('/decisions/new');
    await page.getByLabel('Title').fill('Built our own deploy bot');
    await page.getByLabel('Kind').selectOption('build');
    await page.getByLabel('Effective date').fill('2026-06-01');
    await page.getByRole('checkbox', { name: 'forecasting' }).check();
    await page.getByRole('button', { name: 'Save decision' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(/token/i);
    await screenshot(page, 'decision-form');

    await page.getByRole('button', { name: 'Settings' }).first().click();
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByRole('heading', { name: 'Built our own deploy bot' }).waitFor();
    const list = (await api('/api/v1/decisions')).body.decisions;
    const created = list.find(
      (decision: { title: string }) => decision.title === 'Built our own deploy bot',
    );
    expect(created).toMatchObject({ kind: 'build', scope: { teams: ['forecasting'] } });
    expect(page.url()).toContain(`/decisions/${created.id}`);
    await context.close();
  });

  it('reports: listed, readable in a sandboxed frame, and downloadable as Markdown', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/reports');
    const reports = (await api('/api/v1/reports')).body.reports;
    await page.getByRole('link', { name: `Week ${reports[0].week}` }).waitFor();
    await screenshot(page, 'reports');
    await page.getByRole('link', { name: `Week ${reports[0].week}` }).click();
    const frame = page.locator('iframe[title="Report"]');
    await frame.waitFor();
    // No scripts may run in it; its own origin lets the page read its height.
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin');
    const html = (await api(`/api/v1/reports/${fixture.reportId}.html`)).text;
    expect(await frame.getAttribute('srcdoc')).toBe(html);
    const markdown = (await api(`/api/v1/reports/${fixture.reportId}.md`)).text;
    const file = await downloadText(page, () =>
      page.getByRole('button', { name: /as Markdown/ }).click(),
    );
    expect(file.name).toBe(`lastmile-${reports[0].week}.md`);
    expect(file.text).toBe(markdown);
    // The whole report shows in the page: the frame is as tall as the report, nothing scrolls in it.
    await page.waitForFunction(() => {
      const element = document.querySelector('iframe[title="Report"]') as HTMLIFrameElement;
      const inner = element?.contentDocument?.documentElement;
      return !!inner && element.clientHeight >= inner.scrollHeight;
    });
    await screenshot(page, 'report');
    expect(errors).toEqual([]);
    await context.close();
  });
});
