import type { AddressInfo } from 'node:net';
import { BODY_LIMITS } from '../../api/src/common/request-gate.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';
import { makePullRequest } from '../support/factories.js';
import { type PartialAnswer, partialRequest } from '../support/partial-request.js';

// Every write is authenticated before a byte of its body is read, on every spelling of its path;
// each kind of route has its own body limit.
describe('request gate', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    await new Promise<void>((listening) => t.http.listen(0, '127.0.0.1', listening));
    port = (t.http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A request that declares `declared` bytes and sends only `sent` of them. */
  const partial = (options: {
    method: string;
    path: string;
    token?: string;
    headers?: Record<string, string>;
    declared: number;
    sent: string;
  }) =>
    partialRequest({
      ...options,
      port,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
    });

  const NINE_MB = Math.floor(9.6 * 1024 * 1024);
  const writes = [
    ['POST', '/api/v1/decisions'],
    ['POST', '/API/V1/DECISIONS'],
    ['POST', '/api/v1/decisions/'],
    ['POST', '/api/v1/events'],
    ['POST', '/API/V1/EVENTS'],
    ['POST', '/api/v1/events/'],
    ['POST', '/Api/V1/Events//'],
    ['PUT', '/api/v1/teams/platform'],
    ['PATCH', '/api/v1/sources/1'],
    ['DELETE', '/api/v1/decisions/1'],
    ['POST', '/api/v1/reports'],
    ['POST', '/api/v1/no-such-route'],
  ];

  it.each(writes)(
    'refuses %s %s without the admin token before reading its body',
    async (method, path) => {
      for (const token of [undefined, 'not-the-admin-token']) {
        const { req, answer } = partial({ method, path, token, declared: NINE_MB, sent: '{"a":' });
        const { status, body } = await answer;
        req.destroy();
        expect(status).toBe(401);
        expect(body.error).toBe('unauthorized');
      }
    },
  );

  it('answers twelve unauthenticated 9.6 MB posts at once with 401, unread, and stays up', async () => {
    const requests = Array.from({ length: 12 }, () =>
      partial({ method: 'POST', path: '/api/v1/decisions', declared: NINE_MB, sent: '{"x":"' }),
    );
    const answers = await Promise.all(requests.map((r) => r.answer));
    for (const r of requests) r.req.destroy();
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(401));
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
  });

  it.each([
    ['/api/v1/webhooks/github', 'x-hub-signature-256'],
    ['/API/v1/Webhooks/MLFLOW/', 'x-mlflow-signature'],
    ['/api/v1/webhooks/sagemaker', 'x-lastmile-secret'],
    ['/api/v1/webhooks/gitlab/', 'x-gitlab-token'],
  ])('refuses an unsigned delivery to %s before reading its body', async (path, header) => {
    const { req, answer } = partial({ method: 'POST', path, declared: 1_000_000, sent: '{' });
    const { status, body } = await answer;
    req.destroy();
    expect(status).toBe(401);
    expect(body.message).toContain(header);
  });

  it.each([
    ['a decision', 'POST', '/api/v1/decisions', BODY_LIMITS.write + 1],
    ['a team', 'PUT', '/api/v1/teams/platform', BODY_LIMITS.write + 1],
    ['a webhook', 'POST', '/api/v1/webhooks/github', BODY_LIMITS.webhook + 1],
    ['a batch', 'POST', '/API/V1/EVENTS/', BODY_LIMITS.ingest + 1],
  ])('answers 413 to %s over its route limit, before reading it', async (_, method, path, size) => {
    const { req, answer } = partial({
      method,
      path,
      token: ADMIN_TOKEN,
      headers: { 'x-hub-signature-256': 'sha256=00' },
      declared: size,
      sent: '{',
    });
    const { status, body } = await answer;
    req.destroy();
    expect(status).toBe(413);
    expect(body.error).toBe('payload_too_large');
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: new Blob([JSON.stringify({ title: 'x'.repeat(BODY_LIMITS.write) })]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('holds every spelling of the ingest path to two batches at once', async () => {
    const body = (n: number) =>
      JSON.stringify({
        events: [makePullRequest({ id: `gate-${n}`, repo: 'gate/repo', number: n })],
      });
    const spellings = ['/API/V1/EVENTS', '/api/v1/events/', '/Api/V1/Events'];
    const held = spellings.slice(0, 2).map((path, i) => {
      const text = body(i + 1);
      return {
        text,
        ...partial({
          method: 'POST',
          path,
          token: ADMIN_TOKEN,
          declared: text.length,
          sent: text.slice(0, 10),
        }),
      };
    });
    const thirdText = body(3);
    const third = partial({
      method: 'POST',
      path: spellings[2],
      token: ADMIN_TOKEN,
      declared: thirdText.length,
      sent: thirdText,
    });
    const waited = await Promise.race([
      third.answer.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 500)),
    ]);
    expect(waited).toBe('waiting');
    held[0].req.end(held[0].text.slice(10));
    expect((await held[0].answer).status).toBe(200);
    expect((await third.answer).body.accepted).toBe(1);
    held[1].req.end(held[1].text.slice(10));
    expect((await held[1].answer).status).toBe(200);
  });

  it('answers 400 to a body that is not UTF-8, naming the problem', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"title":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as PartialAnswer['body']).error).toBe('invalid_utf8');
  });
});
