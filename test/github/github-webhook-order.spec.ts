import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import request from 'supertest';
import { pullRequestId } from '@lastmile/collectors';
import { GithubWebhookKeysPerSource1765720000000 } from '../../migrations/1765720000000-github-webhook-keys-per-source.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { deliverShuffled, fingerprint, storePolledMerge } from '../support/webhook-order.js';

// A webhook never moves a row back: an older payload (by the pull request's updated_at) is
// acknowledged and ignored, a replay with a fresh delivery id changes nothing, and a signed but
// malformed payload is a 400 that writes nothing.

const SECRET = 'webhook-order-secret';
/** A second host's hooks (GitHub Enterprise Server) with a repository of the same name. */
const ENTERPRISE_SECRET = 'webhook-order-enterprise-secret';
const REPO = 'Codertocat/Hello-World';
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

type Json = any;
// The package's main is JSON, which jest's ESM mode wants imported with an attribute: require it.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: Json[];
}[];
const opened = (): Json =>
  structuredClone(
    examples
      .find((e) => e.name === 'pull_request')!
      .examples.find((x: Json) => x.action === 'opened'),
  );

/** The opened example as it is at `minute` past 10:00, merged when `merged`. */
function version(number: number, minute: number, merged = false): Json {
  const payload = opened();
  const at = `2026-03-02T10:${String(minute).padStart(2, '0')}:00Z`;
  payload.number = number;
  Object.assign(payload.pull_request, {
    number,
    title: `version ${minute}`,
    created_at: '2026-03-02T09:00:00Z',
    updated_at: at,
  });
  if (merged) {
    payload.action = 'closed';
    Object.assign(payload.pull_request, {
      state: 'closed',
      merged: true,
      merged_at: at,
      closed_at: at,
      merge_commit_sha: 'c0ffee0000000000000000000000000000000000',
    });
  }
  return payload;
}

