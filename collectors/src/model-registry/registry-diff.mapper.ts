import type { CollectedBatch, CollectorContext, CursorUpdate } from '../collector.js';
import type { LastmileEvent } from '../events.js';
import type { ModelVersion, RegisteredModel, RegistrySnapshot } from './registry-snapshot.js';
import {
  allocateKey,
  byVersionNumber,
  INDEX_CURSOR,
  type IndexEntry,
  MODEL_CURSOR,
  type ModelState,
  POLL_CURSOR,
  type PollCursor,
  ProductionRule,
  type RegistryIndex,
  type StageRecord,
  stageEvent,
  versionEvent,
  type VersionState,
} from './registry-state.js';

/** What the cursors held before this poll. */
export interface PreviousRegistry {
  poll: PollCursor | undefined;
  index: RegistryIndex | undefined;
  model(key: string): ModelState | undefined;
}

export type { RegistrySnapshot };

/** Reads the source's stored registry state from the run's cursors. */
export function previousRegistry(context: Pick<CollectorContext, 'cursor'>): PreviousRegistry {
  return {
    poll: context.cursor<PollCursor>(POLL_CURSOR),
    index: context.cursor<RegistryIndex>(INDEX_CURSOR),
    model: (key) => context.cursor<ModelState>(MODEL_CURSOR, key),
  };
}

interface CurrentModel {
  model: RegisteredModel;
  versions: ModelVersion[];
  aliasesOf: Map<string, string[]>;
}

/** A model this poll touches: its key, its earlier state, its name from now on, what MLflow has. */
interface ModelUpdate {
  key: string;
  previous: ModelState | undefined;
  name: string;
  current: CurrentModel | null;
}

export interface Resolution {
  updates: ModelUpdate[];
  index: RegistryIndex;
}

/** Key order aside (jsonb stores object keys in its own order), are two cursor values equal? */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  const sortKeys = (_key: string, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v;
  return JSON.stringify(value ?? null, sortKeys);
}

function groupCurrent(snapshot: RegistrySnapshot): Map<string, CurrentModel> {
  const current = new Map<string, CurrentModel>();
  for (const model of snapshot.models) {
    const aliasesOf = new Map<string, string[]>();
    for (const { alias, version } of model.aliases)
      aliasesOf.set(version, [...(aliasesOf.get(version) ?? []), alias]);
    current.set(model.name, { model, versions: [], aliasesOf });
  }
  // A version of a model created between the two searches is left for the next poll.
  for (const version of snapshot.versions) current.get(version.name)?.versions.push(version);
  return current;
}

/**
 * Which key each model has, by name, creation time and versions. MLflow (open source) has no model
 * id: a model that disappears while another appears with the same creation time, and whose common
 * versions have the same creation times and run ids, was renamed and keeps its key (so its rows
 * keep their ids and only their model name changes). A deleted model whose name is taken again
 * keeps its history under "<name> (deleted <date>)", so a name always means one model.
 */
export function resolveModels(
  previous: PreviousRegistry,
  snapshot: RegistrySnapshot,
  now: number,
): Resolution {
  const oldIndex = previous.index?.models ?? {};
  const current = groupCurrent(snapshot);
  const keyOf = new Map<string, string>();

  for (const [name, entry] of Object.entries(oldIndex)) {
    const model = current.get(name);
    const sameModel =
      model &&
      entry.deleted_at === undefined &&
      (entry.created === null || entry.created === model.model.creation_timestamp);
    if (sameModel) keyOf.set(name, entry.key);
  }
  const appeared = [...current.keys()].filter((name) => !keyOf.has(name));
  const gone = Object.entries(oldIndex).filter(
    ([name, entry]) => entry.deleted_at === undefined && keyOf.get(name) !== entry.key,
  );
  const candidates = new Map<string, string[]>();
  for (const name of appeared) {
    const model = current.get(name)!;
    candidates.set(
      name,
      gone
        .filter(
          ([, entry]) =>
            entry.created === model.model.creation_timestamp &&
            sameVersions(previous.model(entry.key), model.versions),
        )
        .map(([oldName]) => oldName),
    );
  }
  const claims = new Map<string, number>();
  for (const list of candidates.values())
    for (const oldName of list) claims.set(oldName, (claims.get(oldName) ?? 0) + 1);
  for (const name of appeared) {
    const list = candidates.get(name)!;
    if (list.length === 1 && claims.get(list[0]) === 1) {
      keyOf.set(name, oldIndex[list[0]].key);
    }
  }
  const taken = new Set(Object.values(oldIndex).map((entry) => entry.key));
  for (const name of appeared) {
    if (keyOf.has(name)) continue;
    const key = allocateKey(name, taken);
    taken.add(key);
    keyOf.set(name, key);
  }

  const models: Record<string, IndexEntry> = {};
  const updates: ModelUpdate[] = [];
  const currentUpdates: ModelUpdate[] = [];
  for (const [name, model] of current) {
    const key = keyOf.get(name)!;
    models[name] = { key, created: model.model.creation_timestamp };
    currentUpdates.push({ key, previous: previous.model(key), name, current: model });
  }
  const movedKeys = new Set(keyOf.values());
  for (const [name, entry] of Object.entries(oldIndex)) {
    if (movedKeys.has(entry.key)) continue;
    const deleted: IndexEntry = { ...entry, deleted_at: entry.deleted_at ?? now };
    // The name now belongs to another model: the deleted one's history moves aside.
    let finalName = name;
    if (current.has(name)) {
      const aside = `${name} (deleted ${new Date(deleted.deleted_at!).toISOString().slice(0, 10)})`;
      finalName = aside;
      for (let n = 2; finalName in models || finalName in oldIndex; n++)
        finalName = `${aside} #${n}`;
    }
    models[finalName] = deleted;
    if (entry.deleted_at === undefined || finalName !== name) {
      updates.push({
        key: entry.key,
        previous: previous.model(entry.key),
        name: finalName,
        current: null,
      });
    }
  }
  // Models leaving a name (deleted or renamed) come first, so their rows have moved before another
  // model takes the name (model_versions is unique by registry, model and version).
  const moves = (u: ModelUpdate) =>
    u.previous !== undefined && u.previous.name !== u.name ? 0 : 1;
  updates.push(...currentUpdates.sort((a, b) => moves(a) - moves(b)));
  const index: RegistryIndex = { models: {} };
  for (const name of Object.keys(models).sort()) index.models[name] = models[name];
  return { updates, index };
}

