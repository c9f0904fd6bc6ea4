import type { CollectedBatch } from '../collector.js';
import type { LastmileEvent } from '../events.js';
import type { MlflowSource } from './mlflow.types.js';
import {
  type PreviousRegistry,
  webhookCursors,
  webhookModel,
} from '../model-registry/registry-diff.mapper.js';
import {
  type ModelState,
  stageEvent,
  storableTime,
  versionEvent,
  type VersionState,
} from '../model-registry/registry-state.js';
import { mlflowProductionRule } from './mlflow.collector.js';

/** An MLflow 3.3+ webhook delivery's body (mlflow/webhooks/delivery.py): the registry events we use. */
export type MlflowWebhook =
  | {
      kind: 'model_version.created';
      at: number;
      name: string;
      version: string;
      run_id: string | null;
    }
  | {
      kind: 'model_version_alias.created';
      at: number;
      name: string;
      alias: string;
      version: string;
    }
  | { kind: 'model_version_alias.deleted'; at: number; name: string; alias: string };

export class MlflowWebhookPayloadError extends Error {}

/** Reads a delivery body; null for events Lastmile does not use (tags, prompts, models created). */
export function parseMlflowWebhook(body: unknown): MlflowWebhook | null {
  const root = asObject(body, '(body)');
  const entity = asString(root.entity, 'entity');
  const action = asString(root.action, 'action');
  const kind = `${entity}.${action}`;
  if (
    kind !== 'model_version.created' &&
    kind !== 'model_version_alias.created' &&
    kind !== 'model_version_alias.deleted'
  ) {
    return null;
  }
  const at = Date.parse(asString(root.timestamp, 'timestamp'));
  if (!storableTime(at))
    throw new MlflowWebhookPayloadError('timestamp must be an ISO 8601 time, years 0001 to 9999');
  const data = asObject(root.data, 'data');
  const name = asString(data.name, 'data.name');
  switch (kind) {
    case 'model_version.created':
      return {
        kind,
        at,
        name,
        version: asString(data.version, 'data.version'),
        run_id: typeof data.run_id === 'string' && data.run_id !== '' ? data.run_id : null,
      };
    case 'model_version_alias.created':
      return {
        kind,
        at,
        name,
        alias: asString(data.alias, 'data.alias'),
        version: asString(data.version, 'data.version'),
      };
    case 'model_version_alias.deleted':
      return { kind, at, name, alias: asString(data.alias, 'data.alias') };
  }
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new MlflowWebhookPayloadError(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function asString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '')
    throw new MlflowWebhookPayloadError(`${path} must be a non-empty string`);
  return value;
}

/**
 * A webhook's change applied to the stored registry state: events with exact times (the delivery's
 * timestamp), and the state updated to match, so the next poll sees no difference and records
 * nothing twice. What a webhook cannot know (a new version's creation time, its run's start) the
 * next poll fills in.
 */
export function applyMlflowWebhook(
  source: MlflowSource,
  previous: PreviousRegistry,
  hook: MlflowWebhook,
): CollectedBatch {
  const rule = mlflowProductionRule(source);
  const model = webhookModel(previous, hook.name);
  if (!model) return { events: [], cursors: [] };
  const { index, key, before } = model;
  const versions: Record<string, VersionState> = { ...before.versions };
  const events: LastmileEvent[] = [];
  const touched = new Set<string>();
  const blank = (): VersionState => ({
    created: null,
    updated: null,
    stage: 'None',
    aliases: [],
    run_id: null,
    pending: true,
    history: [],
  });

  const setAliases = (version: string, change: (aliases: string[]) => string[]) => {
    const current = versions[version] ?? blank();
    if (current.deleted_at !== undefined) return;
    const next: VersionState = { ...current, aliases: change(current.aliases).sort() };
    const wasIn = rule.holds(current);
    const isIn = rule.holds(next);
    if (wasIn !== isIn) {
      const entryRecord = {
        action: isIn ? ('promote' as const) : ('demote' as const),
        at: hook.at,
        precision: 'exact' as const,
        precision_seconds: null,
      };
      next.history = [...next.history, entryRecord];
      events.push(stageEvent(source.name, key, before.name, version, entryRecord));
    }
    versions[version] = next;
    touched.add(version);
  };

  switch (hook.kind) {
    case 'model_version.created': {
      if (versions[hook.version]) break;
      versions[hook.version] = {
        ...blank(),
        created: hook.at,
        updated: hook.at,
        run_id: hook.run_id,
      };
      touched.add(hook.version);
      break;
    }
    case 'model_version_alias.created': {
      // An alias names one version: setting it moves it from whichever version held it.
      for (const [version, state] of Object.entries(versions)) {
        if (version !== hook.version && state.aliases.includes(hook.alias))
          setAliases(version, (a) => a.filter((x) => x !== hook.alias));
      }
      setAliases(hook.version, (a) => (a.includes(hook.alias) ? a : [...a, hook.alias]));
      break;
    }
    case 'model_version_alias.deleted': {
      for (const [version, state] of Object.entries(versions)) {
        if (state.aliases.includes(hook.alias))
          setAliases(version, (a) => a.filter((x) => x !== hook.alias));
      }
      break;
    }
  }
  for (const version of touched) {
    const event = versionEvent(source.name, key, before.name, version, versions[version]);
    if (event) events.push(event);
  }
  const after: ModelState = { name: before.name, versions };
  return { events, cursors: webhookCursors(previous, index, key, after) };
}
