import request from 'supertest';
import { createSagemakerCollector, sagemakerSourceSchema } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { SagemakerStandIn } from '../support/sagemaker-stand-in.js';
import { pollAt, stageEvents, versionRow } from './registry-poll.harness.js';

// POST /api/v1/webhooks/sagemaker: EventBridge's "SageMaker Model Package State Change" events as
// an API destination delivers them (the event JSON as the body, the connection's API key in the
// X-Lastmile-Secret header). An approval lands at the package's LastModifiedTime, precision exact;
// the next poll records nothing twice.

const SECRET = 'eventbridge-connection-api-key';
const KEY_ID = 'AKIASTANDIN000000002';

function packageEvent(
  id: string,
  group: string,
  version: number,
  approval: string,
  lastModified: string,
  created: string,
): Record<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: '123456789012',
    time: lastModified,
    region: 'us-east-1',
    resources: [`arn:aws:sagemaker:us-east-1:123456789012:model-package/${group}/${version}`],
    detail: {
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelPackageArn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/${group}/${version}`,
      CreationTime: Date.parse(created),
      LastModifiedTime: Date.parse(lastModified),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: approval,
    },
  };
}

describe('SageMaker model package events through POST /api/v1/webhooks/sagemaker', () => {
  let t: TestApp;
  let sm: SagemakerStandIn;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const source = () =>
    sagemakerSourceSchema.parse({
      kind: 'sagemaker',
      name: 'sm-hooks',
      region: 'us-east-1',
      endpoint_url: sm.url,
      secret_env: 'SM_HOOK_SECRET',
    });
  const post = (body: unknown, secret = SECRET) =>
    request(t.http)
      .post('/api/v1/webhooks/sagemaker')
      .set('X-Lastmile-Secret', secret)
      .send(body as object);

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-secret';
    t = await createTestApp({ SM_HOOK_SECRET: SECRET });
    sm = await new SagemakerStandIn('us-east-1', KEY_ID).start();
    await request(t.http).post('/api/v1/sources').set(admin).send(source()).expect(201);
    sm.at('2026-01-05T09:00:00Z').createModel('churn');
    sm.createVersion('churn');
    await pollAt(t, createSagemakerCollector(), source(), '2026-01-05T10:00:00Z');
  });
  afterAll(async () => {
    await sm.stop();
    await t.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('refuses a wrong secret with 401 and stores nothing', async () => {
    const event = packageEvent(
      'e-0',
      'churn',
      1,
      'Approved',
      '2026-01-05T10:17:23.456Z',
      '2026-01-05T09:00:00Z',
    );
    const response = await post(event, 'not-the-secret').expect(401);
    expect(response.body.error).toBe('invalid_secret');
    expect(await stageEvents(t, 'sm-hooks')).toEqual([]);
  });

  it('records an approval at its LastModifiedTime (exact), once, and the next poll adds nothing', async () => {
    sm.at('2026-01-05T10:17:23.456Z').setApproval('churn', '1', 'Approved');
    const event = packageEvent(
      'e-1',
      'churn',
      1,
      'Approved',
      '2026-01-05T10:17:23.456Z',
      '2026-01-05T09:00:00Z',
    );
    expect((await post(event).expect(200)).body).toEqual({
      status: 'stored',
      sources: ['sm-hooks'],
      events: 2,
    });
    expect((await post(event).expect(200)).body).toEqual({ status: 'duplicate' });
    expect(await stageEvents(t, 'sm-hooks')).toEqual([
      'churn 1 promote 2026-01-05T10:17:23.456Z exact ',
    ]);

    const result = await pollAt(t, createSagemakerCollector(), source(), '2026-01-05T11:00:00Z');
    expect(result.error).toBeUndefined();
    expect(await stageEvents(t, 'sm-hooks')).toEqual([
      'churn 1 promote 2026-01-05T10:17:23.456Z exact ',
    ]);
    expect(await versionRow(t, 'sm-hooks', 'churn', '1')).toMatchObject({
      current_stage: 'Approved',
    });
  });

  it('ignores other detail-types and other regions, and names a malformed event', async () => {
    expect(
      (
        await post({
          id: 'x',
          'detail-type': 'SageMaker Endpoint State Change',
          source: 'aws.sagemaker',
        }).expect(200)
      ).body,
    ).toEqual({
      status: 'ignored',
      reason: '"SageMaker Endpoint State Change" events are not used',
    });
    const elsewhere = {
      ...packageEvent(
        'e-2',
        'churn',
        1,
        'Rejected',
        '2026-01-05T12:00:00Z',
        '2026-01-05T09:00:00Z',
      ),
      region: 'eu-west-1',
    };
    expect((await post(elsewhere).expect(200)).body.status).toBe('ignored');
    const broken = packageEvent(
      'e-3',
      'churn',
      1,
      'Rejected',
      '2026-01-05T12:00:00Z',
      '2026-01-05T09:00:00Z',
    );
    delete (broken.detail as Record<string, unknown>).ModelPackageGroupName;
    expect((await post(broken).expect(400)).body.message).toBe(
      'The EventBridge event cannot be read: detail.ModelPackageGroupName must be a non-empty string.',
    );
    expect(await stageEvents(t, 'sm-hooks')).toHaveLength(1);
  });
});
