import type { Page } from 'playwright-core';
import request from 'supertest';
import { admin } from '../support/app.js';
import {
  BROWSER_TEST_TIMEOUT_MS,
  chartsSettled,
  type DashboardFixture,
  DEMO_LOAD_TIMEOUT_MS,
  openDashboard,
  screenshot,
  startDashboard,
} from '../support/browser.js';

// A decision read at a glance (issue 20): the list's verdict column, the page's headline, one unit
// per interval, rates in points, caveats, and a chart of a reading in progress that leaves out
// the week not over yet instead of drawing it as a fall.

const DAY = 86_400_000;
const VERDICT_TEXT: Record<string, string> = {
  improved: 'Improved',
  worsened: 'Worsened',
  mixed: 'Mixed',
  no_clear_change: 'No clear change',
  insufficient_data: 'Not enough data',
};

/** The table behind a chart card, shown with its Table button: header and body cells. */
async function chartTable(page: Page, title: string): Promise<string[][]> {
  const card = page.locator(`[data-chart="${title}"]`);
  await card.getByRole('button', { name: 'Table' }).click();
  const rows = await card.locator('tbody tr').all();
  return Promise.all(rows.map((row) => row.locator('td').allInnerTexts()));
}

describe('a decision read at a glance, in headless Chromium', () => {
  let fixture: DashboardFixture;
  let recentId: number;
  let overlappingId: number;
  const api = (path: string) => request(fixture.t.http).get(path).expect(200);

  beforeAll(async () => {
    fixture = await startDashboard();
    const team = fixture.demo.teams[0].name;
    // Three weeks and three days ago: in progress, one whole week of its after window observed,
    // and today's week not over.
    const post = async (title: string, effective: number) =>
      (
        await request(fixture.t.http)
          .post('/api/v1/decisions')
          .set(admin)
          .send({
            title,
            kind: 'buy',
            effective_at: new Date(effective).toISOString(),
            scope: { teams: [team] },
          })
          .expect(201)
      ).body.id as number;
    recentId = await post('Switched CI to a hosted runner fleet', Date.now() - 24 * DAY);
    overlappingId = await post('Moved builds to a shared cache', Date.now() - 40 * DAY);
  }, DEMO_LOAD_TIMEOUT_MS);
  afterAll(async () => {
    await fixture?.close();
  });

  it(
    'lists every decision with the verdict of its default reading',
    async () => {
      const { page, errors, context } = await openDashboard(fixture);
      await page.goto('/decisions');
      const table = page.getByRole('table', { name: 'Decisions' });
      await table.waitFor();
      const headers = await table.locator('thead th').allInnerTexts();
      expect(headers.map((h) => h.trim())).toContain('Verdict');
      const { decisions } = (await api('/api/v1/decisions')).body;
      expect(decisions.length).toBe(4);
      for (const decision of decisions) {
        const row = table.locator('tbody tr', { hasText: decision.title });
        const text = await row.innerText();
        expect({
          title: decision.title,
          verdict: text.includes(VERDICT_TEXT[decision.summary.verdict]),
        }).toEqual({
          title: decision.title,
          verdict: true,
        });
      }
      const recent = decisions.find((d: { id: number }) => d.id === recentId);
      expect(recent.summary).toMatchObject({ status: 'in_progress', weeks_observed: 1 });
      expect(
        await table
          .locator('tbody tr', { hasText: 'Switched CI to a hosted runner fleet' })
          .innerText(),
      ).toContain('1 of 12 weeks');
      await screenshot(page, 'decisions-verdicts');
      expect(errors).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'opens a decision with its headline; intervals in one unit; rates in points',
    async () => {
      const { page, errors, context } = await openDashboard(fixture);
      await page.goto(`/decisions/${fixture.decisionId}`);
      const comparison = (
        await api(
          `/api/v1/decisions/${fixture.decisionId}/comparison?window_weeks=12&ramp_weeks=2&control=auto`,
        )
      ).body;
      const headline = page.locator('.decision-headline');
      await headline.waitFor();
      await page.getByRole('table', { name: 'Before and after, every metric' }).waitFor();
      expect(await headline.innerText()).toContain(comparison.summary.headline);
      // The headline comes right after the title, before anything else on the page.
      expect(
        await page.evaluate(
          () => document.querySelector('h1.page-title')?.nextElementSibling?.className,
        ),
      ).toBe('decision-headline');

      const table = page.getByRole('table', { name: 'Before and after, every metric' });
      const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
      const ciColumn = headers.indexOf('95% CI of the difference');
      const changeColumn = headers.indexOf('Change');
      expect(ciColumn).toBeGreaterThan(0);
      let durations = 0;
      for (const tr of await table.locator('tbody tr').all()) {
        const cells = await tr.locator('td').allInnerTexts();
        const ci = cells[ciColumn];
        const units = [...ci.matchAll(/-?[\d.]+ (s|min|h|d)\b/g)].map((m) => m[1]);
        if (units.length === 2) {
          durations += 1;
          expect({ ci, same: units[0] === units[1] }).toEqual({ ci, same: true });
        }
      }
      expect(durations).toBeGreaterThanOrEqual(3);
      const rate = table.locator('tbody tr', { hasText: /^Change failure rate/ });
      const rateCells = await rate.locator('td').allInnerTexts();
      expect(rateCells[changeColumn]).toMatch(/pts$|^—$/);
      expect(rateCells[ciColumn]).toMatch(/pts to .*pts$/);
      await chartsSettled(page);
      await screenshot(page, 'decision-headline');
      expect(errors).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'reads a decision in progress: caveats, and no fall to zero at the right edge of its charts',
    async () => {
      const { page, errors, context } = await openDashboard(fixture);
      await page.goto(`/decisions/${recentId}`);
      const comparison = (
        await api(
          `/api/v1/decisions/${recentId}/comparison?window_weeks=12&ramp_weeks=2&control=auto`,
        )
      ).body;
      expect(comparison).toMatchObject({ status: 'in_progress', weeks_observed: 1 });
      await page.locator('.decision-headline').waitFor();
      expect(await page.locator('.decision-headline').innerText()).toContain(
        '1 of 12 weeks observed; full reading on',
      );
      // The other decision on the same team, five weeks before, is named as a confounder.
      const caveat = page.locator('[data-caveat="confounders"]');
      expect(await caveat.innerText()).toContain('Moved builds to a shared cache');
      expect(comparison.confounders.map((c: { id: number }) => c.id)).toEqual([overlappingId]);

      await chartsSettled(page);
      // The API's weekly series over the same range ends with the week not over yet (a partial
      // count); the chart stops at the last whole week.
      const team = fixture.demo.teams[0].name;
      const range = new URLSearchParams({
        from: comparison.comparisons[0].before.from,
        to: comparison.comparisons[0].after.to,
        granularity: 'week',
        team,
      });
      const series = (await api(`/api/v1/metrics/deployment_frequency?${range}`)).body.series;
      const lastApiWeek = series[series.length - 1];
      expect(Date.parse(lastApiWeek.period_start) + 7 * DAY).toBeGreaterThan(
        Date.parse(comparison.comparisons[0].after.to),
      );
      const rows = await chartTable(page, 'Deployment frequency');
      const whole = series.filter(
        (item: { period_start: string }) =>
          Date.parse(item.period_start) + 7 * DAY <=
          Date.parse(comparison.comparisons[0].after.to) + 3_600_000,
      );
      expect(rows.length).toBe(
        whole.filter(
          (item: { period_start: string }) =>
            Date.parse(item.period_start) >=
            Date.parse(comparison.comparisons[0].before.from) - 3_600_000,
        ).length,
      );
      const lastValue = Number(rows[rows.length - 1][1]);
      expect(lastValue).toBeGreaterThan(0);
      await screenshot(page, 'decision-in-progress');
      expect(errors).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  it(
    'marks on a chart only the decisions whose scope meets its filters, labels apart',
    async () => {
      const { page, errors, context } = await openDashboard(fixture);
      const legend = () => page.locator('[data-chart="Release lead time"] .legend').innerText();
      const markerShown = () =>
        page.waitForFunction(() =>
          document
            .querySelector('[data-chart="Release lead time"] .legend')
            ?.textContent?.includes('Decision'),
        );
      // Over 26 weeks, four decisions: ranking's (June), fraud's (July), platform's two (October
      // and November, two weeks apart: their labels are stacked, see the screenshot).
      await page.goto('/?range=26w');
      await chartsSettled(page);
      await markerShown();
      await screenshot(page, 'overview-markers');
      // A team no decision touched: no marker at all.
      const untouched = fixture.demo.teams.find(
        (team) => !['ranking', 'fraud', fixture.demo.teams[0].name].includes(team.name),
      );
      expect(untouched).toBeDefined();
      // The markers' list has come (the same request as on the unfiltered page), yet none is drawn.
      const markers = page.waitForResponse((r) =>
        r.url().includes('/api/v1/decisions?summary=false'),
      );
      await page.goto(`/?range=26w&team=${untouched?.name}`);
      await markers;
      await chartsSettled(page);
      expect(await legend()).not.toContain('Decision');
      await page.goto('/?range=26w&team=ranking');
      await chartsSettled(page);
      await markerShown();
      expect(errors).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});
