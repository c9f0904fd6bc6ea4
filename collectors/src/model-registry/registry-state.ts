import type { ModelStageEvent, ModelVersionEvent } from '../events.js';

// The registry as Lastmile last saw it, kept in the collector's cursors (a registry keeps no
// history of its stages and aliases, so each poll is compared with this). Shared by every model
// registry kind (MLflow, Unity Catalog, SageMaker, Vertex AI). Three cursor resources:
//   'poll'     (scope '')   when the last poll ran: the window an observed change happened in;
//   'registry' (scope '')   model name -> stable key, creation time, deletion;
//   'model'    (scope key)  one model's versions: stage, aliases, times, and the stage events
//                           recorded for them (re-sent under the new name when a model is renamed).
// Split so that a poll rewrites only what changed: a registry of 2,000 models with nothing new
// writes the 'poll' cursor alone.

export const POLL_CURSOR = 'poll';
export const INDEX_CURSOR = 'registry';
export const MODEL_CURSOR = 'model';

export type Precision = 'exact' | 'registry' | 'observed';

export interface PollCursor {
  polled_at: number;
}

export interface IndexEntry {
  /** The model's key in event ids: its name when first seen; it survives renames. */
  key: string;
  /** The registered model's creation time; null when only a webhook has named it so far. */
  created: number | null;
  deleted_at?: number;
}

export interface RegistryIndex {
  models: Record<string, IndexEntry>;
}

export interface StageRecord {
  action: 'promote' | 'demote';
  at: number;
  precision: Precision;
  precision_seconds: number | null;
}

export interface VersionState {
  /** null when only a webhook has seen the version (a poll fills it in). */
  created: number | null;
  updated: number | null;
  stage: string | null;
  aliases: string[];
  run_id: string | null;
  /** undefined: not fetched yet; null: the run is gone or has no start. */
  run_started_at?: number | null;
  deleted_at?: number;
  /** Seen by a webhook and not yet by a poll. */
  pending?: boolean;
  history: StageRecord[];
}

export interface ModelState {
  name: string;
  /** A display name the registry keeps beside the model's name (Vertex AI's displayName). */
  label?: string;
  versions: Record<string, VersionState>;
}

export const PRODUCTION = 'production';

const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));

/** What puts a version in production, as a source of its kind says (metrics.md "Production"). */
export interface ProductionCriteria {
  /** Stages (MLflow's stages, SageMaker's approval status), compared case-insensitively. */
  stages: readonly string[];
  /** Aliases, compared case-insensitively, or a test of one. */
  aliases: readonly string[] | ((alias: string) => boolean);
}

/** Which stages and aliases put a version in production (metrics.md), case-insensitively. */
export class ProductionRule {
  private readonly stages: Set<string>;
  private readonly aliasTest: (alias: string) => boolean;

  constructor(criteria: ProductionCriteria) {
    this.stages = lower(criteria.stages);
    const { aliases } = criteria;
    if (typeof aliases === 'function') {
      this.aliasTest = aliases;
    } else {
      const set = lower(aliases);
      this.aliasTest = (alias) => set.has(alias.toLowerCase());
    }
  }

  byStage(version: Pick<VersionState, 'stage'> | undefined): boolean {
    return version?.stage != null && this.stages.has(version.stage.toLowerCase());
  }

  byAlias(version: Pick<VersionState, 'aliases'> | undefined): boolean {
    return version !== undefined && version.aliases.some((alias) => this.aliasTest(alias));
  }

  isAlias(alias: string): boolean {
    return this.aliasTest(alias);
  }

  /** In production now: not deleted, and in a production stage or holding a production alias. */
  holds(version: VersionState | undefined): boolean {
    return (
      version !== undefined &&
      version.deleted_at === undefined &&
      (this.byStage(version) || this.byAlias(version))
    );
  }
}

const FIRST_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether epoch milliseconds are a time ISO 8601 and PostgreSQL both write: years 0001 to 9999. */
export const storableTime = (ms: number): boolean =>
  Number.isFinite(ms) && ms >= FIRST_TIME && ms <= LAST_TIME;

const iso = (ms: number) => new Date(ms).toISOString();

export function versionEvent(
  registry: string,
  key: string,
  model: string,
  version: string,
  state: VersionState,
  label?: string,
): ModelVersionEvent | null {
  if (state.created === null) return null;
  return {
    type: 'model_version',
    id: `${key}/${version}`,
    source: registry,
    registry,
    model,
    version,
    created_at: iso(state.created),
    run_id: state.run_id,
    run_started_at: state.run_started_at == null ? null : iso(state.run_started_at),
    registry_state: {
      stage: state.stage,
      aliases: state.aliases,
      last_updated_at: state.updated === null ? null : iso(state.updated),
      deleted_at: state.deleted_at === undefined ? null : iso(state.deleted_at),
      ...(label === undefined ? {} : { label }),
    },
  };
}

/** Ids are deterministic, so a poll that is retried, or a replayed webhook, writes nothing new. */
export function stageEvent(
  registry: string,
  key: string,
  model: string,
  version: string,
  record: StageRecord,
): ModelStageEvent {
  return {
    type: 'model_stage',
    id: `${key}/${version}/${record.action}/${record.at}`,
    source: registry,
    registry,
    model,
    version,
    action: record.action,
    at: iso(record.at),
    environment: PRODUCTION,
    precision: record.precision,
    precision_seconds: record.precision_seconds,
  };
}

/** A key for a model first seen under `name`: the name, or the name with a suffix when taken. */
export function allocateKey(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name}~${n}`)) return `${name}~${n}`;
}

export const byVersionNumber = (a: string, b: string) =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
