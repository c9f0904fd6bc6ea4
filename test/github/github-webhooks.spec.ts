import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import request from 'supertest';
import { ROUTED_GITHUB_EVENTS as ROUTED_EVENTS } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';

const SECRET = 'webhook-secret-for-tests';
// github.com's examples (the package's main) and each GitHub Enterprise Server version's.
const require = createRequire(import.meta.url);
type Examples = { name: string; examples: unknown[] }[];
const examples = require('@octokit/webhooks-examples') as Examples;
const EXAMPLE_SETS = ['ghes-31', 'ghes-32', 'ghes-33', 'ghes-34', 'ghes-35'].map(
  (set) => require(`@octokit/webhooks-examples/${set}/index.json`) as Examples,
);

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('POST /api/v1/webhooks/github', () => {
  let t: TestApp;
  let deliveries = 0;
  beforeAll(async () => {
    t = await createTestApp({ GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: 'unused' });
    await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'hooks',
        token_env: 'GITHUB_TOKEN',
        repos: ['Codertocat/Hello-World', 'octo-org/octo-repo'],
        webhook_secret_env: 'GITHUB_WEBHOOK_SECRET',
        incident_label: 'bug',
      })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (
    event: string,
    payload: unknown,
    options: { delivery?: string; signature?: string } = {},
  ) => {
    const body = JSON.stringify(payload);
    return request(t.http)
      .post('/api/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', event)
      .set('x-github-delivery', options.delivery ?? `delivery-${++deliveries}`)
      .set('x-hub-signature-256', options.signature ?? sign(body))
      .send(body);
  };
  const example = (event: string, action?: string) =>
    structuredClone(
      examples
        .find((e) => e.name === event)!
        .examples.find((x: any) => !action || x.action === action),
    ) as any;
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('answers 401 to a bad or missing signature and stores nothing', async () => {
    const payload = example('pull_request', 'opened');
    await send('pull_request', payload, {
      signature: sign(JSON.stringify(payload), 'wrong-secret'),
    }).expect(401);
    const missing = await request(t.http)
      .post('/api/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'pull_request')
      .set('x-github-delivery', 'no-signature')
      .send(JSON.stringify(payload))
      .expect(401);
    expect(missing.body.error).toBe('invalid_signature');
    expect(await count('webhook_deliveries')).toBe(0);
    expect(await count('pull_requests')).toBe(0);
  });

  it('stores a pull request under the native id the collector uses', async () => {
    const payload = example('pull_request', 'opened');
    const response = await send('pull_request', payload).expect(200);
    expect(response.body).toEqual({ status: 'stored', sources: ['hooks'], events: 1 });
    const rows = await t.dataSource.query(
      `SELECT source, native_id, repo, number FROM pull_requests`,
    );
    expect(rows).toEqual([
      {
        source: 'hooks',
        native_id: `Codertocat/Hello-World/pulls/${payload.pull_request.number}`,
        repo: 'Codertocat/Hello-World',
        number: payload.pull_request.number,
      },
    ]);
  });

  it('acknowledges a replayed delivery and changes nothing', async () => {
    const payload = example('pull_request', 'opened');
    payload.pull_request.title = 'first version';
    await send('pull_request', payload, { delivery: 'replayed' }).expect(200);
    const before = await t.dataSource.query(`SELECT title, updated_at FROM pull_requests`);
    payload.pull_request.title = 'changed in the replay';
    const replay = await send('pull_request', payload, { delivery: 'replayed' }).expect(200);
    expect(replay.body.status).toBe('duplicate');
    expect(await t.dataSource.query(`SELECT title, updated_at FROM pull_requests`)).toEqual(before);
  });

  it('adds a review to the stored PR, keeping the reviews it had', async () => {
    const review = example('pull_request_review', 'submitted');
    await send('pull_request_review', review).expect(200);
    const second = structuredClone(review);
    second.review.user.login = 'another-reviewer';
    second.review.submitted_at = '2019-05-16T00:00:00Z';
    await send('pull_request_review', second).expect(200);
    const reviews = await t.dataSource.query(
      `SELECT r.author FROM pr_reviews r JOIN pull_requests p ON p.id = r.pull_request_id WHERE p.number = $1 ORDER BY r.author`,
      [review.pull_request.number],
    );
    expect(reviews.map((r: { author: string }) => r.author)).toEqual([
      'Codertocat',
      'another-reviewer',
    ]);
  });

  it('keeps a deployment finished at its success when a later status makes it inactive', async () => {
    const success = example('deployment_status');
    success.deployment_status.state = 'success';
    success.deployment_status.created_at = '2024-05-01T10:00:00Z';
    await send('deployment_status', success).expect(200);
    const inactive = structuredClone(success);
    inactive.deployment_status.state = 'inactive';
    inactive.deployment_status.created_at = '2024-05-06T10:00:00Z';
    await send('deployment_status', inactive).expect(200);
    const failure = structuredClone(success);
    failure.deployment_status.state = 'failure';
    failure.deployment_status.created_at = '2024-05-07T10:00:00Z';
    await send('deployment_status', failure).expect(200);
    const rows = await t.dataSource.query(
      `SELECT native_id, status, finished_at, is_production, environment FROM deployments`,
    );
    expect(rows).toEqual([
      {
        native_id: `${success.repository.full_name}/deployments/${success.deployment.id}`,
        status: 'success',
        finished_at: new Date('2024-05-01T10:00:00Z'),
        is_production: true,
        environment: success.deployment.environment,
      },
    ]);
  });

  it('routes every @octokit/webhooks-examples payload of the listed events without error', async () => {
    const statuses: Record<string, number> = {};
    expect(ROUTED_EVENTS.join(' ')).toBe(
      'pull_request pull_request_review deployment deployment_status workflow_run issues',
    );
    const payloads = [examples, ...EXAMPLE_SETS].flatMap((set) =>
      ROUTED_EVENTS.flatMap((name) =>
        (set.find((e) => e.name === name)?.examples ?? []).map((payload) => ({ name, payload })),
      ),
    );
    expect(payloads).toHaveLength(75 + 6 + 6 + 6 + 23 + 23);
    for (const { name, payload } of payloads) {
      const response = await send(name, payload);
      const delivery = `${name}.${(payload as any).action}`;
      expect({ delivery, status: response.status, body: response.body }).toMatchObject({
        delivery,
        status: 200,
      });
      // The sets repeat objects at other versions: an older one than stored is ignored.
      const status = /^older than/.test(response.body.reason ?? '')
        ? 'older'
        : response.body.status;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    expect(statuses.stored).toBeGreaterThan(25);
    expect(statuses.stored + statuses.older).toBeGreaterThan(40);
    // issues labelled "bug" (the source's incident label) became incidents
    expect(await count('incidents')).toBeGreaterThan(0);
  });

  it("ignores repositories that are not the source's, after recording the delivery", async () => {
    const payload = example('pull_request', 'opened');
    payload.repository.full_name = 'someone/else';
    const response = await send('pull_request', payload).expect(200);
    expect(response.body.status).toBe('ignored');
    expect(
      await t.dataSource.query(`SELECT 1 FROM pull_requests WHERE repo = 'someone/else'`),
    ).toEqual([]);
  });
  it('gives a completed workflow run to the source that takes deployments from runs', async () => {
    await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'hooks-runs',
        token_env: 'GITHUB_TOKEN',
        repos: ['Codertocat/Hello-World', 'octo-org/octo-repo'],
        webhook_secret_env: 'GITHUB_WEBHOOK_SECRET',
        deployments_from: 'workflow_runs',
        production_environment: '.',
      })
      .expect(201);
    const payload = example('workflow_run', 'completed');
    payload.workflow_run.conclusion = 'success';
    const response = await send('workflow_run', payload).expect(200);
    expect(response.body).toEqual({
      status: 'stored',
      sources: ['hooks', 'hooks-runs'],
      events: 1,
    });
    const rows = await t.dataSource.query(
      `SELECT source, native_id, environment, status, is_production FROM deployments WHERE source = 'hooks-runs'`,
    );
    expect(rows).toEqual([
      {
        source: 'hooks-runs',
        native_id: `${payload.repository.full_name}/runs/${payload.workflow_run.id}`,
        environment: payload.workflow_run.name,
        status: 'success',
        is_production: true,
      },
    ]);
  });
  it('names rows after the repository as the source spells it', async () => {
    const payload = example('pull_request', 'opened');
    payload.repository.full_name = 'CODERTOCAT/hello-world';
    payload.pull_request.number = 777;
    await send('pull_request', payload).expect(200);
    const rows = await t.dataSource.query(
      `SELECT native_id, repo FROM pull_requests WHERE number = 777 AND source = 'hooks'`,
    );
    expect(rows).toEqual([
      { native_id: 'Codertocat/Hello-World/pulls/777', repo: 'Codertocat/Hello-World' },
    ]);
  });
});
