import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { unreachable } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { emptyRepo, GithubStandIn } from '../support/github-stand-in.js';
import { MlflowStandIn } from '../support/mlflow-stand-in.js';

// POST /api/v1/sources/{id}/test runs the kind's check (github.check.ts, mlflow.check.ts) against
// local stand-ins: which steps worked, and a sentence for the one that did not.

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('checking a source', () => {
  let t: TestApp;
  let github: GithubStandIn;
  let mlflow: MlflowStandIn;
  beforeAll(async () => {
    github = await new GithubStandIn(new Map([['acme/serving', emptyRepo()]])).start();
    mlflow = await new MlflowStandIn({ token: 'mlflow-secret' }).start();
    t = await createTestApp({
      CHECK_GITHUB_TOKEN: github.token,
      CHECK_EXPIRED_TOKEN: 'expired-token',
      CHECK_MLFLOW_TOKEN: 'mlflow-secret',
      CHECK_MLFLOW_WRONG_TOKEN: 'not-the-token',
    });
  });
  afterAll(async () => {
    await t.close();
    await github.close();
    await mlflow.stop();
  });

  let count = 0;
  const create = async (body: Record<string, unknown>) => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ name: `check-${++count}`, ...body })
      .expect(201);
    return response.body as { id: number; warnings: string[]; schedule_words: string };
  };
  const test = async (id: number) =>
    (await request(t.http).post(`/api/v1/sources/${id}/test`).set(admin).expect(200)).body;

  it('a GitHub source that can sync: every step worked', async () => {
    const source = await create({
      kind: 'github',
      base_url: github.url,
      token_env: 'CHECK_GITHUB_TOKEN',
      repos: ['acme/serving'],
    });
    expect(source.warnings).toEqual([]);
    expect(await test(source.id)).toEqual({
      ok: true,
      steps: [
        { step: 'credentials', ok: true, message: 'CHECK_GITHUB_TOKEN set' },
        { step: 'reach', ok: true, message: `${new URL(github.url).host} answered` },
        { step: 'auth', ok: true, message: 'GitHub accepted the token' },
        { step: 'access', ok: true, message: 'can read acme/serving' },
      ],
    });
  });

  it('a token variable that is not set: created with a warning, and the check says so', async () => {
    const source = await create({
      kind: 'github',
      base_url: github.url,
      token_env: 'CHECK_UNSET_TOKEN',
      repos: ['acme/serving'],
    });
    expect(source.warnings).toEqual(["CHECK_UNSET_TOKEN is not set in the server's environment"]);
    const check = await test(source.id);
    expect(check.ok).toBe(false);
    expect(check.steps[0]).toEqual({
      step: 'credentials',
      ok: false,
      message: "CHECK_UNSET_TOKEN is not set in the server's environment",
    });
  });

  it('an expired token: 401 from GitHub', async () => {
    const source = await create({
      kind: 'github',
      base_url: github.url,
      token_env: 'CHECK_EXPIRED_TOKEN',
      repos: ['acme/serving'],
    });
    const check = await test(source.id);
    expect(check.ok).toBe(false);
    expect(check.steps).toContainEqual({
      step: 'auth',
      ok: false,
      message: '401 from GitHub: the token is invalid or expired',
    });
  });

  it('a repository the token cannot see: 404 from GitHub naming it', async () => {
    const source = await create({
      kind: 'github',
      base_url: github.url,
      token_env: 'CHECK_GITHUB_TOKEN',
      repos: ['acme/missing'],
    });
    expect((await test(source.id)).steps.at(-1)).toEqual({
      step: 'access',
      ok: false,
      message: '404 from GitHub: acme/missing does not exist or the token cannot read it',
    });
  });

  it('a service nothing answers at: cannot reach it, and why', async () => {
    const port = await closedPort();
    const source = await create({
      kind: 'github',
      base_url: `http://127.0.0.1:${port}`,
      token_env: 'CHECK_GITHUB_TOKEN',
      repos: ['acme/serving'],
    });
    expect((await test(source.id)).steps.at(-1)).toEqual({
      step: 'reach',
      ok: false,
      message: `cannot reach 127.0.0.1:${port}: the connection was refused`,
    });
  });

  it('an MLflow source: reached and searched with its token, refused with a wrong one', async () => {
    const good = await create({
      kind: 'mlflow',
      base_url: mlflow.url,
      token_env: 'CHECK_MLFLOW_TOKEN',
    });
    expect(await test(good.id)).toMatchObject({
      ok: true,
      steps: [
        { step: 'credentials', ok: true },
        { step: 'reach', ok: true },
        { step: 'access', ok: true, message: 'can search the model registry' },
      ],
    });
    const wrong = await create({
      kind: 'mlflow',
      base_url: mlflow.url,
      token_env: 'CHECK_MLFLOW_WRONG_TOKEN',
    });
    const check = await test(wrong.id);
    expect(check.ok).toBe(false);
    expect(check.steps.at(-1)).toEqual({
      step: 'auth',
      ok: false,
      message: '401 from MLflow: the credentials are invalid or expired',
    });
  });

  it('needs the admin token, and answers 404 for a source that does not exist', async () => {
    await request(t.http).post('/api/v1/sources/1/test').expect(401);
    await request(t.http).post('/api/v1/sources/999999/test').set(admin).expect(404);
  });

  it.each([
    // fetch's errors carry the system call's code on `cause`
    [{ cause: { code: 'ENOTFOUND' } }, 'DNS lookup failed'],
    [{ cause: { code: 'EAI_AGAIN' } }, 'DNS lookup failed'],
    [{ cause: { code: 'ECONNREFUSED' } }, 'the connection was refused'],
    [{ name: 'TimeoutError' }, 'no answer within 10 s'],
    [
      { cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } },
      'TLS failed (ERR_TLS_CERT_ALTNAME_INVALID)',
    ],
  ])('says why a request got no answer: %j', (error, why) => {
    expect(unreachable('api.github.com', error)).toBe(`cannot reach api.github.com: ${why}`);
  });
});

describe('schedules in words', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['0 */30 * * * *', 'every 30 minutes'],
    ['0 */1 * * * *', 'every minute'],
    ['0 0 * * * *', 'every hour, on the hour'],
    ['0 15 */6 * * *', 'every 6 hours, at minute 15'],
    ['0 0 8 * * 1', 'every Monday at 08:00'],
    ['30 7 * * 1-5', 'weekdays at 07:30'],
    ['0 0 3 1 * *', 'on the cron schedule "0 0 3 1 * *"'],
  ])('%s reads "%s", with the next run', async (schedule, words) => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'mlflow',
        name: `schedule-${schedule.replace(/\W+/g, '-')}`,
        base_url: 'http://127.0.0.1:9',
        schedule,
      })
      .expect(201);
    expect(response.body.schedule_words).toBe(words);
    const next = Date.parse(response.body.next_run_at);
    expect(next).toBeGreaterThan(Date.now() - 1000);
    expect(next).toBeLessThan(Date.now() + 32 * 86_400_000);
  });
});
