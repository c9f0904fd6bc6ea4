import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  MlflowStandIn,
  mlflowWebhookBody,
  mlflowWebhookHeaders,
} from '../support/mlflow-stand-in.js';
import { deliverShuffled, fingerprint, REGISTRY_TABLES } from '../support/webhook-order.js';
import { mlflowSource, pollAt, registerSource, SOURCE_NAME } from './mlflow-poll.harness.js';

// An MLflow webhook never moves an alias back. Its payloads carry no version of what they
// describe, so the time of the change (the body's signed `timestamp`) orders the deliveries of each
// alias and each version: a change older than the newest stored is acknowledged and ignored. A
// replay cannot come under a new delivery id (the id is signed), but a late, validly signed
// delivery can, and a retry of an old change is signed anew (a newer X-MLflow-Timestamp): neither
// changes anything.

const SECRET_ENV = 'MLFLOW_WEBHOOK_SECRET';
const SECRET = 'mlflow-order-secret-0123';
const CHAMPION = `model_version_alias:${SOURCE_NAME}:churn@champion`;

describe('MLflow webhook order', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  // Deliveries are signed in the 200 seconds before the tests start (the signature allows 300).
  const start = Math.floor(Date.now() / 1000);
  const deliver = (body: string, signedAt: number, deliveryId?: string) =>
    request(t.http)
      .post('/api/v1/webhooks/mlflow')
      .set(mlflowWebhookHeaders(SECRET, body, { deliveryId, timestamp: signedAt }))
      .send(body);
  const alias = (version: number, at: string) =>
    mlflowWebhookBody('model_version_alias', 'created', at, {
      name: 'churn',
      alias: 'champion',
      version: String(version),
    });
  const holders = async () =>
    (
      await t.dataSource.query(
        `SELECT version FROM model_versions
         WHERE registry = $1 AND model = 'churn' AND 'champion' = ANY (aliases) ORDER BY version`,
        [SOURCE_NAME],
      )
    ).map((row: { version: string }) => row.version);
  const rows = () => fingerprint(t, REGISTRY_TABLES);

  beforeAll(async () => {
    t = await createTestApp({ [SECRET_ENV]: SECRET });
    mlflow = await new MlflowStandIn().start();
    const source = mlflowSource(mlflow.url, { webhook_secret_env: SECRET_ENV });
    await registerSource(t, source);
    mlflow.at('2026-03-02T09:00:00Z').createModel('churn');
    for (let i = 0; i < 20; i++) mlflow.createVersion('churn');
    await pollAt(t, source, '2026-03-02T10:00:00Z');
  });
  afterAll(async () => {
    await mlflow.stop();
    await t.close();
  });

  it('ignores "champion -> 1" delivered after "champion -> 2" but sent before it', async () => {
    const second = await deliver(alias(2, '2026-03-02T10:20:00+00:00'), start - 150).expect(200);
    expect(second.body).toEqual({ status: 'stored', source: SOURCE_NAME, events: 2 });
    expect(await holders()).toEqual(['2']);
    const stored = await rows();

    const late = await deliver(alias(1, '2026-03-02T10:10:00+00:00'), start - 200).expect(200);
    expect(late.body).toEqual({
      status: 'ignored',
      source: SOURCE_NAME,
      reason: `older than the stored version of ${CHAMPION}`,
    });
    expect(await holders()).toEqual(['2']);
    expect(await rows()).toEqual(stored);

    // The newest delivery again, as MLflow would sign it anew: nothing changes either.
    await deliver(alias(2, '2026-03-02T10:20:00+00:00'), start - 150).expect(200);
    expect(await rows()).toEqual(stored);
  });

  it('ignores a late alias set after the alias was deleted', async () => {
    const deleted = mlflowWebhookBody(
      'model_version_alias',
      'deleted',
      '2026-03-02T10:40:00+00:00',
      {
        name: 'churn',
        alias: 'champion',
      },
    );
    expect((await deliver(deleted, start - 100).expect(200)).body.status).toBe('stored');
    expect(await holders()).toEqual([]);
    const late = await deliver(alias(3, '2026-03-02T10:30:00+00:00'), start - 120).expect(200);
    expect(late.body.status).toBe('ignored');
    expect(await holders()).toEqual([]);
  });

  it('keeps the newest of twenty concurrent alias moves', async () => {
    // Move n (0 to 19) sets champion on version n + 1, signed n seconds after the deletion's 90.
    await deliverShuffled((n) =>
      deliver(alias(n + 1, `2026-03-02T11:${String(n).padStart(2, '0')}:00+00:00`), start - 90 + n),
    );
    expect(await holders()).toEqual(['20']);
    const [stored] = await t.dataSource.query(
      `SELECT updated_at FROM webhook_object_versions WHERE provider = 'mlflow' AND object_key = $1`,
      [CHAMPION],
    );
    expect(stored.updated_at).toEqual(new Date('2026-03-02T11:19:00Z'));
  });

  it('ignores a retry of an old change signed after a newer change', async () => {
    const before = await rows();
    // "champion -> 5" was made at 11:04, before the stored 11:19 move; MLflow retries it now.
    const retry = await deliver(
      alias(5, '2026-03-02T11:04:00+00:00'),
      Math.floor(Date.now() / 1000),
    ).expect(200);
    expect(retry.body.status).toBe('ignored');
    expect(await holders()).toEqual(['20']);
    expect(await rows()).toEqual(before);
  });

  it.each([
    ['a timestamp in year 0', { timestamp: '0000-01-01T00:00:00+00:00' }, 'timestamp'],
    [
      'a model name of 600 bytes',
      { data: { name: 'm'.repeat(600), alias: 'champion', version: '1' } },
      'data.name',
    ],
  ])('answers 400 to a signed payload with %s, writing nothing', async (_, change, field) => {
    const body = JSON.stringify({
      ...JSON.parse(alias(1, '2026-03-02T12:00:00+00:00')),
      ...change,
    });
    const before = await rows();
    const response = await deliver(
      body,
      Math.floor(Date.now() / 1000),
      'malformed-delivery',
    ).expect(400);
    expect(response.body.error).toBe('invalid_payload');
    expect(response.body.message).toContain(`: ${field} must be`);
    expect(await rows()).toEqual(before);
    const recorded = await t.dataSource.query(
      `SELECT 1 FROM webhook_deliveries WHERE delivery_id = 'malformed-delivery'`,
    );
    expect(recorded).toEqual([]);
  });
});
