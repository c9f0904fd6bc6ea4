import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { formatCount } from '../../web/src/lib/format.js';
import { admin } from '../support/app.js';
import {
  BROWSER_TEST_TIMEOUT_MS,
  type DashboardFixture,
  openDashboard,
  screenshot,
  startDashboard,
} from '../support/browser.js';
import { GithubStandIn } from '../support/github-stand-in.js';
import { BENCH_SHAPE, SYNTHETIC_REPO, syntheticRepo } from '../support/github-synthetic.js';

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

// The Sources page's form for every kind GET /api/v1/source-kinds lists, against the real API:
// GitLab and SageMaker sources added through it, the API's 400 beside the field it names, a
// Vertex AI source's fields prefilled for an edit, and a GitHub GraphQL run's points on its card.

type Json = Record<string, any>;

const ENV = {
  GITLAB_WEB_TOKEN: 'glpat-web-kinds',
  SAGEMAKER_WEB_SECRET: 'sagemaker-web-secret',
  VERTEX_WEB_KEY_FILE: '/nonexistent/key.json',
};

describe('sources form: every kind the API lists', () => {
  let fixture: DashboardFixture;
  let github: GithubStandIn;

  beforeAll(async () => {
    github = await new GithubStandIn().start();
    github.repos.set(
      SYNTHETIC_REPO,
      // Five pages of pull requests, and nothing else to read.
      syntheticRepo({ ...BENCH_SHAPE, pulls: 500, deployments: 0, incidents: 0 }),
    );
    fixture = await startDashboard(
      { ...ENV, WEB_KINDS_GITHUB_TOKEN: github.token },
      { demo: false },
    );
  });
  afterAll(async () => {
    await fixture?.close();
    await github?.close();
  });

  const api = () => request(fixture.t.http);
  const sourceNamed = async (name: string): Promise<Json | undefined> =>
    (await api().get('/api/v1/sources').expect(200)).body.sources.find(
      (source: Json) => source.name === name,
    );
  /** The body of the next write of a source the page sends, as it sent it. */
  const nextWrite = (page: Page, method: 'POST' | 'PATCH') =>
    page
      .waitForRequest(
        (req) => req.method() === method && /\/api\/v1\/sources(\/\d+)?$/.test(req.url()),
      )
      .then((req) => req.postDataJSON() as Json);
  const openForm = async (page: Page) => {
    await page.goto('/sources');
    await page.getByRole('button', { name: 'Add a source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Kind').waitFor();
    return form;
  };

  it('offers every kind the API lists, with its fields, their help and their defaults', async () => {
    const kinds: Json[] = (await api().get('/api/v1/source-kinds').expect(200)).body.kinds;
    const { page, context, errors } = await openDashboard(fixture, { token: true });
    // Before any source: the empty page names every kind the server takes.
    await page.goto('/sources');
    const empty = page.getByText('No sources connected').locator('..');
    // The kinds arrive after the list of sources: wait for them.
    await empty.filter({ hasText: kinds[kinds.length - 1].label }).waitFor();
    const text = await empty.innerText();
    for (const { label } of kinds) expect(text).toContain(label);
    const form = await openForm(page);
    const offered = await form
      .getByLabel('Kind')
      .locator('option')
      .evaluateAll((options) =>
        options.map((o) => ({ kind: (o as HTMLOptionElement).value, label: o.textContent })),
      );
    expect(offered).toEqual(kinds.map(({ kind, label }) => ({ kind, label })));
    for (const kind of kinds) {
      await form.getByLabel('Kind').selectOption(kind.kind);
      expect(await form.getAttribute('data-kind')).toBe(kind.kind);
      const shown = await form
        .locator('[data-field]')
        .evaluateAll((fields) => fields.map((field) => field.getAttribute('data-field')));
      expect({ kind: kind.kind, shown }).toEqual({
        kind: kind.kind,
        shown: kind.fields.map((field: Json) => field.name),
      });
    }
    await form.getByLabel('Kind').selectOption('gitlab');
    const gitlab = kinds.find((kind) => kind.kind === 'gitlab')!;
    const field = (name: string) => gitlab.fields.find((f: Json) => f.name === name);
    // Each description is the field's help, tied to its input.
    const token = form.getByLabel('Token variable', { exact: true });
    const help = await token.getAttribute('aria-describedby');
    expect(await page.locator(`#${help}`).innerText()).toContain(field('token_env').description);
    expect(await page.locator(`#${help}`).innerText()).toContain(
      'The name of the variable, never the secret.',
    );
    expect(await token.getAttribute('aria-required')).toBe('true');
    // A list is a text box; one of a few values a select, its default named; defaults as placeholders.
    expect(await form.getByLabel('Projects', { exact: true }).evaluate((e) => e.tagName)).toBe(
      'TEXTAREA',
    );
    expect(
      await form.getByLabel('Deployments from', { exact: true }).locator('option').allInnerTexts(),
    ).toEqual(['Default (deployments)', ...field('deployments_from').options]);
    expect(await form.getByLabel('Instance URL', { exact: true }).getAttribute('placeholder')).toBe(
      field('base_url').default,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('adds a GitLab source: only what was typed is sent, a list as an array, the defaults stored', async () => {
    const { page, context, errors } = await openDashboard(fixture, { token: true });
    const form = await openForm(page);
    await form.getByLabel('Kind').selectOption({ label: 'GitLab' });
    await form.getByLabel('Name', { exact: true }).fill('web-gitlab');
    await form.getByLabel('Token variable', { exact: true }).fill('GITLAB_WEB_TOKEN');
    await form.getByLabel('Projects', { exact: true }).fill('acme/serving, acme/ml/ranker');
    await form.getByLabel('Deployments from', { exact: true }).selectOption('pipelines');
    await form.getByLabel('Pipeline pattern', { exact: true }).fill('^deploy production$');
    await form.getByLabel('Exclude patterns', { exact: true }).fill('^sandbox/\n-archive$');
    await screenshot(page, 'source-form-gitlab');
    const sent = nextWrite(page, 'POST');
    await form.getByRole('button', { name: 'Add source' }).click();
    expect(await sent).toEqual({
      kind: 'gitlab',
      name: 'web-gitlab',
      token_env: 'GITLAB_WEB_TOKEN',
      projects: ['acme/serving', 'acme/ml/ranker'],
      exclude: ['^sandbox/', '-archive$'],
      deployments_from: 'pipelines',
      pipeline_pattern: '^deploy production$',
    });
    const card = page.locator('[data-source="web-gitlab"]');
    await card.waitFor();
    expect(await form.count()).toBe(0);
    expect(await card.locator('.card-description').innerText()).toMatch(/^GitLab · from api/);
    expect(await sourceNamed('web-gitlab')).toMatchObject({
      kind: 'gitlab',
      name: 'web-gitlab',
      base_url: 'https://gitlab.com',
      token_env: 'GITLAB_WEB_TOKEN',
      projects: ['acme/serving', 'acme/ml/ranker'],
      include: [],
      exclude: ['^sandbox/', '-archive$'],
      deployments_from: 'pipelines',
      pipeline_pattern: '^deploy production$',
      production_environment: '^(prod|production)$',
      schedule: '0 */30 * * * *',
    });
    expect((await sourceNamed('web-gitlab'))!.group).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('adds a SageMaker source with a select and the webhook secret variable', async () => {
    const { page, context, errors } = await openDashboard(fixture, { token: true });
    const form = await openForm(page);
    await form.getByLabel('Kind').selectOption({ label: 'SageMaker Model Registry' });
    await form.getByLabel('Name', { exact: true }).fill('web-sagemaker');
    await form.getByLabel('AWS region', { exact: true }).fill('eu-west-1');
    await form.getByLabel('Production', { exact: true }).selectOption('endpoints');
    await form.getByLabel('Endpoint pattern', { exact: true }).fill('^prod-');
    await form.getByLabel('Webhook secret variable', { exact: true }).fill('SAGEMAKER_WEB_SECRET');
    await screenshot(page, 'source-form-sagemaker');
    const sent = nextWrite(page, 'POST');
    await form.getByRole('button', { name: 'Add source' }).click();
    expect(await sent).toEqual({
      kind: 'sagemaker',
      name: 'web-sagemaker',
      region: 'eu-west-1',
      production: 'endpoints',
      endpoint_pattern: '^prod-',
      secret_env: 'SAGEMAKER_WEB_SECRET',
    });
    const card = page.locator('[data-source="web-sagemaker"]');
    await card.waitFor();
    expect(await sourceNamed('web-sagemaker')).toMatchObject({
      kind: 'sagemaker',
      region: 'eu-west-1',
      production: 'endpoints',
      endpoint_pattern: '^prod-',
      secret_env: 'SAGEMAKER_WEB_SECRET',
      schedule: '0 */10 * * * *',
    });
    expect(await card.locator('.card-description').innerText()).toMatch(
      /^SageMaker Model Registry · from api/,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the API's 400 beside each field it names, and writes nothing", async () => {
    const { page, context } = await openDashboard(fixture, { token: true });
    const form = await openForm(page);
    await form.getByLabel('Kind').selectOption('gitlab');
    await form.getByLabel('Name', { exact: true }).fill('web-gitlab-bad');
    await form.getByLabel('Token variable', { exact: true }).fill('GITLAB TOKEN');
    await form.getByLabel('Projects', { exact: true }).fill('acme');
    const sent = nextWrite(page, 'POST');
    await form.getByRole('button', { name: 'Add source' }).click();
    const body = await sent;
    // The same body straight to the API: the page shows its answer, field by field.
    const answer = (await api().post('/api/v1/sources').set(admin).send(body).expect(400)).body;
    const byPath = Object.fromEntries(
      answer.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    expect(Object.keys(byPath).sort()).toEqual(['projects[0]', 'token_env']);
    const projectsError = form.locator('[data-field-error="projects"]');
    await projectsError.waitFor();
    expect(await projectsError.innerText()).toBe(`projects[0]: ${byPath['projects[0]']}`);
    expect(await form.locator('[data-field-error="token_env"]').innerText()).toBe(byPath.token_env);
    const token = form.getByLabel('Token variable', { exact: true });
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    expect(await token.getAttribute('aria-describedby')).toContain(
      await form.locator('[data-field-error="token_env"]').getAttribute('id'),
    );
    // The form's own message stays; the details sit at their fields, not twice.
    expect(await form.locator('.form-problem').innerText()).toBe(answer.message);
    await screenshot(page, 'source-form-field-errors');

    // A rule across fields (SageMaker's endpoints need a pattern) lands on the field it names.
    await form.getByLabel('Kind').selectOption('sagemaker');
    expect(await form.locator('[data-field-error]').count()).toBe(0);
    await form.getByLabel('Name', { exact: true }).fill('web-sagemaker-bad');
    await form.getByLabel('AWS region', { exact: true }).fill('eu-west-1');
    await form.getByLabel('Production', { exact: true }).selectOption('endpoints');
    await form.getByRole('button', { name: 'Add source' }).click();
    const patternError = form.locator('[data-field-error="endpoint_pattern"]');
    await patternError.waitFor();
    expect(await patternError.innerText()).toBe(
      'needs "endpoint_pattern" when "production" is "endpoints"',
    );
    expect(await sourceNamed('web-gitlab-bad')).toBeUndefined();
    expect(await sourceNamed('web-sagemaker-bad')).toBeUndefined();
    await context.close();
  });

  it("prefills a Vertex AI source's fields for an edit, and sends only what changed", async () => {
    const created = await api()
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'vertex_ai',
        name: 'web-vertex',
        project: 'acme-ml',
        location: 'europe-west4',
        api_endpoint: 'http://127.0.0.1:9',
        credentials_env: 'VERTEX_WEB_KEY_FILE',
        production_aliases: ['prod', 'live'],
      })
      .expect(201);
    const { page, context, errors } = await openDashboard(fixture, { token: true });
    await page.goto('/sources');
    const card = page.locator('[data-source="web-vertex"]');
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit web-vertex' });
    const value = (label: string) => edit.getByLabel(label, { exact: true }).inputValue();
    expect(await value('Kind')).toBe('vertex_ai');
    expect(await edit.getByLabel('Kind').isDisabled()).toBe(true);
    expect({
      name: await value('Name'),
      project: await value('Project'),
      location: await value('Location'),
      api_endpoint: await value('API endpoint'),
      credentials_env: await value('Key file variable'),
      production_aliases: await value('Production aliases'),
      schedule: await value('Schedule (cron)'),
    }).toEqual({
      name: 'web-vertex',
      project: 'acme-ml',
      location: 'europe-west4',
      api_endpoint: 'http://127.0.0.1:9',
      credentials_env: 'VERTEX_WEB_KEY_FILE',
      production_aliases: 'prod, live',
      schedule: '0 */10 * * * *',
    });
    await screenshot(page, 'source-form-vertex-edit');

    await edit.getByLabel('Location', { exact: true }).fill('us-central1');
    await edit.getByLabel('API endpoint', { exact: true }).fill('');
    const sent = nextWrite(page, 'PATCH');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect(await sent).toEqual({ location: 'us-central1', api_endpoint: null });
    await card.getByRole('button', { name: 'Edit' }).waitFor();
    const stored = await sourceNamed('web-vertex');
    expect(stored).toMatchObject({
      id: created.body.id,
      project: 'acme-ml',
      location: 'us-central1',
      credentials_env: 'VERTEX_WEB_KEY_FILE',
      production_aliases: ['prod', 'live'],
    });
    expect(stored!.api_endpoint).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a GraphQL run's points, what the token has left, and while it runs, the time to go", async () => {
    const create = async (name: string, repo: string) =>
      (
        await api()
          .post('/api/v1/sources')
          .set(admin)
          .send({
            kind: 'github',
            name,
            base_url: github.url,
            token_env: 'WEB_KINDS_GITHUB_TOKEN',
            repos: [repo],
            api: 'graphql',
          })
          .expect(201)
      ).body.id as number;
    const runOf = async (name: string): Promise<Json> =>
      (await api().get('/api/v1/sync-runs').expect(200)).body.runs.find(
        (run: Json) => run.source === name,
      );
    const { page, context, errors } = await openDashboard(fixture, { token: true });

    // A finished run: its points and what the token had left.
    await create('web-ants', 'panjf2000/ants');
    github.resetCount();
    await page.goto('/sources');
    const ants = page.locator('[data-source="web-ants"]');
    await ants.getByRole('button', { name: 'Sync now' }).click();
    await ants.locator('.run[data-status="succeeded"]').waitFor();
    const done = await runOf('web-ants');
    expect(done.points).toBeGreaterThan(0);
    expect(done.points).toBe(github.points());
    expect(await ants.locator('[data-budget]').innerText()).toBe(
      `${formatCount(done.points)} points, ${formatCount(done.points_remaining)} left`,
    );

    // A running one whose token has too few points left for the rest: it expects to finish after
    // the reset, an hour on. Its second page of pull requests is held until the page is read.
    const pullsCost = github.graphql.queries.find((q) => q.operation === 'lastmilePulls')!.cost;
    github.graphql.points.remaining = 2 * pullsCost;
    let release!: () => void;
    let held!: () => void;
    const arrived = new Promise<void>((resolve) => (held = resolve));
    github.faults.push({
      kind: 'hold',
      match: /graphql#lastmilePulls$/,
      skip: 1,
      times: 1,
      onHold: held,
      release: new Promise((resolve) => (release = resolve)),
    });
    await create('web-synthetic', SYNTHETIC_REPO);
    await page.reload();
    const synthetic = page.locator('[data-source="web-synthetic"]');
    await synthetic.getByRole('button', { name: 'Sync now' }).click();
    await arrived;
    await synthetic.locator('.run[data-status="running"] [data-budget]').waitFor();
    const running = await runOf('web-synthetic');
    expect(running).toMatchObject({ status: 'running', points: pullsCost });
    expect(Date.parse(running.estimated_finish_at) - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(await synthetic.locator('[data-budget]').innerText()).toMatch(
      new RegExp(
        `^${formatCount(pullsCost)} points?, ${formatCount(running.points_remaining)} left, about 1(\\.0)? h to go$`,
      ),
    );
    await screenshot(page, 'sources-graphql-running');

    // The points come back before the rest is asked for: the run ends, and no time to go is shown.
    github.graphql.points.remaining = 5000;
    release();
    await synthetic.locator('.run[data-status="succeeded"]').waitFor();
    const finished = await runOf('web-synthetic');
    expect(finished.items).toBe(500);
    expect(await synthetic.locator('[data-budget]').innerText()).toBe(
      `${formatCount(finished.points)} points, ${formatCount(finished.points_remaining)} left`,
    );
    // The list of recent syncs says the same, after the counts.
    const row = page.getByRole('table', { name: 'Recent syncs' }).locator('tbody tr', {
      hasText: 'web-synthetic',
    });
    expect(await row.innerText()).toContain(
      `· ${formatCount(finished.points)} points, ${formatCount(finished.points_remaining)} left`,
    );
    await screenshot(page, 'sources-graphql-points');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 390 px wide screen: no sideways scroll, for the page and every kind of form', async () => {
    const { page, context, errors } = await openDashboard(fixture, { token: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    await page.goto('/sources');
    await page.locator('[data-source="web-synthetic"]').waitFor();
    expect(await overflow()).toBe(0);
    await screenshot(page, 'sources-390');
    const form = await openForm(page);
    const kinds = await form
      .getByLabel('Kind')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    for (const kind of kinds) {
      await form.getByLabel('Kind').selectOption(kind);
      expect({ kind, overflow: await overflow() }).toEqual({ kind, overflow: 0 });
    }
    await form.getByLabel('Kind').selectOption('gitlab');
    await form.getByLabel('Projects', { exact: true }).fill('acme');
    await form.getByRole('button', { name: 'Add source' }).click();
    await form.locator('[data-field-error="projects"]').waitFor();
    expect(await overflow()).toBe(0);
    await screenshot(page, 'source-form-390');
    expect(errors).toEqual([]);
    await context.close();
  });
});
