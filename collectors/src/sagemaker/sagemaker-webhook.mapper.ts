import type { CollectedBatch } from '../collector.js';
import type { LastmileEvent } from '../events.js';
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
import { sagemakerProductionRule } from './sagemaker.collector.js';
import type { SagemakerSource } from './sagemaker.source.js';

// EventBridge's "SageMaker Model Package State Change" event, as an API destination delivers it:
// the EventBridge envelope (id, detail-type, source "aws.sagemaker", time, region) around the
// package's description (ModelPackageGroupName, ModelPackageVersion, ModelApprovalStatus,
// ModelPackageStatus, CreationTime, LastModifiedTime; times as epoch milliseconds).

export const SAGEMAKER_PACKAGE_EVENT = 'SageMaker Model Package State Change';

export interface SagemakerPackageEvent {
  id: string;
  region: string;
  /** The package's ARN (region, account, group and version): what the event is about. */
  arn: string;
  /** When the package changed: its LastModifiedTime, else the event's time. */
  at: number;
  group: string;
  version: string;
  approval: string;
  status: string;
  created: number | null;
}

export class SagemakerEventPayloadError extends Error {}

/** Reads an EventBridge event; null for another detail-type. */
export function parseSagemakerEvent(body: unknown): SagemakerPackageEvent | null {
  const root = object(body, '(body)');
  if (root['detail-type'] !== SAGEMAKER_PACKAGE_EVENT || root.source !== 'aws.sagemaker')
    return null;
  const detail = object(root.detail, 'detail');
  const time = epoch(root.time, 'time');
  if (time === null) throw new SagemakerEventPayloadError('time must be an ISO 8601 time');
  const version = detail.ModelPackageVersion;
  if (typeof version !== 'number' && typeof version !== 'string')
    throw new SagemakerEventPayloadError('detail.ModelPackageVersion must be a number');
  return {
    id: text(root.id, 'id'),
    region: text(root.region, 'region'),
    arn: text(detail.ModelPackageArn, 'detail.ModelPackageArn'),
    at: epoch(detail.LastModifiedTime, 'detail.LastModifiedTime') ?? time,
    group: text(detail.ModelPackageGroupName, 'detail.ModelPackageGroupName'),
    version: String(version),
    approval: text(detail.ModelApprovalStatus, 'detail.ModelApprovalStatus'),
    status: typeof detail.ModelPackageStatus === 'string' ? detail.ModelPackageStatus : 'Completed',
    created: epoch(detail.CreationTime, 'detail.CreationTime'),
  };
}

/**
 * Whether the stored state (a poll's, or an earlier event's) has the package changed after this
 * event: a late or retried event must not move its approval back.
 */
export function olderThanStoredPackage(
  previous: PreviousRegistry,
  event: SagemakerPackageEvent,
): boolean {
  const models = previous.index?.models ?? {};
  if (!Object.hasOwn(models, event.group)) return false;
  const versions = previous.model(models[event.group].key)?.versions ?? {};
  const updated = Object.hasOwn(versions, event.version) ? versions[event.version].updated : null;
  return updated !== null && event.at < updated;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SagemakerEventPayloadError(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '')
    throw new SagemakerEventPayloadError(`${path} must be a non-empty string`);
  return value;
}

/**
 * Epoch milliseconds (a number) or an ISO 8601 string; null when absent or unreadable. A time
 * outside years 0001-9999 is refused: it can be neither written as ISO 8601 nor stored.
 */
function epoch(value: unknown, path: string): number | null {
  let ms: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    ms = Number.isFinite(parsed) ? parsed : null;
  }
  if (ms !== null && !storableTime(ms))
    throw new SagemakerEventPayloadError(`${path} must be a time in years 0001 to 9999`);
  return ms;
}

/**
 * An approval change applied to the stored registry state: a stage event at the package's
 * LastModifiedTime (precision exact), and the state updated to match, so the next poll sees no
 * difference and records nothing twice. Under `endpoints`, approval does not decide production:
 * polling reads the endpoints.
 */
export function applySagemakerEvent(
  source: SagemakerSource,
  previous: PreviousRegistry,
  event: SagemakerPackageEvent,
): CollectedBatch {
  if (source.production !== 'approved' || event.status === 'Failed' || event.status === 'Deleting')
    return { events: [], cursors: [] };
  const rule = sagemakerProductionRule(source);
  const model = webhookModel(previous, event.group);
  if (!model) return { events: [], cursors: [] };
  const { index, key, before } = model;
  const current: VersionState = before.versions[event.version] ?? {
    created: event.created,
    updated: null,
    stage: null,
    aliases: [],
    run_id: null,
    run_started_at: null,
    pending: true,
    history: [],
  };
  if (current.deleted_at !== undefined) return { events: [], cursors: [] };
  const next: VersionState = {
    ...current,
    created: current.created ?? event.created,
    stage: event.approval,
    updated: Math.max(event.at, current.updated ?? event.at),
  };
  const events: LastmileEvent[] = [];
  if (rule.holds(current) !== rule.holds(next)) {
    const record = {
      action: rule.holds(next) ? ('promote' as const) : ('demote' as const),
      at: event.at,
      precision: 'exact' as const,
      precision_seconds: null,
    };
    next.history = [...next.history, record];
    events.push(stageEvent(source.name, key, before.name, event.version, record));
  }
  const version = versionEvent(source.name, key, before.name, event.version, next);
  if (version) events.push(version);
  const after: ModelState = { ...before, versions: { ...before.versions, [event.version]: next } };
  return { events, cursors: webhookCursors(previous, index, key, after) };
}
