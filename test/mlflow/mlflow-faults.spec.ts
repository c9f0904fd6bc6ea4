import request from 'supertest';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { MlflowStandIn } from '../support/mlflow-stand-in.js';
import { mlflowSource, pollAt, registerSource } from './mlflow-poll.harness.js';

// A poll that fails anywhere (a 500 halfway through the pages, a 401, a malformed response, a
// runs/get failure) writes nothing: the events, the registry state on model_versions and the
// cursors stay as the last good poll left them, and the next good poll records the change once.

const TOKEN_ENV = 'MLFLOW_TOKEN';
const TOKEN = 'stand-in-token-0123';

describe('MLflow polls that fail keep the earlier state', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  const env = { [TOKEN_ENV]: TOKEN };
  const source = () => mlflowSource(mlflow.url, { token_env: TOKEN_ENV });
  const poll = (at: string, options: { env?: Record<string, string> } = {}) =>
    pollAt(t, source(), at, { env: options.env ?? env, modelsPageSize: 2, versionsPageSize: 2 });
  const snapshot = async () => ({
    events: await t.dataSource.query(
      `SELECT native_id, model, action, at, updated_at FROM model_stage_events ORDER BY native_id`,
    ),
    versions: await t.dataSource.query(
      `SELECT native_id, model, current_stage, aliases, last_updated_at, deleted_at, updated_at FROM model_versions ORDER BY native_id`,
    ),
    cursors: await t.dataSource.query(
      `SELECT resource, scope, cursor, updated_at FROM sync_cursors ORDER BY resource, scope`,
    ),
  });

  beforeAll(async () => {
    t = await createTestApp();
    mlflow = await new MlflowStandIn({ token: TOKEN }).start();
    await registerSource(t, source());
    mlflow.at('2026-02-02T09:00:00Z');
    for (const name of ['alpha', 'beta', 'gamma']) {
      mlflow.createModel(name);
      mlflow.createVersion(name);
      mlflow.createVersion(name);
    }
    mlflow.at('2026-02-02T10:00:00Z').transitionStage('alpha', '2', 'Production');
    await poll('2026-02-02T12:00:00Z');
    // Between polls: beta/2 promoted by stage, gamma/1 given "champion", a new version of alpha.
    mlflow.at('2026-02-03T10:00:00Z').transitionStage('beta', '2', 'Production');
    mlflow.setAlias('gamma', 'champion', '1');
    mlflow.createVersion('alpha');
  });
  afterAll(async () => {
    await mlflow.stop();
    await t.close();
  });

  it('a 500 on the second page of versions', async () => {
    const before = await snapshot();
    mlflow.fail({ endpoint: 'model-versions/search', nth: 2, status: 500 });
    await expect(poll('2026-02-03T12:00:00Z')).rejects.toThrow(
      'MLflow source "mlflow-prod": model-versions/search answered HTTP 500: INTERNAL_ERROR: Stand-in failure.',
    );
    expect(await snapshot()).toEqual(before);
  });

  it("a 500 from runs/get while reading the new versions' runs", async () => {
    const before = await snapshot();
    mlflow.fail({ endpoint: 'runs/get', status: 503, body: '<html>Service Unavailable</html>' });
    await expect(poll('2026-02-03T12:00:00Z')).rejects.toThrow(
      'runs/get answered HTTP 503: <html>Service Unavailable</html>',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a 401 names the source and the variable to check', async () => {
    const before = await snapshot();
    await expect(
      poll('2026-02-03T12:00:00Z', { env: { [TOKEN_ENV]: 'an-old-token' } }),
    ).rejects.toThrow(
      'MLflow source "mlflow-prod" rejected the credentials (HTTP 401): check the value of MLFLOW_TOKEN.',
    );
    await expect(poll('2026-02-03T12:00:00Z', { env: {} })).rejects.toThrow(
      'MLflow source "mlflow-prod": the environment variable MLFLOW_TOKEN is not set.',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed response names the endpoint and the field', async () => {
    const before = await snapshot();
    mlflow.fail({
      endpoint: 'model-versions/search',
      nth: 2,
      transform: (body) => {
        const versions = body.model_versions as Record<string, unknown>[];
        delete versions[1].creation_timestamp;
        return body;
      },
    });
    await expect(poll('2026-02-03T12:00:00Z')).rejects.toThrow(
      'MLflow model-versions/search returned a malformed response: model_versions[1].creation_timestamp must be epoch milliseconds (an integer), got nothing (the field is missing).',
    );
    mlflow.fail({
      endpoint: 'registered-models/search',
      transform: (body) => ({ ...body, next_page_token: 7 }),
    });
    await expect(poll('2026-02-03T12:00:00Z')).rejects.toThrow(
      'next_page_token must be a string, got number 7',
    );
    mlflow.fail({ endpoint: 'registered-models/search', body: 'not json', status: 200 });
    await expect(poll('2026-02-03T12:00:00Z')).rejects.toThrow(
      'registered-models/search returned a malformed response: (body) is not JSON',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('the next good poll records the change once', async () => {
    await poll('2026-02-03T12:00:00Z');
    const events = await t.dataSource.query(
      `SELECT native_id, at_precision, precision_seconds FROM model_stage_events ORDER BY native_id`,
    );
    // beta/2 in Production since 10:00 (registry); gamma/1's alias seen at 12:00, window 24 h.
    expect(events).toEqual([
      {
        native_id: `alpha/2/promote/${Date.parse('2026-02-02T10:00:00Z')}`,
        at_precision: 'registry',
        precision_seconds: null,
      },
      {
        native_id: `beta/2/promote/${Date.parse('2026-02-03T10:00:00Z')}`,
        at_precision: 'registry',
        precision_seconds: null,
      },
      {
        native_id: `gamma/1/promote/${Date.parse('2026-02-03T12:00:00Z')}`,
        at_precision: 'observed',
        precision_seconds: 86400,
      },
    ]);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM model_versions`,
    );
    expect(count).toBe(7);
  });
});

describe('MLflow sync through the runner and the sources API', () => {
  let t: TestApp;
  let mlflow: MlflowStandIn;
  beforeAll(async () => {
    mlflow = await new MlflowStandIn({ username: 'lastmile', password: 'basic-secret' }).start();
    t = await createTestApp({
      MLFLOW_USER: 'lastmile',
      MLFLOW_PASSWORD: 'basic-secret',
      MLFLOW_WRONG: 'nope',
    });
    mlflow.at(Date.now() - 86_400_000).createModel('churn');
    mlflow.createVersion('churn');
    mlflow.transitionStage('churn', '1', 'Production');
  });
  afterAll(async () => {
    await mlflow.stop();
    await t.close();
  });

  const createSource = async (name: string, credentials: Record<string, string>) => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'mlflow', name, base_url: mlflow.url, ...credentials })
      .expect(201);
    return response.body.id as number;
  };

  it('a sync with basic auth records the registry and its run', async () => {
    const id = await createSource('mlflow-basic', {
      username_env: 'MLFLOW_USER',
      password_env: 'MLFLOW_PASSWORD',
    });
    const runId = await t.app.get(SyncRunner).runNow(id);
    const run = (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
    // 1 page of models, 1 page of versions, 1 runs/get.
    expect(run).toMatchObject({
      status: 'succeeded',
      error: null,
      requests: 3,
      pages: 2,
      items: 2,
    });
    const rows = await t.dataSource.query(
      `SELECT native_id, source, registry, model, current_stage FROM model_versions`,
    );
    expect(rows).toEqual([
      {
        native_id: 'churn/1',
        source: 'mlflow-basic',
        registry: 'mlflow-basic',
        model: 'churn',
        current_stage: 'Production',
      },
    ]);
  });

  it('a 401 fails the run with a message naming the source and the variables', async () => {
    const id = await createSource('mlflow-wrong', {
      username_env: 'MLFLOW_USER',
      password_env: 'MLFLOW_WRONG',
    });
    const runId = await t.app.get(SyncRunner).runNow(id);
    const run = (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      'MLflow source "mlflow-wrong" rejected the credentials (HTTP 401): check the value of MLFLOW_USER and MLFLOW_WRONG.',
    );
    const cursors = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM sync_cursors WHERE source_id = $1`,
      [id],
    );
    expect(cursors[0].count).toBe(0);
  });
});
