import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type DomainError, PayloadTooLargeError } from '../../api/src/common/errors.js';
import { BODY_LIMITS, WEBHOOK_BODIES_AT_ONCE } from '../../api/src/common/request-gate.js';
import { readSignedBody, removeDeadSpools } from '../../api/src/common/signed-body.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { partialRequest } from '../support/partial-request.js';

// A webhook cannot make the API hold a stranger's body: a wrong secret header is refused before a
// byte is read, and a body signed by HMAC waits for its signature in a file, not in memory.
const SECRET = 'gate-webhook-secret-0123456789';

describe('webhook gate', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({
      GITHUB_HOOK_SECRET: SECRET,
      GITLAB_HOOK_SECRET: SECRET,
      SM_HOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'unused',
      GITLAB_TOKEN: 'unused',
    });
    await new Promise<void>((listening) => t.http.listen(0, '127.0.0.1', listening));
    port = (t.http.address() as AddressInfo).port;
    for (const source of [
      {
        kind: 'github',
        name: 'gate-github',
        token_env: 'GITHUB_TOKEN',
        repos: ['acme/gate'],
        webhook_secret_env: 'GITHUB_HOOK_SECRET',
      },
      {
        kind: 'gitlab',
        name: 'gate-gitlab',
        base_url: 'http://127.0.0.1:9',
        token_env: 'GITLAB_TOKEN',
        projects: ['acme/gate'],
        webhook_secret_env: 'GITLAB_HOOK_SECRET',
      },
      { kind: 'sagemaker', name: 'gate-sm', region: 'us-east-1', secret_env: 'SM_HOOK_SECRET' },
    ])
      await request(t.http).post('/api/v1/sources').set(admin).send(source).expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** This process's spooled bodies (the app runs in the test's process). */
  const spooled = () =>
    readdirSync(tmpdir())
      .filter((name) => name.startsWith(`lastmile-webhook-${process.pid}-`))
      .map((name) => statSync(join(tmpdir(), name)).size);

  /** A delivery declaring `declared` bytes that sends `sent` of them. */
  const partial = (path: string, headers: Record<string, string>, declared: number, sent: string) =>
    partialRequest({ port, method: 'POST', path, headers, declared, sent });

  it.each([
    ['/api/v1/webhooks/gitlab', 'x-gitlab-token', 'invalid_token'],
    ['/API/v1/webhooks/SageMaker/', 'x-lastmile-secret', 'invalid_secret'],
  ])('refuses a wrong %s secret before reading the body', async (path, header, error) => {
    const { req, answer } = partial(path, { [header]: 'not-the-secret' }, 1_000_000, '{');
    const { status, body } = await answer;
    req.destroy();
    expect(status).toBe(401);
    expect(body.error).toBe(error);
  });

  it('refuses a signed MLflow delivery before reading it when no MLflow source has a secret', async () => {
    const { req, answer } = partial(
      '/api/v1/webhooks/mlflow',
      {
        'x-mlflow-signature': 'v1,AAAA',
        'x-mlflow-delivery-id': 'd-1',
        'x-mlflow-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      1_000_000,
      '{',
    );
    const { status, body } = await answer;
    req.destroy();
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_signature');
  });

  it('spools an unverified GitHub body to a file and removes it after the 401', async () => {
    const size = BODY_LIMITS.webhook - 1024;
    const text = `{"pad":"${'x'.repeat(size - 10)}"}`;
    const half = Math.floor(text.length / 2);
    const { req, answer } = partial(
      '/api/v1/webhooks/github',
      { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-github-event': 'ping' },
      Buffer.byteLength(text),
      text.slice(0, half),
    );
    // Half the body is on disk while the rest is awaited.
    for (let i = 0; i < 100 && (spooled()[0] ?? 0) < half; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(spooled()).toEqual([half]);
    req.end(text.slice(half));
    const { status, body } = await answer;
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_signature');
    expect(spooled()).toEqual([]);
  });

  it('answers twelve badly signed 2 MB deliveries at once with 401 and keeps no file', async () => {
    const text = `{"pad":"${'x'.repeat(BODY_LIMITS.webhook - 100)}"}`;
    const answers = await Promise.all(
      Array.from({ length: 3 * WEBHOOK_BODIES_AT_ONCE }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/api/v1/webhooks/github`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'ping',
            'x-github-delivery': `gate-${i}`,
            'x-hub-signature-256': `sha256=${'f'.repeat(64)}`,
          },
          body: text,
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(3 * WEBHOOK_BODIES_AT_ONCE).fill(401));
    expect(spooled()).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
  });

  it('reads a correctly signed body back and hands it to the route', async () => {
    const payload = { zen: 'Keep it logically awesome.', hook_id: 1 };
    const text = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
    const response = await request(t.http)
      .post('/api/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'ping')
      .set('x-github-delivery', 'gate-ping')
      .set('x-hub-signature-256', signature)
      .send(text)
      .expect(200);
    expect(response.body.status).toBe('ignored');
    expect(spooled()).toEqual([]);
  });

  it('answers 400 to a signed body that is not JSON, and 413 to one growing past the limit', async () => {
    const sign = (text: string) =>
      `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
    const broken = '{"zen": ';
    const bad = await request(t.http)
      .post('/api/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'ping')
      .set('x-github-delivery', 'gate-broken')
      .set('x-hub-signature-256', sign(broken))
      .send(broken);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_json');
    const big = `{"pad":"${'x'.repeat(BODY_LIMITS.webhook)}"}`;
    const chunked = await fetch(`http://127.0.0.1:${port}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(big) },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(spooled()).toEqual([]);
  });

  it('answers 415 to a compressed delivery, unread', async () => {
    const { req, answer } = partial(
      '/api/v1/webhooks/github',
      { 'x-hub-signature-256': 'sha256=00', 'content-encoding': 'gzip' },
      1_000_000,
      '\x1f',
    );
    const { status } = await answer;
    req.destroy();
    expect(status).toBe(415);
  });
});

// The deadline is 30 s in the gate; here the same reader runs behind a bare HTTP server with a
// short one, so a slow sender is seen refused without waiting half a minute.
describe('readSignedBody', () => {
  it('answers 408 to a body that does not arrive in time, and removes what it spooled', async () => {
    const server = createServer((req, res) => {
      readSignedBody(
        req,
        {
          limit: 1024 * 1024,
          deadlineMs: 300,
          tooLarge: () => new PayloadTooLargeError('too large'),
        },
        [{ update: () => undefined, matches: () => true }],
      ).then(
        () => res.writeHead(200).end('{}'),
        (error: DomainError) =>
          res
            .writeHead(error.status, { connection: 'close' })
            .end(JSON.stringify({ error: error.code })),
      );
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { req, answer } = partialRequest({
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: '/',
        declared: 100_000,
        sent: '{"pad":"',
      });
      const started = Date.now();
      const { status, body } = await answer;
      req.destroy();
      expect(status).toBe(408);
      expect(body.error).toBe('request_timeout');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(
        readdirSync(tmpdir()).filter((n) => n.startsWith(`lastmile-webhook-${process.pid}-`)),
      ).toEqual([]);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});

describe('removeDeadSpools', () => {
  it("removes the bodies of a process that no longer runs, and keeps a running one's", async () => {
    // A child that has exited: its pid runs no more (and is not reused this soon).
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((done) => child.on('exit', () => done(child.pid!)));
    const dead = join(tmpdir(), `lastmile-webhook-${deadPid}-left-behind.part`);
    const live = join(tmpdir(), `lastmile-webhook-${process.pid}-in-flight.part`);
    writeFileSync(dead, '{"half":');
    writeFileSync(live, '{"half":');
    try {
      // Another test process starting an app may remove it first: what counts is that it goes.
      await removeDeadSpools();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(dead, { force: true });
      rmSync(live, { force: true });
    }
  });
});
