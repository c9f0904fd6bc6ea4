import { jest } from '@jest/globals';
import request from 'supertest';
import { formatCount } from '../../web/src/lib/format.js';
import { admin } from '../support/app.js';
import {
  type DashboardFixture,
  openDashboard,
  screenshot,
  startDashboard,
  BROWSER_TEST_TIMEOUT_MS,
} from '../support/browser.js';
import { DatabricksUcStandIn } from '../support/databricks-uc-stand-in.js';
import { GithubStandIn } from '../support/github-stand-in.js';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

// The Sources page against real syncs: a GitHub source on the local stand-in (recorded payloads),
// held mid-sync so the progress can be seen, and one whose token is wrong, so its error shows; and
// a Unity Catalog source, shown by what the API says of its kind.

const TOKEN_ENV = 'WEB_TEST_GITHUB_TOKEN';

describe('sources page: last sync, progress while running, errors, sync now', () => {
  let fixture: DashboardFixture;
  let github: GithubStandIn;
  let uc: DatabricksUcStandIn;

  beforeAll(async () => {
    github = await new GithubStandIn().start();
    uc = await new DatabricksUcStandIn('dapi-web-test').start();
    fixture = await startDashboard(
      { [TOKEN_ENV]: github.token, WEB_TEST_WRONG_TOKEN: 'not-the-token' },
      { demo: false },
    );
    const source = (name: string, tokenEnv: string) => ({
      kind: 'github',
      name,
      base_url: github.url,
      token_env: tokenEnv,
      repos: ['panjf2000/ants'],
    });
    for (const body of [
      source('ants-github', TOKEN_ENV),
      source('broken-github', 'WEB_TEST_WRONG_TOKEN'),
      {
        kind: 'databricks_uc',
        name: 'uc-prod',
        host: uc.url,
        token_env: 'WEB_TEST_UC_TOKEN',
        schemas: ['main.ml'],
      },
    ]) {
      await request(fixture.t.http).post('/api/v1/sources').set(admin).send(body).expect(201);
    }
  });
  afterAll(async () => {
    await fixture?.close();
    await github?.close();
    await uc?.stop();
  });

  it('asks for the token before starting a sync', async () => {
    const { page, context } = await openDashboard(fixture);
    await page.goto('/sources');
    const card = page.locator('[data-source="ants-github"]');
    expect(await card.innerText()).toContain('Never synced.');
    // The card shows what the API says of the source's kind: the web knows no kind's fields.
    const listed = (
      await request(fixture.t.http).get('/api/v1/sources').expect(200)
    ).body.sources.find((s: { name: string }) => s.name === 'ants-github');
    expect(listed.display.label).toBe('GitHub');
    expect(await card.locator('.card-description').innerText()).toMatch(/^GitHub · from api/);
    const terms = await card.locator('.source-details dt').allInnerTexts();
    const values = await card.locator('.source-details dd').allInnerTexts();
    expect(terms.map((term, i) => ({ label: term, value: values[i] }))).toEqual(
      listed.display.fields,
    );
    expect(listed.display.fields).toContainEqual({
      label: 'Deployments from',
      value: 'deployments',
    });
    const repoLink = card.getByRole('link', { name: 'panjf2000/ants' });
    expect(await repoLink.getAttribute('href')).toBe(`${github.url}/panjf2000/ants`);
    const ucCard = page.locator('[data-source="uc-prod"]');
    expect(await ucCard.locator('.card-description').innerText()).toMatch(
      /^Databricks Unity Catalog · from api · schedule 0 \*\/10/,
    );
    expect(await ucCard.locator('.source-details dl').innerText()).toMatch(
      /Models in\s+main\.ml\s+Production aliases\s+champion, prod, production/,
    );
    expect(await ucCard.getByRole('link', { name: 'Workspace' }).getAttribute('href')).toBe(uc.url);
    await screenshot(page, 'sources-never-synced');
    await card.getByRole('button', { name: 'Sync now' }).click();
    expect(await card.getByRole('alert').innerText()).toMatch(
      /The sync did not start[\s\S]*Settings/,
    );
    await context.close();
  });

  it('shows a running sync with its progress, then its result, and a failed one with its error', async () => {
    const { page, errors, context } = await openDashboard(fixture, { token: true });
    let release!: () => void;
    let held!: () => void;
    const arrived = new Promise<void>((resolve) => (held = resolve));
    github.faults.push({
      kind: 'hold',
      match: /\/pulls\?/,
      times: 1,
      onHold: held,
      release: new Promise((resolve) => (release = resolve)),
    });
    await page.goto('/sources');
    const card = page.locator('[data-source="ants-github"]');
    await card.getByRole('button', { name: 'Sync now' }).click();
    await arrived;
    await card.locator('.run[data-status="running"]').waitFor();
    expect(await card.getByRole('button', { name: 'Syncing…' }).isDisabled()).toBe(true);
    expect(await card.innerText()).toMatch(
      /running since[\s\S]*[\d,]+ items? · [\d,]+ pages? · [\d,]+ requests?/,
    );
    await screenshot(page, 'sources-running');
    release();

    await card.locator('.run[data-status="succeeded"]').waitFor();
    const runs = (await request(fixture.t.http).get('/api/v1/sync-runs').expect(200)).body.runs;
    const done = runs.find((run: { source: string }) => run.source === 'ants-github');
    expect(done.status).toBe('succeeded');
    expect(done.items).toBeGreaterThan(0);
    const counted = (count: number, word: string) =>
      `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
    expect(await card.innerText()).toContain(
      `${counted(done.items, 'item')} · ${counted(done.pages, 'page')} · ${counted(done.requests, 'request')}`,
    );

    const broken = page.locator('[data-source="broken-github"]');
    await broken.getByRole('button', { name: 'Sync now' }).click();
    await broken.locator('.run[data-status="failed"]').waitFor();
    const failed = (
      await request(fixture.t.http).get('/api/v1/sync-runs').expect(200)
    ).body.runs.find((run: { source: string }) => run.source === 'broken-github');
    expect(failed.error).toBeTruthy();
    expect(await broken.getByRole('alert').innerText()).toBe(failed.error);

    // The list of recent syncs holds both, and a reload shows the same last syncs.
    await page.reload();
    const recent = page.getByRole('table', { name: 'Recent syncs' });
    await recent.waitFor();
    expect(await recent.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('[data-source="ants-github"] .run').getAttribute('data-status')).toBe(
      'succeeded',
    );
    await screenshot(page, 'sources');
    expect(errors).toEqual([]);
    await context.close();
  });
});
