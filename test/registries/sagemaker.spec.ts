import request from 'supertest';
import { createSagemakerCollector, sagemakerSourceSchema } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { SagemakerStandIn } from '../support/sagemaker-stand-in.js';
import {
  intervals,
  modelMetrics,
  pollAt,
  registerSource,
  stageEvents,
  versionRow,
} from './registry-poll.harness.js';

// A SageMaker Model Registry driven through a week by a script and polled once a day at noon
// (UTC) through @aws-sdk/client-sagemaker pointed at the stand-in (AWS JSON 1.1), with fake
// credentials in the environment. Under `approved`, a package's approval carries its
// LastModifiedTime (precision `registry`) when that falls between two polls; the history and the
// model metrics (by day, Mon 2026-01-05 to Fri 01-09) are checked against values worked out by
// hand. Pages of 2, so groups and packages paginate.

const REGISTRY = 'sagemaker';
const KEY_ID = 'AKIASTANDIN000000001';
const collector = createSagemakerCollector({ pageSize: 2 });
const saved: Record<string, string | undefined> = {};
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: 'true',
};

function useFakeCredentials(): void {
  for (const [name, value] of Object.entries(AWS_ENV)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
function restoreCredentials(): void {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

describe('SageMaker registry history (approved), polled through time', () => {
  let t: TestApp;
  let sm: SagemakerStandIn;
  const source = () =>
    sagemakerSourceSchema.parse({
      kind: 'sagemaker',
      name: REGISTRY,
      region: 'us-east-1',
      endpoint_url: sm.url,
    });
  const poll = (at: string) => pollAt(t, collector, source(), at);
  const events = () => stageEvents(t, REGISTRY);
  const metrics = () => modelMetrics(t);
  const describes = () => sm.requests.get('DescribeModelPackage') ?? 0;

  beforeAll(async () => {
    useFakeCredentials();
    t = await createTestApp();
    sm = await new SagemakerStandIn('us-east-1', KEY_ID).start();
    await registerSource(t, source());
  });
  afterAll(async () => {
    await sm.stop();
    await t.close();
    restoreCredentials();
  });

  it('first poll: an Approved package counts from its LastModifiedTime', async () => {
    sm.at('2026-01-05T09:00:00Z').createModel('churn');
    sm.createVersion('churn');
    sm.at('2026-01-05T10:00:00Z').setApproval('churn', '1', 'Approved');
    sm.at('2026-01-05T11:00:00Z').createModel('fraud');
    sm.createVersion('fraud');
    sm.createVersion('fraud', { failed: true }); // never usable: not registered

    const result = await poll('2026-01-05T12:00:00Z');

    expect(result.error).toBeUndefined();
    expect(await events()).toEqual(['churn 1 promote 2026-01-05T10:00:00Z registry ']);
    expect(result.inserted).toBe(3); // 2 versions + 1 stage event
    // 1 page of groups, 1 of packages per group, and each new package described once.
    expect(result.requests).toBe(1 + 2 + 2);
    expect(await versionRow(t, REGISTRY, 'churn', '1')).toMatchObject({
      native_id: 'churn/1',
      created_at: '2026-01-05T09:00:00Z',
      current_stage: 'Approved',
      last_updated_at: '2026-01-05T10:00:00Z',
      run_id: null,
    });
    expect(await versionRow(t, REGISTRY, 'fraud', '2')).toBeUndefined();
    // Lead time churn/1: 10:00 - 09:00 = 3,600 s. SageMaker packages name no run.
    expect(await metrics()).toEqual({
      inProduction: [1, 1, 1, 1, 1],
      current: 1,
      promotions: [1, 0, 0, 0, 0],
      firstTime: 1,
      total: 1,
      lead: { count: 1, median: 3600, mean: 3600 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 0, median: null },
    });
  });

  it('a poll with nothing changed lists, describes nothing, and writes only the poll time', async () => {
    const before = describes();
    const result = await poll('2026-01-05T13:00:00Z');
    expect(result).toMatchObject({ requests: 3, events: 0, inserted: 0, updated: 0, cursors: 1 });
    expect(describes()).toBe(before);
  });

  it('approvals and a rejection at their LastModifiedTime, through a 429', async () => {
    sm.at('2026-01-06T09:00:00Z').createVersion('churn');
    sm.at('2026-01-06T10:00:00Z').setApproval('churn', '2', 'Approved');
    sm.setApproval('churn', '1', 'Rejected');
    sm.at('2026-01-06T11:00:00Z').setApproval('fraud', '1', 'Approved');
    sm.fail({ match: /DescribeModelPackage$/, status: 429 });

    const result = await poll('2026-01-06T12:00:00Z');

    expect(result.error).toBeUndefined();
    expect(sm.pendingFaults).toBe(0);
    expect((await events()).slice(1)).toEqual([
      'churn 1 demote 2026-01-06T10:00:00Z registry ',
      'churn 2 promote 2026-01-06T10:00:00Z registry ',
      'fraud 1 promote 2026-01-06T11:00:00Z registry ',
    ]);
    // Leads: churn/1 3,600; churn/2 10:00 - 09:00 = 3,600; fraud/1 01-06 11:00 - 01-05 11:00 =
    // 86,400: median 3,600, mean 93,600 / 3 = 31,200. Iteration: churn/2 a day after churn/1.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 2, 2, 2],
      current: 2,
      promotions: [1, 2, 0, 0, 0],
      firstTime: 2,
      total: 3,
      lead: { count: 3, median: 3600, mean: 31200 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('a change stamped before the last poll is seen at the poll; deletion leaves production', async () => {
    // Stamped 01-06 11:30, before the previous poll (12:00), but not listed until now: the
    // registry's time is outside the window, so the poll's time stands (observed).
    sm.at('2026-01-06T11:30:00Z').setApproval('fraud', '1', 'Rejected');
    sm.at('2026-01-07T09:00:00Z').deleteVersion('churn', '2');
    sm.createModel('ltv');
    for (let minute = 0; minute < 7; minute++)
      sm.at(Date.parse('2026-01-07T09:00:00Z') + minute * 60_000).createVersion('ltv');
    sm.at('2026-01-07T10:00:00Z').setApproval('ltv', '7', 'Approved');

    await poll('2026-01-07T12:00:00Z');

    // Window 24 h = 86,400 s.
    expect((await events()).slice(4)).toEqual([
      'ltv 7 promote 2026-01-07T10:00:00Z registry ',
      'churn 2 demote 2026-01-07T12:00:00Z observed 86400',
      'fraud 1 demote 2026-01-07T12:00:00Z observed 86400',
    ]);
    expect(await intervals(t, REGISTRY)).toEqual([
      'churn/1 2026-01-05T10:00:00Z -> 2026-01-06T10:00:00Z',
      'churn/2 2026-01-06T10:00:00Z -> 2026-01-07T12:00:00Z',
      'fraud/1 2026-01-06T11:00:00Z -> 2026-01-07T12:00:00Z',
      'ltv/7 2026-01-07T10:00:00Z -> now',
    ]);
    expect(await versionRow(t, REGISTRY, 'churn', '2')).toMatchObject({
      deleted_at: '2026-01-07T12:00:00Z',
    });
    // ltv/7 created 09:06, approved 10:00: lead 3,240 s. Leads 3,240, 3,600, 3,600, 86,400:
    // median 3,600, mean 96,840 / 4 = 24,210.
    expect(await metrics()).toEqual({
      inProduction: [1, 2, 1, 1, 1],
      current: 1,
      promotions: [1, 2, 1, 0, 0],
      firstTime: 3,
      total: 4,
      lead: { count: 4, median: 3600, mean: 24210 },
      runToRegistered: { count: 0, median: null, mean: null },
      iteration: { count: 1, median: 86400 },
    });
  });

  it('rejected credentials or a denied permission fail the poll naming what to fix, and change nothing', async () => {
    sm.at('2026-01-08T09:00:00Z').setApproval('fraud', '1', 'Approved');
    const before = await events();
    process.env.AWS_ACCESS_KEY_ID = 'AKIAREVOKED000000000';
    const rejected = await poll('2026-01-08T12:00:00Z');
    process.env.AWS_ACCESS_KEY_ID = KEY_ID;
    expect(rejected.error?.message).toBe(
      'SageMaker source "sagemaker" (us-east-1): AWS rejected the credentials on ListModelPackageGroups (UnrecognizedClientException: The security token included in the request is invalid): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE.',
    );
    sm.denied.add('ListModelPackages');
    const denied = await poll('2026-01-08T12:00:00Z');
    sm.denied.clear();
    expect(denied.error?.message).toBe(
      'SageMaker source "sagemaker" (us-east-1): ListModelPackages was denied (AccessDeniedException: User: arn:aws:iam::123456789012:user/lastmile is not authorized to perform: sagemaker:ListModelPackages because no identity-based policy allows the sagemaker:ListModelPackages action): the credentials need the permission sagemaker:ListModelPackages.',
    );
    for (const result of [rejected, denied])
      expect(result).toMatchObject({ events: 0, cursors: 0 });
    expect(await events()).toEqual(before);

    // The next good poll: fraud/1 approved again at 09:00, inside the window since 01-07 12:00.
    await poll('2026-01-08T13:00:00Z');
    expect((await events()).slice(7)).toEqual(['fraud 1 promote 2026-01-08T09:00:00Z registry ']);
    expect(await poll('2026-01-08T14:00:00Z')).toMatchObject({
      events: 0,
      inserted: 0,
      cursors: 1,
    });
  });
});

describe('SageMaker registry history (endpoints)', () => {
  let t: TestApp;
  let sm: SagemakerStandIn;
  const source = () =>
    sagemakerSourceSchema.parse({
      kind: 'sagemaker',
      name: 'sm-endpoints',
      region: 'eu-west-1',
      endpoint_url: sm.url,
      production: 'endpoints',
      endpoint_pattern: '^prod-',
    });
  const poll = (at: string) => pollAt(t, collector, source(), at);

  beforeAll(async () => {
    useFakeCredentials();
    t = await createTestApp();
    sm = await new SagemakerStandIn('eu-west-1', KEY_ID).start();
    await registerSource(t, source());
  });
  afterAll(async () => {
    await sm.stop();
    await t.close();
    restoreCredentials();
  });

  it('a version is in production while a matching InService endpoint serves it', async () => {
    sm.at('2026-01-05T09:00:00Z').createModel('churn');
    sm.createVersion('churn', { approval: 'Approved' });
    sm.createVersion('churn', { approval: 'Approved' });
    sm.deploy('prod-churn', 'churn', '1');
    sm.deploy('staging-churn', 'churn', '2'); // not matching
    sm.deploy('prod-churn-canary', 'churn', '2', 'Creating'); // not InService
    const first = await poll('2026-01-05T12:00:00Z');
    expect(first.error).toBeUndefined();
    // Served now: seen at the first poll (observed), approval aside.
    expect(await stageEvents(t, 'sm-endpoints')).toEqual([
      'churn 1 promote 2026-01-05T12:00:00Z observed ',
    ]);
    expect(await versionRow(t, 'sm-endpoints', 'churn', '1')).toMatchObject({
      aliases: ['prod-churn'],
    });

    sm.at('2026-01-06T10:00:00Z').deploy('prod-churn', 'churn', '2');
    await poll('2026-01-06T12:00:00Z');
    sm.deleteEndpoint('prod-churn');
    await poll('2026-01-07T12:00:00Z');

    // Windows: 24 h each.
    expect(await stageEvents(t, 'sm-endpoints')).toEqual([
      'churn 1 promote 2026-01-05T12:00:00Z observed ',
      'churn 1 demote 2026-01-06T12:00:00Z observed 86400',
      'churn 2 promote 2026-01-06T12:00:00Z observed 86400',
      'churn 2 demote 2026-01-07T12:00:00Z observed 86400',
    ]);
    // In production at the end of 01-05 and 01-06, not after the endpoint went.
    expect((await modelMetrics(t)).inProduction).toEqual([1, 1, 0, 0, 0]);
  });
});

describe('SageMaker through the API and the sync runner', () => {
  let t: TestApp;
  let sm: SagemakerStandIn;
  beforeAll(async () => {
    useFakeCredentials();
    t = await createTestApp();
    sm = await new SagemakerStandIn('us-west-2', KEY_ID).start();
    sm.createModel('ranker');
    sm.createVersion('ranker', { approval: 'Approved' });
  });
  afterAll(async () => {
    await sm.stop();
    await t.close();
    restoreCredentials();
  });

  it('takes the source, names bad fields, and syncs with its progress', async () => {
    const bad = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'sagemaker', name: 'sm', region: 'Oregon', production: 'endpoints' })
      .expect(400);
    expect(bad.body.details).toEqual([
      { path: 'region', message: 'must be an AWS region, e.g. "us-east-1"' },
      {
        path: 'endpoint_pattern',
        message: 'needs "endpoint_pattern" when "production" is "endpoints"',
      },
    ]);
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({ kind: 'sagemaker', name: 'sm', region: 'us-west-2', endpoint_url: sm.url })
      .expect(201);
    expect(created.body).toMatchObject({
      production: 'approved',
      display: { label: 'SageMaker Model Registry' },
    });
    const { run_id } = (
      await request(t.http).post(`/api/v1/sources/${created.body.id}/sync`).set(admin).expect(202)
    ).body;
    let run: { status: string; requests: number } | undefined;
    for (let i = 0; i < 200 && (!run || run.status === 'running'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      run = (await request(t.http).get(`/api/v1/sync-runs/${run_id}`).set(admin)).body;
    }
    expect(run).toMatchObject({ status: 'succeeded', requests: 3, pages: 2, items: 2 });
    expect(sm.totalRequests).toBe(3);
  });
});