function sameVersions(state: ModelState | undefined, versions: ModelVersion[]): boolean {
  const known = Object.entries(state?.versions ?? {}).filter(([, v]) => v.deleted_at === undefined);
  if (known.length === 0 || versions.length === 0)
    return known.length === 0 && versions.length === 0;
  let common = 0;
  for (const version of versions) {
    const before = state!.versions[version.version];
    // A version known only from a webhook has no creation time to compare yet.
    if (!before || before.deleted_at !== undefined || before.pending) continue;
    if (before.created !== null && before.created !== version.creation_timestamp) return false;
    if (before.run_id !== null && before.run_id !== version.run_id) return false;
    common++;
  }
  return common > 0;
}

/** The run ids this poll needs the start of: versions not seen before (fetched once each). */
export function runIdsToFetch(
  previous: PreviousRegistry,
  snapshot: RegistrySnapshot,
  now: number,
): string[] {
  const ids = new Set<string>();
  for (const update of resolveModels(previous, snapshot, now).updates) {
    for (const version of update.current?.versions ?? []) {
      const before = update.previous?.versions[version.version];
      if (
        version.run_id &&
        (before?.run_started_at === undefined || before.run_id !== version.run_id)
      )
        ids.add(version.run_id);
    }
  }
  return [...ids];
}

/**
 * One poll's difference from the stored state, as events and the cursors that record the new state,
 * all in one batch: a poll that fails halfway yields nothing and changes nothing.
 */
export function diffRegistry(
  registry: string,
  rule: ProductionRule,
  previous: PreviousRegistry,
  snapshot: RegistrySnapshot,
  runStarts: ReadonlyMap<string, number | null>,
  now: number,
): CollectedBatch {
  const { updates, index } = resolveModels(previous, snapshot, now);
  const events: LastmileEvent[] = [];
  const cursors: CursorUpdate[] = [
    { resource: POLL_CURSOR, value: { polled_at: now } satisfies PollCursor },
  ];
  const window = previous.poll
    ? {
        from: previous.poll.polled_at,
        seconds: Math.max(0, Math.round((now - previous.poll.polled_at) / 1000)),
      }
    : null;

  for (const update of updates) {
    const next = diffModel(registry, rule, update, runStarts, now, window, events);
    if (!sameJson(next, update.previous))
      cursors.push({ resource: MODEL_CURSOR, scope: update.key, value: next });
  }
  if (!sameJson(index, previous.index)) cursors.push({ resource: INDEX_CURSOR, value: index });
  return { events, cursors };
}

