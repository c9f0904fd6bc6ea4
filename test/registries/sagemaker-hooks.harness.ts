import request from 'supertest';
import {
  createSagemakerCollector,
  type SagemakerSource,
  sagemakerSourceSchema,
} from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { SagemakerStandIn } from '../support/sagemaker-stand-in.js';
import { pollAt } from './registry-poll.harness.js';

// The app, a SageMaker stand-in and a source taking its EventBridge events, for a describe block:
// the package group "churn" with `versions` versions, created at 09:00 and polled at 10:00 on
// 2026-01-05. The stand-in's credentials are in the environment while the block runs.

export interface SagemakerHooks {
  t: TestApp;
  sm: SagemakerStandIn;
  source(): SagemakerSource;
  post(body: unknown, secret?: string): request.Test;
}

export function sagemakerHooks(options: {
  name: string;
  secret: string;
  keyId: string;
  versions: number;
}): SagemakerHooks {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const env = `${options.name.toUpperCase().replace(/-/g, '_')}_SECRET`;
  const hooks = {
    source: () =>
      sagemakerSourceSchema.parse({
        kind: 'sagemaker',
        name: options.name,
        region: 'us-east-1',
        endpoint_url: hooks.sm.url,
        secret_env: env,
      }),
    post: (body: unknown, secret = options.secret) =>
      request(hooks.t.http)
        .post('/api/v1/webhooks/sagemaker')
        .set('X-Lastmile-Secret', secret)
        .send(body as object),
  } as SagemakerHooks;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = options.keyId;
    process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-secret';
    hooks.t = await createTestApp({ [env]: options.secret });
    hooks.sm = await new SagemakerStandIn('us-east-1', options.keyId).start();
    await request(hooks.t.http).post('/api/v1/sources').set(admin).send(hooks.source()).expect(201);
    hooks.sm.at('2026-01-05T09:00:00Z').createModel('churn');
    for (let i = 0; i < options.versions; i++) hooks.sm.createVersion('churn');
    await pollAt(hooks.t, createSagemakerCollector(), hooks.source(), '2026-01-05T10:00:00Z');
  });
  afterAll(async () => {
    await hooks.sm?.stop();
    await hooks.t?.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });
  return hooks;
}
