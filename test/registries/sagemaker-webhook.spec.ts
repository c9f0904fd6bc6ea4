import { createSagemakerCollector } from '@lastmile/collectors';
import { packageEvent } from '../support/sagemaker-stand-in.js';
import { pollAt, stageEvents, versionRow } from './registry-poll.harness.js';
import { sagemakerHooks } from './sagemaker-hooks.harness.js';

// POST /api/v1/webhooks/sagemaker: EventBridge's "SageMaker Model Package State Change" events as
// an API destination delivers them (the event JSON as the body, the connection's API key in the
// X-Lastmile-Secret header). An approval lands at the package's LastModifiedTime, precision exact;
// the next poll records nothing twice.

const SECRET = 'eventbridge-connection-api-key';
const KEY_ID = 'AKIASTANDIN000000002';

describe('SageMaker model package events through POST /api/v1/webhooks/sagemaker', () => {
  const hooks = sagemakerHooks({ name: 'sm-hooks', secret: SECRET, keyId: KEY_ID, versions: 1 });
  const { post, source } = hooks;

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
    expect(await stageEvents(hooks.t, 'sm-hooks')).toEqual([]);
  });

  it('records an approval at its LastModifiedTime (exact), once, and the next poll adds nothing', async () => {
    hooks.sm.at('2026-01-05T10:17:23.456Z').setApproval('churn', '1', 'Approved');
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
    expect(await stageEvents(hooks.t, 'sm-hooks')).toEqual([
      'churn 1 promote 2026-01-05T10:17:23.456Z exact ',
    ]);

    const result = await pollAt(
      hooks.t,
      createSagemakerCollector(),
      source(),
      '2026-01-05T11:00:00Z',
    );
    expect(result.error).toBeUndefined();
    expect(await stageEvents(hooks.t, 'sm-hooks')).toEqual([
      'churn 1 promote 2026-01-05T10:17:23.456Z exact ',
    ]);
    expect(await versionRow(hooks.t, 'sm-hooks', 'churn', '1')).toMatchObject({
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
    expect(await stageEvents(hooks.t, 'sm-hooks')).toHaveLength(1);
  });
});