function diffModel(
  registry: string,
  rule: ProductionRule,
  update: ModelUpdate,
  runStarts: ReadonlyMap<string, number | null>,
  now: number,
  window: { from: number; seconds: number } | null,
  events: LastmileEvent[],
): ModelState {
  const { key, previous, name, current } = update;
  const versions: Record<string, VersionState> = {};
  const label = current?.model.label ?? previous?.label;
  // A new display name is written on every version row, as a new name is.
  const renamed = previous !== undefined && (previous.name !== name || previous.label !== label);
  const emitVersion = (version: string, state: VersionState) => {
    const event = versionEvent(registry, key, name, version, state, label);
    if (event) events.push(event);
  };
  const record = (version: string, state: VersionState, entry: StageRecord) => {
    state.history = [...state.history, entry];
    events.push(stageEvent(registry, key, name, version, entry));
  };
  // A renamed model's rows keep their ids; sent again under the new name, they move to it.
  if (renamed) {
    const stillThere = new Set(current?.versions.map((mv) => mv.version));
    for (const [version, state] of Object.entries(previous.versions)) {
      if (!stillThere.has(version)) emitVersion(version, state);
      if (previous.name === name) continue;
      for (const entry of state.history)
        events.push(stageEvent(registry, key, name, version, entry));
    }
  }

  const seen = new Set<string>();
  for (const mv of current?.versions ?? []) {
    seen.add(mv.version);
    const before = previous?.versions[mv.version];
    // The registered model's alias list names one version per alias; a version's own list is a
    // fallback for servers that only fill that one.
    const aliases = [
      ...(current!.model.aliases.length > 0
        ? (current!.aliasesOf.get(mv.version) ?? [])
        : mv.aliases),
    ].sort();
    const sameRun =
      before !== undefined && before.run_id === mv.run_id && before.run_started_at !== undefined;
    const state: VersionState = {
      created: mv.creation_timestamp,
      updated: mv.last_updated_timestamp,
      stage: mv.current_stage,
      aliases,
      run_id: mv.run_id,
      run_started_at: sameRun
        ? before.run_started_at
        : mv.run_id
          ? (runStarts.get(mv.run_id) ?? null)
          : null,
      history: before?.history ?? [],
    };
    const wasIn = rule.holds(before);
    const isIn = rule.holds(state);
    if (wasIn !== isIn) {
      // The registry's own time applies only when the stage alone explains the change and its
      // last update falls in the window since the previous poll (the first poll: any time).
      // On the first poll a version in a production stage counts from its last update, alias or not.
      const byStageAlone =
        rule.byStage(before) !== rule.byStage(state) &&
        (window === null || (!rule.byAlias(before) && !rule.byAlias(state)));
      const updatedInWindow =
        state.updated !== null &&
        state.updated !== before?.updated &&
        state.updated <= now &&
        (window === null || state.updated > window.from);
      const action = isIn ? 'promote' : 'demote';
      if (byStageAlone && updatedInWindow) {
        record(mv.version, state, {
          action,
          at: state.updated!,
          precision: 'registry',
          precision_seconds: null,
        });
      } else {
        record(mv.version, state, {
          action,
          at: now,
          precision: 'observed',
          precision_seconds: window?.seconds ?? null,
        });
      }
    }
    if (!before || before.pending || renamed || !sameVersionState(before, state))
      emitVersion(mv.version, state);
    versions[mv.version] = state;
  }

  for (const [version, before] of Object.entries(previous?.versions ?? {})) {
    if (seen.has(version)) continue;
    if (before.deleted_at !== undefined) {
      versions[version] = before;
      continue;
    }
    // Deleted, or its model deleted: it leaves production, seen by this poll.
    const state: VersionState = { ...before, deleted_at: now };
    delete state.pending;
    if (rule.holds(before)) {
      record(version, state, {
        action: 'demote',
        at: now,
        precision: 'observed',
        precision_seconds: window?.seconds ?? null,
      });
    }
    emitVersion(version, state);
    versions[version] = state;
  }
  const ordered: Record<string, VersionState> = {};
  for (const version of Object.keys(versions).sort(byVersionNumber))
    ordered[version] = versions[version];
  return label === undefined ? { name, versions: ordered } : { name, label, versions: ordered };
}

function sameVersionState(a: VersionState, b: VersionState): boolean {
  return (
    a.created === b.created &&
    a.updated === b.updated &&
    a.stage === b.stage &&
    a.run_id === b.run_id &&
    a.run_started_at === b.run_started_at &&
    a.deleted_at === b.deleted_at &&
    sameJson(a.aliases, b.aliases)
  );
}

/**
 * The model a webhook delivery is about, in the stored state: the index with the model's key
 * allocated when it is new, its key and what is stored of it. Undefined for the name of a model
 * deleted since: the next poll sorts it out.
 */
export function webhookModel(
  previous: PreviousRegistry,
  name: string,
): { index: RegistryIndex; key: string; before: ModelState } | undefined {
  const index: RegistryIndex = { models: { ...(previous.index?.models ?? {}) } };
  let entry = index.models[name];
  if (entry?.deleted_at !== undefined) return undefined;
  if (!entry) {
    const taken = new Set(Object.values(index.models).map((e) => e.key));
    entry = { key: allocateKey(name, taken), created: null };
    index.models[name] = entry;
  }
  const key = entry.key;
  return { index, key, before: previous.model(key) ?? { name, versions: {} } };
}

/** What a webhook delivery leaves in the cursors: the model's state and the index, when changed. */
export function webhookCursors(
  previous: PreviousRegistry,
  index: RegistryIndex,
  key: string,
  after: ModelState,
): CursorUpdate[] {
  const cursors: CursorUpdate[] = [];
  if (!sameJson(after, previous.model(key)))
    cursors.push({ resource: MODEL_CURSOR, scope: key, value: after });
  if (!sameJson(index, previous.index ?? { models: {} })) {
    const sorted: RegistryIndex = { models: {} };
    for (const name of Object.keys(index.models).sort()) sorted.models[name] = index.models[name];
    cursors.push({ resource: INDEX_CURSOR, value: sorted });
  }
  return cursors;
}
