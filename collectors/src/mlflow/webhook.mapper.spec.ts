import type { ModelStageEvent } from '../events.js';
import type { MlflowSource } from './mlflow.types.js';
import type { PreviousRegistry } from '../model-registry/registry-diff.mapper.js';
import { applyMlflowWebhook, parseMlflowWebhook } from './webhook.mapper.js';

const source: MlflowSource = {
  kind: 'mlflow',
  name: 'reg',
  base_url: 'http://x',
  production_stages: ['Production'],
  production_aliases: ['champion'],
  schedule: '0 */10 * * * *',
};
const empty: PreviousRegistry = { poll: undefined, index: undefined, model: () => undefined };

describe('MLflow webhook payloads', () => {
  it.each([
    [
      {
        entity: 'registered_model',
        action: 'created',
        timestamp: '2026-01-05T10:00:00+00:00',
        data: { name: 'm' },
      },
      null,
    ],
    [
      {
        entity: 'model_version_alias',
        action: 'deleted',
        timestamp: '2026-01-05T10:00:00.123456+00:00',
        data: { name: 'm', alias: 'champion' },
      },
      {
        kind: 'model_version_alias.deleted',
        at: Date.parse('2026-01-05T10:00:00.123Z'),
        name: 'm',
        alias: 'champion',
      },
    ],
  ])('reads %j', (body, expected) => {
    expect(parseMlflowWebhook(body)).toEqual(expected);
  });

  it.each([
    [
      {
        entity: 'model_version',
        action: 'created',
        timestamp: 'yesterday',
        data: { name: 'm', version: '1' },
      },
      'timestamp must be an ISO 8601 time',
    ],
    [
      { entity: 'model_version', action: 'created', timestamp: '2026-01-05T10:00:00Z' },
      'data must be an object',
    ],
    [{ action: 'created' }, 'entity must be a non-empty string'],
  ])('refuses %j', (body, message) => {
    expect(() => parseMlflowWebhook(body)).toThrow(message);
  });

  it('an alias set on a model no poll has seen yet: a key, a pending version, an exact promote', () => {
    const at = Date.parse('2026-01-05T10:00:00Z');
    const batch = applyMlflowWebhook(source, empty, {
      kind: 'model_version_alias.created',
      at,
      name: 'm',
      alias: 'champion',
      version: '4',
    });
    // No model_version event: its creation time is unknown until a poll.
    expect(batch.events.map((e) => e.type)).toEqual(['model_stage']);
    expect(batch.events[0]).toMatchObject({
      id: `m/4/promote/${at}`,
      precision: 'exact',
      at: '2026-01-05T10:00:00.000Z',
    } satisfies Partial<ModelStageEvent>);
    expect(batch.cursors).toEqual([
      {
        resource: 'model',
        scope: 'm',
        value: {
          name: 'm',
          versions: {
            '4': {
              created: null,
              updated: null,
              stage: 'None',
              aliases: ['champion'],
              run_id: null,
              pending: true,
              history: [{ action: 'promote', at, precision: 'exact', precision_seconds: null }],
            },
          },
        },
      },
      { resource: 'registry', value: { models: { m: { key: 'm', created: null } } } },
    ]);
  });

  it("a delivery for a deleted model's name changes nothing (the next poll sorts it out)", () => {
    const previous: PreviousRegistry = {
      ...empty,
      index: { models: { m: { key: 'm', created: 1, deleted_at: 2 } } },
    };
    expect(
      applyMlflowWebhook(source, previous, {
        kind: 'model_version.created',
        at: 3,
        name: 'm',
        version: '1',
        run_id: null,
      }),
    ).toEqual({ events: [], cursors: [] });
  });
});
