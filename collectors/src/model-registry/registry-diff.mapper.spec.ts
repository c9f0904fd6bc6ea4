import type { CollectedBatch } from '../collector.js';
import type { ModelStageEvent, ModelVersionEvent } from '../events.js';
import { mlflowProductionRule } from '../mlflow/mlflow.collector.js';
import type { ModelVersion, RegisteredModel } from './registry-snapshot.js';
import {
  diffRegistry,
  type PreviousRegistry,
  type RegistrySnapshot,
} from './registry-diff.mapper.js';

// The history rules of metrics.md ("Models") on hand-made registry states; times in hours of
// 2026-01-05 (UTC) for readability.

const H = (hour: number) => Date.parse('2026-01-05T00:00:00Z') + hour * 3_600_000;
const rule = mlflowProductionRule({
  production_stages: ['Production'],
  production_aliases: ['champion'],
});

interface V {
  v: string;
  created: number;
  updated?: number;
  stage?: string;
  run?: string | null;
}
function snap(
  models: { name: string; created: number; aliases?: Record<string, string>; versions: V[] }[],
): RegistrySnapshot {
  const registered: RegisteredModel[] = models.map((m) => ({
    name: m.name,
    creation_timestamp: m.created,
    last_updated_timestamp: null,
    aliases: Object.entries(m.aliases ?? {}).map(([alias, version]) => ({ alias, version })),
  }));
  const versions: ModelVersion[] = models.flatMap((m) =>
    m.versions.map((v) => ({
      name: m.name,
      version: v.v,
      creation_timestamp: v.created,
      last_updated_timestamp: v.updated ?? v.created,
      current_stage: v.stage ?? 'None',
      run_id: v.run === undefined ? `${m.name}-${v.v}` : v.run,
      status: 'READY',
      aliases: [],
    })),
  );
  return { models: registered, versions };
}

/** Cursors as the runner stores them, so each poll sees what the previous one wrote. */
class Store {
  private readonly cursors = new Map<string, unknown>();
  get previous(): PreviousRegistry {
    const get = <T>(resource: string, scope = '') =>
      structuredClone(this.cursors.get(`${resource}|${scope}`)) as T | undefined;
    return { poll: get('poll'), index: get('registry'), model: (key) => get('model', key) };
  }
  poll(snapshot: RegistrySnapshot, now: number): CollectedBatch {
    const batch = diffRegistry('reg', rule, this.previous, snapshot, new Map(), now);
    for (const c of batch.cursors)
      this.cursors.set(`${c.resource}|${c.scope ?? ''}`, structuredClone(c.value));
    return batch;
  }
}

const stages = (batch: CollectedBatch) =>
  batch.events
    .filter((e): e is ModelStageEvent => e.type === 'model_stage')
    .map(
      (e) =>
        `${e.model}/${e.version} ${e.action} ${e.at.slice(11, 16)} ${e.precision}${e.precision_seconds ? ` ${e.precision_seconds}` : ''} id=${e.id}`,
    );
const versions = (batch: CollectedBatch) =>
  batch.events
    .filter((e): e is ModelVersionEvent => e.type === 'model_version')
    .map((e) => `${e.id} ${e.model}/${e.version}`);

