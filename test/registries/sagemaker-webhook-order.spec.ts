import { createSagemakerCollector } from '@lastmile/collectors';
import { packageEvent } from '../support/sagemaker-stand-in.js';
import { deliverShuffled, fingerprint, REGISTRY_TABLES } from '../support/webhook-order.js';
import { pollAt, stageEvents, versionRow } from './registry-poll.harness.js';
import { sagemakerHooks } from './sagemaker-hooks.harness.js';

// A SageMaker event never moves an approval back. Each model package keeps its newest
// LastModifiedTime: EventBridge retrying an older event after a newer one, or the same event sent
// again under a new id, is acknowledged and ignored (or, for the newest, changes nothing), as is an
// event older than what a poll stored. A malformed event is a 400 that writes nothing.

const SECRET = 'eventbridge-order-api-key';
const KEY_ID = 'AKIASTANDIN000000003';
const arn = (version: number) =>
  `arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/${version}`;
const CREATED = '2026-01-05T09:00:00Z';

describe('SageMaker event order and replays', () => {
  const hooks = sagemakerHooks({ name: 'sm-order', secret: SECRET, keyId: KEY_ID, versions: 3 });
  const { post, source } = hooks;
  const stage = async (version: number) =>
    (await versionRow(hooks.t, 'sm-order', 'churn', String(version)))?.current_stage;
  const rows = () => fingerprint(hooks.t, REGISTRY_TABLES);

  it('ignores an older "Approved" retried after a newer "Rejected", and the newest sent again', async () => {
    const approved = packageEvent('e-1', 'churn', 1, 'Approved', '2026-01-05T10:20:00Z', CREATED);
    const rejected = packageEvent('e-2', 'churn', 1, 'Rejected', '2026-01-05T10:30:00Z', CREATED);
    expect((await post(rejected).expect(200)).body.status).toBe('stored');
    expect(await stage(1)).toBe('Rejected');
    const stored = await rows();

    const retried = await post({ ...approved, id: 'e-1-retry' }).expect(200);
    expect(retried.body).toEqual({
      status: 'ignored',
      reason: `older than the stored version of model_package:${arn(1)}`,
    });
    // The newest body under a new EventBridge id: acknowledged, and nothing changes.
    await post({ ...rejected, id: 'e-2-again' }).expect(200);
    expect(await stage(1)).toBe('Rejected');
    expect(await rows()).toEqual(stored);
    expect(await stageEvents(hooks.t, 'sm-order')).toEqual([]);
  });

  it('ignores an event older than the package as a poll stored it', async () => {
    hooks.sm.at('2026-01-05T11:00:00Z').setApproval('churn', '2', 'Approved');
    await pollAt(hooks.t, createSagemakerCollector(), source(), '2026-01-05T11:05:00Z');
    expect(await stage(2)).toBe('Approved');
    const stored = await rows();
    const late = packageEvent('e-3', 'churn', 2, 'Rejected', '2026-01-05T10:50:00Z', CREATED);
    expect((await post(late).expect(200)).body).toEqual({
      status: 'ignored',
      reason: 'older than the stored model package',
    });
    expect(await stage(2)).toBe('Approved');
    // Only the package's version is recorded (as 10:50, older than the poll's 11:00).
    const { model_versions, model_stage_events, sync_cursors } = stored;
    expect(await rows()).toMatchObject({ model_versions, model_stage_events, sync_cursors });
  });

  it('keeps the newest of twenty concurrent events of one package', async () => {
    // Event n (0 to 19) was sent at 12:n; only the newest approves.
    await deliverShuffled((n) => {
      const at = `2026-01-05T12:${String(n).padStart(2, '0')}:00Z`;
      return post(
        packageEvent(`e-4-${n}`, 'churn', 3, n === 19 ? 'Approved' : 'Rejected', at, CREATED),
      );
    });
    expect(await stage(3)).toBe('Approved');
    expect(
      (await stageEvents(hooks.t, 'sm-order')).filter((e) => e.startsWith('churn 3 ')),
    ).toEqual(['churn 3 promote 2026-01-05T12:19:00Z exact ']);
    const [stored] = await hooks.t.dataSource.query(
      `SELECT updated_at FROM webhook_object_versions WHERE provider = 'sagemaker' AND object_key = $1`,
      [`model_package:${arn(3)}`],
    );
    expect(stored.updated_at).toEqual(new Date('2026-01-05T12:19:00Z'));
  });

  it.each([
    [
      'a LastModifiedTime past year 9999',
      (e: any) => (e.detail.LastModifiedTime = 3e14),
      'detail.LastModifiedTime must be a time in years 0001 to 9999',
    ],
    [
      'no ModelPackageArn',
      (e: any) => delete e.detail.ModelPackageArn,
      'detail.ModelPackageArn must be a non-empty string',
    ],
    [
      'an ARN of 1,100 bytes',
      (e: any) => (e.detail.ModelPackageArn = `arn:${'a'.repeat(1100)}`),
      'detail.ModelPackageArn must be at most 1000 bytes in UTF-8',
    ],
  ])('answers 400 to an event with %s, writing nothing', async (_, spoil, message) => {
    const event = packageEvent('e-5', 'churn', 1, 'Approved', '2026-01-05T13:00:00Z', CREATED);
    spoil(event);
    const before = await rows();
    const response = await post(event).expect(400);
    expect(response.body.message).toBe(`The EventBridge event cannot be read: ${message}.`);
    expect(await rows()).toEqual(before);
    const recorded = await hooks.t.dataSource.query(
      `SELECT 1 FROM webhook_deliveries WHERE provider = 'sagemaker' AND delivery_id = 'e-5'`,
    );
    expect(recorded).toEqual([]);
  });

  it('answers 400 naming the field when what an event maps to cannot be stored', async () => {
    const event = packageEvent(
      'e-6',
      'g'.repeat(600),
      1,
      'Approved',
      '2026-01-05T13:00:00Z',
      CREATED,
    );
    const before = await rows();
    const response = await post(event).expect(400);
    expect(response.body.details.map((d: { path: string }) => d.path)).toContain(
      'SageMaker Model Package State Change event 0.model',
    );
    expect(await rows()).toEqual(before);
  });
});
