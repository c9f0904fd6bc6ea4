import type { AddressInfo } from 'node:net';
import { INGEST_BATCHES_AT_ONCE } from '../../api/src/ingest/ingest-admission.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';
import { makePullRequest } from '../support/factories.js';
import { partialRequest } from '../support/partial-request.js';

// POST /api/v1/events is admitted ahead of the body parsers: without the admin token it is refused
// before its body is read, and past INGEST_BATCHES_AT_ONCE batches a request waits its turn.
describe('ingest admission', () => {
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

  /** A POST that has sent half of its body; `finish` sends the rest. */
  function halfSent(token: string | null, number: number) {
    const body = JSON.stringify({
      events: [makePullRequest({ id: `admission-${number}`, repo: 'admission/repo', number })],
    });
    const half = Math.floor(body.length / 2);
    const { req, answer } = partialRequest({
      port,
      method: 'POST',
      path: '/api/v1/events',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      declared: Buffer.byteLength(body),
      sent: body.slice(0, half),
    });
    return { req, answer, finish: () => req.end(body.slice(half)) };
  }

  const stored = async (number: number) => {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pull_requests WHERE native_id = $1`,
      [`admission-${number}`],
    );
    return row.n as number;
  };

  it.each([
    { name: 'no token', token: null },
    { name: 'a wrong token', token: 'not-the-admin-token' },
  ])('refuses a batch with $name before reading its body', async ({ token }) => {
    const { req, answer } = halfSent(token, 1);
    const { status, body } = await answer;
    expect(status).toBe(401);
    expect(body.error).toBe('unauthorized');
    req.destroy();
    expect(await stored(1)).toBe(0);
  });

  it('works on two batches at once; a third waits, unread, until one of them is done', async () => {
    expect(INGEST_BATCHES_AT_ONCE).toBe(2);
    const first = halfSent(ADMIN_TOKEN, 11);
    const second = halfSent(ADMIN_TOKEN, 12);
    const third = halfSent(ADMIN_TOKEN, 13);
    third.finish();
    // Both places are held by bodies still coming: the third, whole, is not written.
    const waited = await Promise.race([
      third.answer.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 500)),
    ]);
    expect(waited).toBe('waiting');
    expect(await stored(13)).toBe(0);

    first.finish();
    expect((await first.answer).status).toBe(200);
    expect(await third.answer).toMatchObject({ status: 200, body: { accepted: 1 } });
    second.finish();
    expect((await second.answer).status).toBe(200);
    expect([await stored(11), await stored(12), await stored(13)]).toEqual([1, 1, 1]);
  });

  it('frees the place of a client that gives up, waiting or half-way through its body', async () => {
    const gaveUpHalfWay = halfSent(ADMIN_TOKEN, 21);
    const holding = halfSent(ADMIN_TOKEN, 22);
    const gaveUpWaiting = halfSent(ADMIN_TOKEN, 23);
    for (const gaveUp of [gaveUpHalfWay, gaveUpWaiting]) gaveUp.answer.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gaveUpWaiting.req.destroy();
    gaveUpHalfWay.req.destroy();
    // One place is still held; the other must be free again.
    const next = halfSent(ADMIN_TOKEN, 24);
    next.finish();
    expect((await next.answer).status).toBe(200);
    holding.finish();
    expect((await holding.answer).status).toBe(200);
    expect([await stored(21), await stored(23), await stored(24)]).toEqual([0, 0, 1]);
  });
});