describe('diffRegistry', () => {
  it('first poll: a production stage counts from its last update even with a production alias too', () => {
    const store = new Store();
    const batch = store.poll(
      snap([
        {
          name: 'm',
          created: H(1),
          aliases: { champion: '1' },
          versions: [{ v: '1', created: H(1), updated: H(2), stage: 'production' }],
        },
      ]),
      H(3),
    );
    // Stages compare case-insensitively: "production" is the source's "Production".
    expect(stages(batch)).toEqual([`m/1 promote 02:00 registry id=m/1/promote/${H(2)}`]);
  });

  it('the registry time only when the stage alone explains the change and its update is in the window', () => {
    const store = new Store();
    store.poll(
      snap([
        {
          name: 'm',
          created: H(0),
          versions: [
            { v: '1', created: H(0) },
            { v: '2', created: H(0) },
            { v: '3', created: H(0) },
          ],
        },
      ]),
      H(1),
    );
    const batch = store.poll(
      snap([
        {
          name: 'm',
          created: H(0),
          aliases: { champion: '2' },
          versions: [
            { v: '1', created: H(0), updated: H(3), stage: 'Production' }, // stage, updated 03:00 in (01:00, 05:00]
            { v: '2', created: H(0), updated: H(3), stage: 'Production' }, // stage and alias together
            { v: '3', created: H(0), updated: H(0), stage: 'Production' }, // updated before the window
          ],
        },
      ]),
      H(5),
    );
    // The window is 4 h = 14,400 s.
    expect(stages(batch)).toEqual([
      `m/1 promote 03:00 registry id=m/1/promote/${H(3)}`,
      `m/2 promote 05:00 observed 14400 id=m/2/promote/${H(5)}`,
      `m/3 promote 05:00 observed 14400 id=m/3/promote/${H(5)}`,
    ]);
  });

  it('a poll with nothing new yields no events and only the poll cursor', () => {
    const store = new Store();
    const registry = snap([
      {
        name: 'm',
        created: H(0),
        aliases: { champion: '1', other: '2' },
        versions: [
          { v: '1', created: H(0) },
          { v: '2', created: H(0) },
        ],
      },
    ]);
    expect(store.poll(registry, H(1)).cursors).toHaveLength(3); // poll, registry index, model m
    const again = store.poll(registry, H(2));
    expect(again.events).toEqual([]);
    expect(again.cursors.map((c) => c.resource)).toEqual(['poll']);
  });

  it("a non-production alias updates the version's registry state and records no stage event", () => {
    const store = new Store();
    store.poll(snap([{ name: 'm', created: H(0), versions: [{ v: '1', created: H(0) }] }]), H(1));
    const batch = store.poll(
      snap([
        {
          name: 'm',
          created: H(0),
          aliases: { staging: '1' },
          versions: [{ v: '1', created: H(0) }],
        },
      ]),
      H(2),
    );
    expect(stages(batch)).toEqual([]);
    const [event] = batch.events as ModelVersionEvent[];
    expect(event.registry_state).toEqual({
      stage: 'None',
      aliases: ['staging'],
      last_updated_at: '2026-01-05T00:00:00.000Z',
      deleted_at: null,
    });
  });

  it('a rename is recognised even when a version was added meanwhile; ids stay, the name moves', () => {
    const store = new Store();
    store.poll(
      snap([
        {
          name: 'old',
          created: H(0),
          aliases: { champion: '1' },
          versions: [{ v: '1', created: H(0), run: 'r1' }],
        },
      ]),
      H(1),
    );
    const batch = store.poll(
      snap([
        {
          name: 'new',
          created: H(0),
          aliases: { champion: '1' },
          versions: [
            { v: '1', created: H(0), updated: H(2), run: 'r1' },
            { v: '2', created: H(3) },
          ],
        },
      ]),
      H(4),
    );
    expect(versions(batch)).toEqual(['old/1 new/1', 'old/2 new/2']);
    expect(stages(batch)).toEqual([`new/1 promote 01:00 observed id=old/1/promote/${H(1)}`]);
  });

  it('two models with the same creation time that both disappear are not guessed: deleted, and new ones', () => {
    const store = new Store();
    store.poll(
      snap([
        { name: 'a', created: H(0), versions: [] },
        { name: 'b', created: H(0), versions: [] },
      ]),
      H(1),
    );
    const batch = store.poll(
      snap([
        { name: 'c', created: H(0), versions: [] },
        { name: 'd', created: H(0), versions: [] },
      ]),
      H(2),
    );
    const index = batch.cursors.find((c) => c.resource === 'registry')!.value as {
      models: Record<string, { key: string; deleted_at?: number }>;
    };
    expect(index.models).toEqual({
      a: { key: 'a', created: H(0), deleted_at: H(2) },
      b: { key: 'b', created: H(0), deleted_at: H(2) },
      c: { key: 'c', created: H(0) },
      d: { key: 'd', created: H(0) },
    });
  });

  it("a version deleted while in production leaves it at the poll; a deleted model's versions too", () => {
    const store = new Store();
    store.poll(
      snap([
        {
          name: 'm',
          created: H(0),
          versions: [
            { v: '1', created: H(0), stage: 'Production' },
            { v: '2', created: H(0) },
          ],
        },
      ]),
      H(1),
    );
    const batch = store.poll(snap([]), H(3));
    expect(stages(batch)).toEqual([`m/1 demote 03:00 observed 7200 id=m/1/demote/${H(3)}`]);
    const deleted = batch.events.filter((e): e is ModelVersionEvent => e.type === 'model_version');
    expect(deleted.map((e) => e.registry_state?.deleted_at)).toEqual([
      '2026-01-05T03:00:00.000Z',
      '2026-01-05T03:00:00.000Z',
    ]);
  });
});
