import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { formatDuration } from '../../web/src/lib/format.js';
import {
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

// The dashboard's state lives in the URL; every chart exports its rows; failures and empty ranges
// say what to do; the theme and the keyboard work.

const tileValue = (page: Page, label: string) =>
  page.locator(`[data-tile="${label}"] [data-value]`).innerText();
const chartRows = (page: Page, title: string) => page.locator(`[data-chart="${title}"] tbody tr`);

describe('dashboard state, export, failures, theme and keyboard', () => {
  let fixture: DashboardFixture;
  const api = (path: string) => request(fixture.t.http).get(path).expect(200);

  // A year of demo data goes in through the API first: allow for a machine busy with other tests.
  beforeAll(async () => {
    fixture = await startDashboard();
  }, DEMO_LOAD_TIMEOUT_MS);
  afterAll(async () => {
    await fixture?.close();
  });

  it('filters change the URL and the data, reloading restores them, and Back goes to the previous view', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/');
    await chartsSettled(page);
    const twelveWeeks = await tileValue(page, 'Release lead time');

    await page.getByRole('button', { name: '26w' }).click();
    await page.getByLabel('Granularity').selectOption('month');
    const requested = page.waitForRequest(
      (req) =>
        req.url().includes('/metrics/lead_time_for_changes?') &&
        req.url().includes('team=forecasting'),
    );
    await page.getByLabel('Team').selectOption('forecasting');
    await page.waitForURL(/range=26w/);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      range: '26w',
      granularity: 'month',
      team: 'forecasting',
    });
    const query = new URL((await requested).url()).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      granularity: 'month',
      team: 'forecasting',
    });
    const expected = (await api(`/api/v1/metrics/lead_time_for_changes?${query}`)).body;
    await page
      .locator(`[data-tile="Release lead time"] [data-value]`, {
        hasText: formatDuration(expected.summary.median),
      })
      .waitFor();
    expect(formatDuration(expected.summary.median)).not.toBe(twelveWeeks);

    await page.reload();
    await chartsSettled(page);
    expect(await page.getByRole('button', { name: '26w' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await page.getByLabel('Granularity').inputValue()).toBe('month');
    expect(await page.getByLabel('Team').inputValue()).toBe('forecasting');
    expect(await tileValue(page, 'Release lead time')).toBe(
      formatDuration(expected.summary.median),
    );
    await page
      .locator('[data-chart="Release lead time"]')
      .getByRole('button', { name: 'Table' })
      .click();
    expect(await chartRows(page, 'Release lead time').count()).toBe(expected.series.length);

    await page.goBack();
    await page.waitForURL((current) => current.searchParams.get('team') === null);
    expect(await page.getByLabel('Team').inputValue()).toBe('');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a shared URL opens the same view in a new browser: page, range, granularity and repository', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/delivery?range=4w&granularity=day&repo=acme/ranker');
    await chartsSettled(page);
    expect(await page.getByLabel('Repository').inputValue()).toBe('acme/ranker');
    expect(await page.getByRole('link', { name: 'Delivery' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await page
      .locator('[data-chart="Release lead time"]')
      .getByRole('button', { name: 'Table' })
      .click();
    expect(await chartRows(page, 'Release lead time').count()).toBe(28);
    const drilldown = page.getByRole('region', { name: 'Drill-down' });
    const repos = await drilldown.locator('tbody tr td:first-child').allInnerTexts();
    expect(repos.length).toBeGreaterThan(0);
    expect(new Set(repos)).toEqual(new Set(['acme/ranker']));
    // Following a nav link keeps the filters.
    await page.getByRole('link', { name: 'Models' }).click();
    await page.waitForURL((current) => current.pathname === '/models');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      range: '4w',
      granularity: 'day',
      repo: 'acme/ranker',
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a custom range goes into the URL and to the API as [from, to + 1 day)', async () => {
    const { page, context, apiCalls } = await openDashboard(fixture);
    await page.goto('/');
    await page.getByRole('button', { name: 'Custom' }).click();
    await page.getByLabel('From').fill('2026-07-01');
    await page.getByLabel('To', { exact: true }).fill('2026-07-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/from=2026-07-01/);
    expect(new URL(page.url()).searchParams.get('to')).toBe('2026-07-31');
    await chartsSettled(page);
    expect(apiCalls.some((call) => call.includes('from=2026-07-01&to=2026-08-01'))).toBe(true);
    await context.close();
  });

  it('CSV export downloads the rows on screen, in API units', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.goto('/');
    await chartsSettled(page);
    const lead = (await api('/api/v1/metrics/lead_time_for_changes')).body;
    const card = page.locator('[data-chart="Release lead time"]');
    const file = await downloadText(page, () => card.getByRole('button', { name: /CSV/ }).click());
    // Named after the metric, the table and the range (its last day: the API's `to` is exclusive).
    const lastDay = new Date(Date.parse(lead.to) - 1).toISOString().slice(0, 10);
    expect(file.name).toBe(`release-lead-time_series_${lead.from.slice(0, 10)}_${lastDay}.csv`);
    const [header, ...rows] = parseCsv(file.text);
    expect(header).toEqual(['period_start', 'median_seconds', 'p90_seconds', 'count']);
    expect(rows).toEqual(
      lead.series.map(
        (item: {
          period_start: string;
          median: number | null;
          p90: number | null;
          count: number;
        }) =>
          // durations in whole seconds
          [
            item.period_start,
            item.median === null ? '' : Math.round(item.median),
            item.p90 === null ? '' : Math.round(item.p90),
            item.count,
          ].map(String),
      ),
    );
    await card.getByRole('button', { name: 'Table' }).click();
    expect(await card.locator('tbody tr').count()).toBe(rows.length);

    await page.goto('/delivery');
    const drilldown = page.getByRole('region', { name: 'Drill-down' });
    await drilldown.locator('tbody tr').first().waitFor();
    const prs = await downloadText(page, () =>
      drilldown.getByRole('button', { name: /CSV/ }).click(),
    );
    const [prHeader, ...prRows] = parseCsv(prs.text);
    expect(prHeader.slice(0, 3)).toEqual(['repo', 'number', 'title']);
    // Spans as whole seconds, in columns that say so.
    expect(prHeader).toEqual(expect.arrayContaining(['coding_seconds', 'cycle_seconds']));
    const cycle = prHeader.indexOf('cycle_seconds');
    expect(prRows.every((row) => row[cycle] === '' || /^\d+$/.test(row[cycle]))).toBe(true);
    expect(prRows).toHaveLength(await drilldown.locator('tbody tr').count());
    await context.close();
  });

  it('an API error shows its message where the data would be, and the rest of the page still works', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.route('**/api/v1/metrics/lead_time_for_changes?*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          error: 'internal',
          message: 'Simulated failure of the lead time query.',
        }),
      }),
    );
    await page.goto('/');
    await chartsSettled(page);
    const card = page.locator('[data-chart="Release lead time"]');
    expect(await card.getByRole('alert').innerText()).toContain(
      'Simulated failure of the lead time query.',
    );
    expect(await card.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    expect(
      await page.locator('[data-tile="Release lead time"]').getByRole('alert').innerText(),
    ).toContain('Simulated failure');
    expect(
      await page.locator('[data-chart="Deployment frequency"] canvas[data-rendered]').count(),
    ).toBe(1);
    await screenshot(page, 'overview-api-error');

    await page.unroute('**/api/v1/metrics/lead_time_for_changes?*');
    await page.goto('/?team=nobody');
    await chartsSettled(page);
    expect(
      await page.locator('[data-chart="Release lead time"] [role="alert"]').innerText(),
    ).toContain('"nobody" is not a known team');

    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.goto('/sources');
    expect(await page.getByRole('alert').first().innerText()).toMatch(
      /API is not reachable[\s\S]*npm start/,
    );
    await page.unroute('**/api/**');

    await page.goto('/nowhere');
    expect(await page.getByText('There is no page here').count()).toBe(1);
    await context.close();
  });

  it('an empty range tells a newcomer to connect a source or run npm run demo', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.goto('/?range=custom&from=2020-01-06&to=2020-03-01');
    await chartsSettled(page);
    const callout = page.getByRole('complementary', { name: 'No data yet' });
    expect(await callout.innerText()).toMatch(/Sources[\s\S]*npm run demo/);
    // Every chart the catalog puts on the overview says it is empty.
    const catalog = (await api('/api/v1/metrics')).body.metrics as { pages: string[] }[];
    expect(await page.locator('[data-chart] .state-empty').count()).toBe(
      catalog.filter((metric) => metric.pages.includes('overview')).length,
    );
    await screenshot(page, 'overview-empty');
    await context.close();
  });

  it('follows a dark system theme, and the toggle switches and remembers the theme', async () => {
    const { page, context } = await openDashboard(fixture, { colorScheme: 'dark' });
    await page.goto('/');
    await chartsSettled(page);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'overview-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await context.close();
  });

  it('works from the keyboard: skip link, nav links, filters and the settings dialog', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.goto('/');
    await chartsSettled(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delivery');
    // The focused element is visibly outlined.
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle),
    ).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/delivery');

    await page.getByRole('button', { name: '4w' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/range=4w/);

    await page.getByRole('button', { name: 'Settings' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('admin-token');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });
});
