import { jest } from '@jest/globals';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import {
  BROWSER_TEST_TIMEOUT_MS,
  chartsSettled,
  DEMO_LOAD_TIMEOUT_MS,
  type DashboardFixture,
  openDashboard,
  SCREENSHOTS,
  screenshot,
  startDashboard,
} from '../support/browser.js';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

// What makes the numbers trustworthy on the demo: a chart's period opens the rows behind it (and
// a shared link opens them again), no change is stated against an empty period, a filter the API
// refuses says so, counts have whole-number ticks, and a phone's width needs no sideways scroll.

/** Where the chart drew each period: [x, y] in canvas pixels. */
async function periodsOf(page: Page, title: string): Promise<[number, number][]> {
  const raw = await page
    .locator(`[data-chart="${title}"] canvas[data-rendered]`)
    .getAttribute('data-periods');
  return JSON.parse(raw ?? '[]') as [number, number][];
}

describe('a dashboard an ML lead trusts, in headless Chromium', () => {
  let fixture: DashboardFixture;
  const api = (path: string, query: Record<string, string> = {}) =>
    request(fixture.t.http).get(path).query(query).expect(200);

  beforeAll(async () => {
    fixture = await startDashboard();
  }, DEMO_LOAD_TIMEOUT_MS);
  afterAll(async () => {
    await fixture?.close();
  });

  it('a click on a bar lists its deployments in the drill-down, and reloading the URL lists them again', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/');
    await chartsSettled(page);
    const series = (await api('/api/v1/metrics/deployment_frequency')).body.series as {
      period_start: string;
      value: number;
    }[];
    // The busiest week, so the list is long enough to tell apart from the whole range.
    const index = series.reduce((best, row, i) => (row.value > series[best].value ? i : best), 0);
    const [x, y] = (await periodsOf(page, 'Deployment frequency'))[index];
    const canvas = page.locator('[data-chart="Deployment frequency"] canvas');
    await canvas.scrollIntoViewIfNeeded();
    await canvas.click({ position: { x, y: y + 4 } });
    await page.waitForURL(/drill=deployments/);
    const url = new URL(page.url());
    expect(url.searchParams.get('drill_from')).toBe(series[index].period_start);
    expect(url.searchParams.get('drill_to')).toBe(series[index + 1].period_start);
    expect(url.searchParams.get('drill_metric')).toBe('deployment_frequency');

    const rows = (
      await api('/api/v1/deployments', {
        from: series[index].period_start,
        to: series[index + 1].period_start,
        limit: '2000',
      })
    ).body;
    // The week's deployments: every successful production one the bar counts is among them.
    expect(rows.items.filter((row: { status: string }) => row.status === 'success').length).toBe(
      series[index].value,
    );
    const drilldown = page.locator('[data-drilldown="deployments"]');
    await drilldown.locator('tbody tr').first().waitFor();
    expect(await drilldown.locator('tbody tr').count()).toBe(rows.items.length);
    expect(await drilldown.locator('[data-drill-scope]').innerText()).toContain(
      'Deployment frequency',
    );
    await screenshot(page, 'drill-through');

    await page.reload();
    await drilldown.locator('tbody tr').first().waitFor();
    expect(await drilldown.locator('tbody tr').count()).toBe(rows.items.length);
    expect(await drilldown.locator('tbody tr').first().innerText()).toContain(rows.items[0].id);

    await drilldown.getByRole('button', { name: 'Show the whole range' }).click();
    const whole = (await api('/api/v1/deployments', { limit: '2000' })).body;
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('[data-drilldown="deployments"] tbody tr').length === count,
      whole.items.length,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('over the first weeks of the demo, whose previous period holds nothing, the tiles say "no earlier data" and an empty metric has no band', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    const DAY = 86_400_000;
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    const from = day(fixture.demo.start);
    const previous = (
      await api('/api/v1/metrics/lead_time_for_changes', {
        from: day(fixture.demo.start - 84 * DAY),
        to: from,
      })
    ).body;
    expect(previous.summary.count).toBe(0);
    await page.goto(`/?range=custom&from=${from}&to=${day(fixture.demo.start + 83 * DAY)}`);
    await chartsSettled(page);
    const change = page.locator('[data-tile="Release lead time"] .change');
    await page.waitForFunction(
      () =>
        !document
          .querySelector('[data-tile="Release lead time"] .change')
          ?.textContent?.includes('comparing'),
    );
    expect(await change.innerText()).toBe('• no earlier data');
    await screenshot(page, 'no-earlier-data');

    // A range before the demo: every metric is empty, and no tile shows a DORA band.
    await page.goto('/?range=custom&from=2020-01-06&to=2020-03-29');
    await page.getByText('Nothing to show in this range yet').waitFor();
    const body = (
      await api('/api/v1/metrics/deployment_frequency', { from: '2020-01-06', to: '2020-03-30' })
    ).body;
    expect(body.band).toEqual({ benchmark: 'dora-2023', level: null });
    await page.locator('[data-tile] [data-value]').first().waitFor();
    expect(await page.locator('[data-tile] .band').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an unknown repository is refused by the API and the filter says so; model tiles say they are not filtered by it', async () => {
    const { page, context } = await openDashboard(fixture);
    const response = await request(fixture.t.http)
      .get('/api/v1/metrics/lead_time_for_changes')
      .query({ repo: 'acme/made-up' })
      .expect(400);
    expect(response.body.details).toEqual([
      { path: 'repo', message: '"acme/made-up" is not a known repository or service' },
    ]);
    await page.goto('/?repo=acme/made-up');
    const error = page.locator('[data-filter-error="repo"]');
    await error.waitFor();
    expect(await error.innerText()).toBe('"acme/made-up" is not a known repository or service');
    await screenshot(page, 'unknown-repository');

    const repo = fixture.demo.teams[0].repos[0];
    await page.goto(`/?repo=${encodeURIComponent(repo)}`);
    await chartsSettled(page);
    expect(await page.locator('[data-tile="Models in production"] [data-notice]').innerText()).toBe(
      'not filtered by repository',
    );
    expect(
      await page.locator('[data-chart="Model release lead time"] [data-notice]').innerText(),
    ).toBe('not filtered by repository');
    expect(await page.locator('[data-tile="Release lead time"] [data-notice]').count()).toBe(0);
    await context.close();
  });

  it('count charts have whole-number ticks and levels are drawn as steps', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    // Four weeks of one team with models: small counts, where chart.js would tick at 0.5.
    const team = fixture.demo.teams.find((candidate) => candidate.models.length > 0)!;
    await page.goto(`/models?range=4w&team=${team.name}`);
    await chartsSettled(page);
    for (const title of ['Models in production', 'Model promotions']) {
      const canvas = page.locator(`[data-chart="${title}"] canvas[data-rendered]`);
      expect({ title, drawn: await canvas.count() }).toEqual({ title, drawn: 1 });
      const ticks = JSON.parse((await canvas.getAttribute('data-y-ticks')) ?? '[]') as number[];
      expect({ title, ticks: ticks.length > 1 }).toEqual({ title, ticks: true });
      expect({ title, fractional: ticks.filter((tick) => !Number.isInteger(tick)) }).toEqual({
        title,
        fractional: [],
      });
    }
    await screenshot(page, 'integer-ticks');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the models page lists the versions in production now and what entered or left, and the promotions chart has a legend', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.goto('/models');
    await chartsSettled(page);
    const list = (await api('/api/v1/models-in-production')).body;
    expect(list.current.length).toBeGreaterThan(0);
    const card = page.locator('[data-in-production]');
    const now = card.getByRole('table', { name: 'In production now' });
    await now.waitFor();
    expect(await now.locator('tbody tr').count()).toBe(list.current.length);
    const first = list.current[0];
    expect(await now.locator('tbody tr').first().innerText()).toContain(
      `${first.registry}/${first.model}`,
    );
    const changes = card.getByRole('table', { name: 'Entered or left production in the range' });
    expect(await changes.locator('tbody tr').count()).toBe(list.changes.length);
    const left = list.changes.find((row: { change: string }) => row.change === 'left');
    if (left)
      expect(
        await changes.locator('tbody tr', { hasText: 'left production' }).first().innerText(),
      ).toContain(left.reason);
    const legend = page.locator('[data-chart="Model timeline"] .legend');
    expect(await legend.innerText()).toMatch(/Observed between two polls/);
    // No version label runs past the card's edge.
    const overflow = await page.evaluate(() => {
      const track = document.querySelector('.timeline-lanes')?.getBoundingClientRect();
      return [...document.querySelectorAll('.timeline-version')].filter((label) => {
        const box = label.getBoundingClientRect();
        return track && (box.right > track.right + 1 || box.left < track.left - 1);
      }).length;
    });
    expect(overflow).toBe(0);
    await screenshot(page, 'models-in-production');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 390 px nothing scrolls sideways and the navigation collapses behind a menu', async () => {
    const { page, errors, context } = await openDashboard(fixture);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/', '/delivery', '/models', '/decisions', '/reports', '/sources']) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      if (['/', '/delivery', '/models'].includes(path)) await chartsSettled(page);
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect({ path, sideways: widths.scroll > widths.client }).toEqual({ path, sideways: false });
    }
    await page.goto('/');
    await chartsSettled(page);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    expect(await nav.getByRole('link', { name: 'Models' }).isVisible()).toBe(false);
    await screenshot(page, 'phone-overview');
    // The first screen as a phone shows it, to look at beside the full page.
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-first-screen.png') });
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await nav.getByRole('link', { name: 'Models' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-menu.png') });
    await nav.getByRole('link', { name: 'Models' }).click();
    await page.waitForURL(/\/models/);
    expect(await nav.getByRole('link', { name: 'Delivery' }).isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
