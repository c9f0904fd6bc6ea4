import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { demoEvents, demoTeams, inBatches } from '../../api/src/demo/demo-generator.js';
import {
  DEMO_SIZE,
  type DemoOrganisation,
  buildOrganisation,
  startOfIsoWeek,
} from '../../api/src/demo/demo-organisation.js';
import { formatIsoWeek, lastCompleteWeek } from '../../api/src/reports/iso-week.js';
import { ADMIN_TOKEN, admin, createTestApp, type TestApp } from './app.js';

// Headless Chromium (Debian's package) driven by playwright-core against the real app serving the
// built web (web/dist): `npm test` builds it first.

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-artifacts/screenshots');
/** Loading the demo year through the API takes ~20 s on an idle 2-core machine. */
export const DEMO_LOAD_TIMEOUT_MS = 300_000;
/**
 * Waits for the page (Playwright) and per test (jest.setTimeout): generous, since `npm test` runs these
 * beside every other test file on two cores. Nothing asserts a duration.
 */
export const PAGE_WAIT_MS = 90_000;
export const BROWSER_TEST_TIMEOUT_MS = 240_000;
const WEB_DIST = resolve(import.meta.dirname, '../../web/dist/index.html');

export interface DashboardFixture {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  demo: DemoOrganisation;
  /** The recorded decision that paid off ("Adopted a managed feature store"). */
  decisionId: number;
  reportId: string;
  close(): Promise<void>;
}

/**
 * Loads `npm run demo`'s organisation (a year of four teams, ending this week) through the public
 * API, as a user's scripts would: teams, events in batches, decisions; then makes last week's report.
 */
export async function loadDemo(
  t: TestApp,
): Promise<{ demo: DemoOrganisation; decisionId: number; reportId: string }> {
  const demo = buildOrganisation({
    seed: 42,
    now: new Date(startOfIsoWeek(Date.now())),
    ...DEMO_SIZE,
  });
  for (const { name, ...team } of demoTeams(demo)) {
    await request(t.http).put(`/api/v1/teams/${name}`).set(admin).send(team).expect(200);
  }
  for (const events of inBatches(demoEvents(demo), 5000)) {
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
  }
  const ids: number[] = [];
  for (const decision of demo.decisions) {
    ids.push(
      (await request(t.http).post('/api/v1/decisions').set(admin).send(decision).expect(201)).body
        .id,
    );
  }
  const week = formatIsoWeek(lastCompleteWeek(new Date(), t.config.file.timezone));
  const report = await request(t.http).post('/api/v1/reports').set(admin).send({ week });
  if (report.status >= 300)
    throw new Error(`report ${week}: ${report.status} ${JSON.stringify(report.body)}`);
  return { demo, decisionId: ids[0], reportId: String(report.body.id) };
}

/** The real app on a fresh database with the demo data, listening on a free port, and Chromium. */
export async function startDashboard(
  env: Record<string, string> = {},
  options: { demo?: boolean } = {},
): Promise<DashboardFixture> {
  if (!existsSync(WEB_DIST))
    throw new Error('web/dist is missing: run `npm run build` (npm test does) first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const t = await createTestApp(env);
  // Pages that do not draw metrics (sources) skip the year of demo data and its load time.
  const loaded =
    options.demo === false
      ? { demo: undefined as never, decisionId: NaN, reportId: '' }
      : await loadDemo(t);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    ...loaded,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, to assert none happened. */
  errors: string[];
  /** API requests the page made, in order (path and query). */
  apiCalls: string[];
}

/** A fresh browser context (own storage), optionally holding the admin token, at 1280×900. */
export async function openDashboard(
  fixture: DashboardFixture,
  options: { token?: boolean; colorScheme?: 'light' | 'dark' } = {},
): Promise<DashboardPage> {
  const context = await fixture.browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    colorScheme: options.colorScheme ?? 'light',
    baseURL: fixture.baseUrl,
  });
  if (options.token) {
    await context.addInitScript(
      (token) => localStorage.setItem('lastmile.token', token),
      ADMIN_TOKEN,
    );
  }
  context.setDefaultTimeout(PAGE_WAIT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  const apiCalls: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A failed request logs a console error by design (the error tests provoke them).
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      errors.push(message.text());
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname + url.search);
  });
  return { context, page, errors, apiCalls };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // The header is sticky: from the top, a full-page shot shows it once, where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until every chart card on the page has drawn (or shown its empty or error state). */
export async function chartsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-chart]')];
    return (
      cards.length > 0 &&
      cards.every((card) =>
        card.querySelector('canvas[data-rendered], .state-empty, .state-error, .timeline, table'),
      )
    );
  });
}

/** Whether a canvas has any non-transparent pixel (something was drawn). */
export async function canvasHasInk(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (canvas) => {
    const element = canvas as HTMLCanvasElement;
    const data = element.getContext('2d')?.getImageData(0, 0, element.width, element.height).data;
    if (!data) return false;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  });
}

/** The text of a download, by clicking what starts it. */
export async function downloadText(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** Parses the CSV the dashboard writes (RFC 4180 quoting, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
