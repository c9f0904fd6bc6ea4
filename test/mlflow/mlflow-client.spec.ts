import { MlflowStandIn } from '../support/mlflow-stand-in.js';
import { CollectorError } from '../../collectors/src/collector.js';
import { MlflowClient } from '../../collectors/src/mlflow/mlflow.client.js';
import {
  type MlflowSource,
  mlflowSourceSchema,
} from '../../collectors/src/mlflow/mlflow.source.js';

// The client against the stand-in MLflow server over real HTTP on 127.0.0.1.

const source = (url: string, extra: Partial<MlflowSource> = {}): MlflowSource =>
  mlflowSourceSchema.parse({
    kind: 'mlflow',
    name: 'mlflow-test',
    base_url: `${url}/`,
    production_stages: ['Production'],
    production_aliases: ['champion'],
    ...extra,
  });

async function all<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page.items);
  return out;
}

describe('MlflowClient', () => {
  let open: MlflowStandIn;
  let locked: MlflowStandIn;
  beforeAll(async () => {
    open = await new MlflowStandIn().start();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      open.createModel(name);
      open.createVersion(name);
    }
    open.createVersion('a');
    open.setAlias('a', 'champion', '2');
    locked = await new MlflowStandIn({ token: 'sekret-token' }).start();
    locked.createModel('x');
  });
  afterAll(async () => {
    await open.stop();
    await locked.stop();
  });

  it('follows page_token until the last page, which has none', async () => {
    let requests = 0;
    const client = new MlflowClient({
      source: source(open.url),
      secret: () => undefined,
      modelsPageSize: 2,
      versionsPageSize: 4,
      onRequest: () => requests++,
    });
    const models = await all(client.registeredModels());
    // 5 models in pages of 2: 2 + 2 + 1 = 3 requests.
    expect(models.map((page) => page.map((m) => m.name))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(models[0][0].aliases).toEqual([{ alias: 'champion', version: '2' }]);
    const versions = await all(client.modelVersions());
    // 6 versions in pages of 4: 2 requests.
    expect(versions.map((page) => page.length)).toEqual([4, 2]);
    expect(requests).toBe(5);
  });

  it("reads a run's start; a run deleted for good is null, a soft-deleted one still has its start", async () => {
    const client = new MlflowClient({ source: source(open.url), secret: () => undefined });
    const runId = open.runOf('b', '1')!;
    const started = (await client.run(runId))!.start_time;
    expect(typeof started).toBe('number');
    open.deleteRun(runId, true);
    expect(await client.run(runId)).toMatchObject({
      start_time: started,
      lifecycle_stage: 'deleted',
    });
    open.deleteRun(runId);
    expect(await client.run(runId)).toBeNull();
  });

  it('sends the bearer token named by token_env', async () => {
    const client = new MlflowClient({
      source: source(locked.url, { token_env: 'TOKEN' }),
      secret: (name) => (name === 'TOKEN' ? 'sekret-token' : undefined),
    });
    expect((await all(client.registeredModels())).flat().map((m) => m.name)).toEqual(['x']);
  });

  it('a 401 names the source and what to set or check', async () => {
    const noCredentials = new MlflowClient({ source: source(locked.url), secret: () => undefined });
    await expect(all(noCredentials.registeredModels())).rejects.toThrow(
      'MLflow source "mlflow-test" rejected the credentials (HTTP 401): the source has no credentials: set "token_env" (or "username_env" and "password_env") to the variable holding them.',
    );
    const wrong = new MlflowClient({
      source: source(locked.url, { token_env: 'TOKEN' }),
      secret: () => 'stale',
    });
    await expect(all(wrong.registeredModels())).rejects.toThrow(
      '(HTTP 401): check the value of TOKEN.',
    );
  });

  it("an error answer carries MLflow's error code and message", async () => {
    const client = new MlflowClient({
      source: source(open.url),
      secret: () => undefined,
      modelsPageSize: 5000,
    });
    const error = await all(client.registeredModels()).catch((e: unknown) => e as CollectorError);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).message).toBe(
      'MLflow source "mlflow-test": registered-models/search answered HTTP 400: INVALID_PARAMETER_VALUE: Invalid value for max_results: it must be at most 1000.',
    );
    expect((error as CollectorError).retryable).toBe(false);
    open.fail({ endpoint: 'model-versions/search', status: 502, body: '' });
    const badGateway = await all(
      new MlflowClient({ source: source(open.url), secret: () => undefined }).modelVersions(),
    ).catch((e: unknown) => e as CollectorError);
    expect(badGateway).toMatchObject({ retryable: true });
    expect((badGateway as CollectorError).message).toBe(
      'MLflow source "mlflow-test": model-versions/search answered HTTP 502.',
    );
  });

  it('a server handing back the same page token again is an error, not a loop', async () => {
    const same = Buffer.from(JSON.stringify({ offset: 0 })).toString('base64');
    open.fail({
      endpoint: 'registered-models/search',
      transform: (body) => ({ ...body, next_page_token: same }),
    });
    open.fail({
      endpoint: 'registered-models/search',
      transform: (body) => ({ ...body, next_page_token: same }),
    });
    const client = new MlflowClient({ source: source(open.url), secret: () => undefined });
    await expect(all(client.registeredModels())).rejects.toThrow(
      'next_page_token repeats an earlier page',
    );
  });

  it('a server that cannot be reached is a retryable error naming the source', async () => {
    const client = new MlflowClient({
      source: source('http://127.0.0.1:1'),
      secret: () => undefined,
    });
    const error = await all(client.registeredModels()).catch((e: unknown) => e as CollectorError);
    expect((error as CollectorError).message).toContain(
      'MLflow source "mlflow-test": registered-models/search could not be reached at http://127.0.0.1:1',
    );
    expect((error as CollectorError).retryable).toBe(true);
  });
});
