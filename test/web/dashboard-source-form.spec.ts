import { jest } from '@jest/globals';
import request from 'supertest';
import {
  BROWSER_TEST_TIMEOUT_MS,
  type DashboardFixture,
  openDashboard,
  screenshot,
  startDashboard,
} from '../support/browser.js';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);
import { emptyRepo, GithubStandIn } from '../support/github-stand-in.js';

// Sources from the page, with the admin token: add one, test it against the local GitHub stand-in,
// see the warning for a variable the server lacks, edit it, delete it.

const TOKEN_ENV = 'WEB_FORM_GITHUB_TOKEN';

describe('sources page: add, test, edit and delete a source', () => {
  let fixture: DashboardFixture;
  let github: GithubStandIn;

  beforeAll(async () => {
    github = await new GithubStandIn(new Map([['acme/serving', emptyRepo()]])).start();
    fixture = await startDashboard({ [TOKEN_ENV]: github.token }, { demo: false });
  });
  afterAll(async () => {
    await fixture?.close();
    await github?.close();
  });

  const sources = async () =>
    (await request(fixture.t.http).get('/api/v1/sources').expect(200)).body.sources as {
      name: string;
      repos?: string[];
    }[];

  it('adds a GitHub source, tests it, edits it into one that fails its test, and deletes it', async () => {
    const { page, errors, context } = await openDashboard(fixture, { token: true });
    await page.goto('/sources');
    await page.getByRole('button', { name: 'Add a source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Name').fill('serving-github');
    await form.getByLabel('API URL').fill(github.url);
    await form.getByLabel('Token variable').fill(TOKEN_ENV);
    await form.getByLabel('Repositories').fill('acme/serving');
    await form.getByRole('button', { name: 'Add source' }).click();
    const card = page.locator('[data-source="serving-github"]');
    await card.waitFor();
    expect(await form.count()).toBe(0);
    expect(await card.locator('[data-schedule]').innerText()).toMatch(
      /^Syncs every 30 minutes; next /,
    );
    expect((await sources()).map((source) => source.name)).toContain('serving-github');

    await card.getByRole('button', { name: 'Test' }).click();
    await card.locator('[data-check="ok"]').waitFor();
    expect(await card.getByRole('list', { name: 'Check result' }).innerText()).toContain(
      'can read acme/serving',
    );
    await screenshot(page, 'source-added-and-tested');

    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit serving-github' });
    await edit.getByLabel('Repositories').fill('acme/missing');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await card.getByRole('button', { name: 'Test' }).waitFor();
    expect((await sources()).find((source) => source.name === 'serving-github')?.repos).toEqual([
      'acme/missing',
    ]);
    await card.getByRole('button', { name: 'Test' }).click();
    await card.locator('[data-check="failed"]').waitFor();
    expect(await card.locator('[data-step="access"]').innerText()).toContain(
      '404 from GitHub: acme/missing does not exist or the token cannot read it',
    );

    await card.getByRole('button', { name: 'Delete…' }).click();
    await card.getByRole('button', { name: 'Delete serving-github' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await sources()).map((source) => source.name)).not.toContain('serving-github');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('adding one whose token variable the server lacks saves it and says so; its test says the same', async () => {
    const { page, context } = await openDashboard(fixture, { token: true });
    await page.goto('/sources');
    await page.getByRole('button', { name: 'Add a source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Name').fill('unset-github');
    await form.getByLabel('API URL').fill(github.url);
    await form.getByLabel('Token variable').fill('WEB_FORM_UNSET_TOKEN');
    await form.getByLabel('Repositories').fill('acme/serving');
    await form.getByRole('button', { name: 'Add source' }).click();
    const warnings = form.locator('[data-warnings]');
    await warnings.waitFor();
    expect(await warnings.innerText()).toContain(
      "WEB_FORM_UNSET_TOKEN is not set in the server's environment",
    );
    await screenshot(page, 'source-warning');
    await form.getByRole('button', { name: 'Close' }).click();
    const card = page.locator('[data-source="unset-github"]');
    await card.getByRole('button', { name: 'Test' }).click();
    await card.locator('[data-check="failed"]').waitFor();
    expect(await card.locator('[data-step="credentials"]').innerText()).toContain(
      "WEB_FORM_UNSET_TOKEN is not set in the server's environment",
    );
    expect(await card.locator('[data-step="auth"]').innerText()).toContain(
      '401 from GitHub: it needs a token',
    );
    await screenshot(page, 'source-test-failed');
    await context.close();
  });
});