describe('GitHub webhook order and replays', () => {
  let t: TestApp;
  let deliveries = 0;
  beforeAll(async () => {
    t = await createTestApp({
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_ENTERPRISE_SECRET: ENTERPRISE_SECRET,
      GITHUB_TOKEN: 'unused-token',
    });
    for (const [name, secretEnv] of [
      ['hooks', 'GITHUB_WEBHOOK_SECRET'],
      ['enterprise', 'GITHUB_ENTERPRISE_SECRET'],
    ])
      await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send({
          kind: 'github',
          name,
          token_env: 'GITHUB_TOKEN',
          repos: [REPO],
          webhook_secret_env: secretEnv,
          ...(name === 'enterprise' ? { base_url: 'https://github.example.com/api/v3' } : {}),
        })
        .expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (
    event: string,
    payload: unknown,
    delivery = `order-${++deliveries}`,
    secret = SECRET,
  ) => {
    const body = JSON.stringify(payload);
    return request(t.http)
      .post('/api/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', event)
      .set('x-github-delivery', delivery)
      .set('x-hub-signature-256', sign(body, secret))
      .send(body);
  };
  const pull = async (number: number, source = 'hooks') => {
    const [row] = await t.dataSource.query(
      `SELECT title, merged_at, closed_at, merge_commit_sha FROM pull_requests
       WHERE source = $2 AND number = $1`,
      [number, source],
    );
    return row as { title: string; merged_at: Date | null } | undefined;
  };
  const rows = () =>
    fingerprint(t, { pull_requests: 'id', pull_request_payloads: 'pull_request_id' });

  it('ignores an opened payload re-sent after the merge, under a fresh delivery id', async () => {
    const before = version(1, 0);
    const after = version(1, 30, true);
    expect((await send('pull_request', before).expect(200)).body.status).toBe('stored');
    expect((await send('pull_request', after).expect(200)).body.status).toBe('stored');
    const merged = await pull(1);
    expect(merged?.merged_at).toEqual(new Date('2026-03-02T10:30:00Z'));
    const stored = await rows();

    const replay = await send('pull_request', before).expect(200);
    expect(replay.body.status).toBe('ignored');
    expect(await pull(1)).toEqual(merged);
    // The newest payload again, under a new id: nothing changes either.
    await send('pull_request', after).expect(200);
    expect(await rows()).toEqual(stored);
  });

  it('orders the pull requests of two hosts apart, though their repositories share a name', async () => {
    expect((await send('pull_request', version(4, 40)).expect(200)).body.status).toBe('stored');
    // The other host's pull request 4 of a repository of the same name, last updated earlier.
    const other = await send('pull_request', version(4, 10), undefined, ENTERPRISE_SECRET);
    expect(other.body).toEqual({ status: 'stored', sources: ['enterprise'], events: 1 });
    expect(await pull(4, 'enterprise')).toMatchObject({ title: 'version 10' });
    expect(await pull(4)).toMatchObject({ title: 'version 40' });
  });

  it('drops the versions kept under the keys without a source, and only those', async () => {
    await t.dataSource.query(
      `INSERT INTO webhook_object_versions (provider, object_key, updated_at) VALUES
         ('github', 'pull_request:acme/old#1', now()), ('github', 'issue:acme/old#2', now()),
         ('github', 'pull_request:hooks:acme/old#1', now()), ('gitlab', 'old-style', now())`,
    );
    const runner = t.dataSource.createQueryRunner();
    try {
      await new GithubWebhookKeysPerSource1765720000000().up(runner);
    } finally {
      await runner.release();
    }
    const keys: { object_key: string }[] = await t.dataSource.query(
      `SELECT object_key FROM webhook_object_versions WHERE object_key LIKE '%old%' ORDER BY 1`,
    );
    expect(keys.map((row) => row.object_key)).toEqual([
      'old-style',
      'pull_request:hooks:acme/old#1',
    ]);
  });

  it('ignores a payload older than a merge that polling stored', async () => {
    await storePolledMerge(t, {
      source: 'hooks',
      id: pullRequestId(REPO, 2),
      repo: REPO,
      number: 2,
    });
    const response = await send('pull_request', version(2, 15)).expect(200);
    expect(response.body).toEqual({
      status: 'ignored',
      reason: 'older than the stored pull request',
    });
    expect(await pull(2)).toMatchObject({
      title: 'polled',
      merged_at: new Date('2026-03-02T11:00:00Z'),
    });
  });

  it('keeps the newest of twenty concurrent deliveries of one pull request', async () => {
    await deliverShuffled((minute) => send('pull_request', version(3, minute, minute === 19)));
    expect(await pull(3)).toMatchObject({
      title: 'version 19',
      merged_at: new Date('2026-03-02T10:19:00Z'),
    });
    const [stored] = await t.dataSource.query(
      `SELECT updated_at FROM webhook_object_versions WHERE object_key = $1`,
      [`pull_request:hooks:${REPO.toLowerCase()}#3`],
    );
    expect(stored.updated_at).toEqual(new Date('2026-03-02T10:19:00Z'));
  });

  it.each([
    [
      'a number that is a string',
      (p: Json) => (p.pull_request.number = 'seven'),
      'pull_request.number',
    ],
    ['no pull_request', (p: Json) => delete p.pull_request, 'pull_request'],
    [
      '30 February',
      (p: Json) => (p.pull_request.created_at = '2026-02-30T10:00:00Z'),
      'pull_request.created_at',
    ],
    [
      'an updated_at in year 0',
      (p: Json) => (p.pull_request.updated_at = '0000-01-01T00:00:00Z'),
      'pull_request.updated_at',
    ],
    ['a number past int4', (p: Json) => (p.pull_request.number = 2 ** 31), 'pull_request.number'],
    ['a NUL in the title', (p: Json) => (p.pull_request.title = 'a\u0000b'), 'pull_request.title'],
  ])('answers 400 to a signed payload with %s, writing nothing', async (_, spoil, field) => {
    const payload = version(4, 0);
    spoil(payload);
    const before = await rows();
    const delivery = `malformed-${++deliveries}`;
    const response = await send('pull_request', payload, delivery).expect(400);
    expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await rows()).toEqual(before);
    const recorded = await t.dataSource.query(
      `SELECT 1 FROM webhook_deliveries WHERE delivery_id = $1`,
      [delivery],
    );
    expect(recorded).toEqual([]);
  });
});
