import { CollectorError } from '../collector.js';
import type {
  ModelVersion,
  Page,
  RegisteredModel,
  RegisteredModelAlias,
  RunInfo,
} from './mlflow.types.js';

// Strict reading of MLflow's JSON: a missing or mistyped field stops the poll with an error naming
// the endpoint and the field, instead of recording a wrong history. Fields the proto marks
// optional may be absent (proto2 JSON omits unset fields and empty lists); unknown fields are
// ignored, so a newer MLflow that adds fields keeps working.

type Json = Record<string, unknown>;

export class MlflowResponseError extends CollectorError {
  constructor(endpoint: string, path: string, problem: string) {
    super(`MLflow ${endpoint} returned a malformed response: ${path} ${problem}.`);
    this.name = 'MlflowResponseError';
  }
}

class Reader {
  constructor(private readonly endpoint: string) {}

  fail(path: string, problem: string): never {
    throw new MlflowResponseError(this.endpoint, path, problem);
  }

  object(value: unknown, path: string): Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `must be an object, got ${describe(value)}`);
    }
    return value as Json;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `must be a string, got ${describe(value)}`);
    return value;
  }

  optionalString(value: unknown, path: string): string | null {
    return value === undefined || value === null ? null : this.string(value, path);
  }

  /** int64 as MLflow writes it (a JSON number), or as proto3's JSON mapping does (a digit string). */
  millis(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return Number(value);
    return this.fail(path, `must be epoch milliseconds (an integer), got ${describe(value)}`);
  }

  optionalMillis(value: unknown, path: string): number | null {
    return value === undefined || value === null ? null : this.millis(value, path);
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `must be a list, got ${describe(value)}`);
    return value;
  }

  nextPageToken(body: Json): string | null {
    const token = this.optionalString(body.next_page_token, 'next_page_token');
    // MLflow omits the token on the last page; an empty string means the same.
    return token === '' ? null : token;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function parseRegisteredModelsPage(body: unknown): Page<RegisteredModel> {
  const read = new Reader('registered-models/search');
  const root = read.object(body, '(body)');
  const items = read.list(root.registered_models, 'registered_models').map((entry, i) => {
    const path = `registered_models[${i}]`;
    const model = read.object(entry, path);
    const aliases: RegisteredModelAlias[] = read
      .list(model.aliases, `${path}.aliases`)
      .map((a, j) => {
        const alias = read.object(a, `${path}.aliases[${j}]`);
        return {
          alias: read.string(alias.alias, `${path}.aliases[${j}].alias`),
          version: read.string(alias.version, `${path}.aliases[${j}].version`),
        };
      });
    return {
      name: read.string(model.name, `${path}.name`),
      creation_timestamp: read.millis(model.creation_timestamp, `${path}.creation_timestamp`),
      last_updated_timestamp: read.optionalMillis(
        model.last_updated_timestamp,
        `${path}.last_updated_timestamp`,
      ),
      aliases,
    };
  });
  return { items, next_page_token: read.nextPageToken(root) };
}

export function parseModelVersionsPage(body: unknown): Page<ModelVersion> {
  const read = new Reader('model-versions/search');
  const root = read.object(body, '(body)');
  const items = read.list(root.model_versions, 'model_versions').map((entry, i) => {
    const path = `model_versions[${i}]`;
    const version = read.object(entry, path);
    return {
      name: read.string(version.name, `${path}.name`),
      version: read.string(version.version, `${path}.version`),
      creation_timestamp: read.millis(version.creation_timestamp, `${path}.creation_timestamp`),
      last_updated_timestamp: read.millis(
        version.last_updated_timestamp,
        `${path}.last_updated_timestamp`,
      ),
      current_stage: read.optionalString(version.current_stage, `${path}.current_stage`),
      run_id: read.optionalString(version.run_id, `${path}.run_id`) || null,
      status: read.optionalString(version.status, `${path}.status`),
      aliases: read
        .list(version.aliases, `${path}.aliases`)
        .map((a, j) => read.string(a, `${path}.aliases[${j}]`)),
    };
  });
  return { items, next_page_token: read.nextPageToken(root) };
}

export function parseRun(body: unknown): RunInfo {
  const read = new Reader('runs/get');
  const root = read.object(body, '(body)');
  const run = read.object(root.run, 'run');
  const info = read.object(run.info, 'run.info');
  return {
    run_id: read.string(info.run_id ?? info.run_uuid, 'run.info.run_id'),
    start_time: read.optionalMillis(info.start_time, 'run.info.start_time'),
    lifecycle_stage: read.optionalString(info.lifecycle_stage, 'run.info.lifecycle_stage'),
  };
}
