import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  MlflowStandIn,
  mlflowWebhookBody,
  mlflowWebhookHeaders,
} from '../support/mlflow-stand-in.js';
import { mlflowSource, pollAt, registerSource, SOURCE_NAME } from './mlflow-poll.harness.js';

// MLflow 3.3+ webhooks: signed deliveries record exact times and fold into the collector's state,
// so the next poll records nothing twice; bad signatures, stale timestamps and replays change nothing.

const SECRET_ENV = 'MLFLOW_WEBHOOK_SECRET';
const SECRET = 'mlflow-webhook-secret-0123';

describe('POST /api/v1/webhooks/mlflow', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  const source = () => mlflowSource(mlflow.url, { webhook_secret_env: SECRET_ENV });
  const poll = (at: string) => pollAt(t, source(), at);
  const deliver = (body: string, headers = mlflowWebhookHeaders(SECRET, body)) =>
    request(t.http).post('/api/v1/webhooks/mlflow').set(headers).send(body);
  const stageEvents = async () =>
    (
      await t.dataSource.query(
        `SELECT version, action, at, at_precision FROM model_stage_events WHERE registry = $1 ORDER BY at, version, action`,
        [SOURCE_NAME],
      )
    ).map(
      (e: { version: string; action: string; at: Date; at_precision: string }) =>
        `${e.version} ${e.action} ${e.at.toISOString()} ${e.at_precision}`,
    );
  const deliveries = async () =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE provider = 'mlflow'`,
      )
    )[0].n;

  beforeAll(async () => {
    t = await createTestApp({ [SECRET_ENV]: SECRET });
    mlflow = await new MlflowStandIn().start();
    await registerSource(t, source());
    mlflow.at('2026-03-02T09:00:00Z').createModel('churn');
    mlflow.createVersion('churn');
    await poll('2026-03-02T10:00:00Z');
  });
  afterAll(async () => {
    await mlflow.stop();
    await t.close();
  });

  it("an alias set on a version promotes it at the delivery's time (exact)", async () => {
    mlflow.setAlias('churn', 'champion', '1');
    const body = mlflowWebhookBody(
      'model_version_alias',
      'created',
      '2026-03-02T10:15:30.123456+00:00',
      { name: 'churn', alias: 'champion', version: '1' },
    );
    const headers = mlflowWebhookHeaders(SECRET, body, { deliveryId: 'delivery-1' });
    expect((await deliver(body, headers).expect(200)).body).toEqual({
      status: 'stored',
      source: SOURCE_NAME,
      events: 2,
    });
    expect(await stageEvents()).toEqual(['1 promote 2026-03-02T10:15:30.123Z exact']);
    const [row] = await t.dataSource.query(
      `SELECT aliases FROM model_versions WHERE model = 'churn' AND version = '1'`,
    );
    expect(row.aliases).toEqual(['champion']);

    // The same delivery again is acknowledged and changes nothing.
    expect((await deliver(body, headers).expect(200)).body).toEqual({
      status: 'duplicate',
      source: SOURCE_NAME,
    });
    expect(await stageEvents()).toHaveLength(1);
  });

  it('the next poll finds the registry as the webhook left it and records nothing', async () => {
    const result = await poll('2026-03-02T11:00:00Z');
    expect(result).toMatchObject({ events: 0, inserted: 0, updated: 0 });
  });

  it('a version created, then the alias moved to it: a demote and a promote, both exact', async () => {
    mlflow.at('2026-03-02T11:20:00Z');
    const version = mlflow.createVersion('churn', { runStartedAt: '2026-03-02T11:00:00Z' });
    const created = mlflowWebhookBody(
      'model_version',
      'created',
      '2026-03-02T11:20:00.000000+00:00',
      {
        name: 'churn',
        version,
        source: `runs:/${mlflow.runOf('churn', version)}/model`,
        run_id: mlflow.runOf('churn', version),
        tags: {},
        description: null,
      },
    );
    expect((await deliver(created).expect(200)).body).toMatchObject({
      status: 'stored',
      events: 1,
    });
    mlflow.setAlias('churn', 'champion', version);
    const moved = mlflowWebhookBody('model_version_alias', 'created', '2026-03-02T11:45:00+00:00', {
      name: 'churn',
      alias: 'champion',
      version,
    });
    expect((await deliver(moved).expect(200)).body).toMatchObject({ status: 'stored', events: 4 });
    expect(await stageEvents()).toEqual([
      '1 promote 2026-03-02T10:15:30.123Z exact',
      '1 demote 2026-03-02T11:45:00.000Z exact',
      '2 promote 2026-03-02T11:45:00.000Z exact',
    ]);

    // The poll fills in what a webhook cannot know (the run's start) and records no stage event.
    const result = await poll('2026-03-02T12:00:00Z');
    expect(result.inserted).toBe(0);
    expect(await stageEvents()).toHaveLength(3);
    const [row] = await t.dataSource.query(
      `SELECT created_at, run_started_at, aliases FROM model_versions WHERE model = 'churn' AND version = '2'`,
    );
    expect(row).toEqual({
      created_at: new Date('2026-03-02T11:20:00Z'),
      run_started_at: new Date('2026-03-02T11:00:00Z'),
      aliases: ['champion'],
    });
  });

  it('an alias deleted demotes its version; other events are acknowledged and ignored', async () => {
    mlflow.deleteAlias('churn', 'champion');
    const deleted = mlflowWebhookBody(
      'model_version_alias',
      'deleted',
      '2026-03-02T13:00:00+00:00',
      { name: 'churn', alias: 'champion' },
    );
    expect((await deliver(deleted).expect(200)).body).toMatchObject({
      status: 'stored',
      events: 2,
    });
    expect((await stageEvents()).at(-1)).toBe('2 demote 2026-03-02T13:00:00.000Z exact');
    const tag = mlflowWebhookBody('model_version_tag', 'set', '2026-03-02T13:01:00+00:00', {
      name: 'churn',
      version: '2',
      key: 'k',
      value: 'v',
    });
    expect((await deliver(tag).expect(200)).body).toEqual({
      status: 'ignored',
      source: SOURCE_NAME,
      reason: '"model_version_tag.set" events are not used',
    });
    expect((await poll('2026-03-02T14:00:00Z')).events).toBe(0);
  });

  it('a wrong signature, a stale timestamp or a missing header is a 401 and stores nothing', async () => {
    const before = { events: await stageEvents(), deliveries: await deliveries() };
    const body = mlflowWebhookBody('model_version_alias', 'created', '2026-03-02T15:00:00+00:00', {
      name: 'churn',
      alias: 'champion',
      version: '1',
    });
    const wrong = mlflowWebhookHeaders('another-secret', body);
    const response = await deliver(body, wrong).expect(401);
    expect(response.body.error).toBe('invalid_signature');
    const stale = mlflowWebhookHeaders(SECRET, body, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    await deliver(body, stale).expect(401);
    const unsigned = mlflowWebhookHeaders(SECRET, body);
    delete unsigned['X-MLflow-Signature'];
    await deliver(body, unsigned).expect(401);
    // The body changed after signing.
    await deliver(body.replace('"1"', '"2"'), mlflowWebhookHeaders(SECRET, body)).expect(401);
    expect({ events: await stageEvents(), deliveries: await deliveries() }).toEqual(before);
  });

  it('a signed payload missing a field is a 400 naming it', async () => {
    const body = JSON.stringify({
      entity: 'model_version_alias',
      action: 'created',
      timestamp: '2026-03-02T15:00:00+00:00',
      data: { name: 'churn', alias: 'champion' },
    });
    const response = await deliver(body).expect(400);
    expect(response.body).toMatchObject({
      error: 'invalid_payload',
      message:
        'The MLflow webhook payload cannot be read: data.version must be a non-empty string.',
    });
  });
});
