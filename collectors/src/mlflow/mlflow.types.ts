// What the MLflow collector reads: its source (mlflow.source.ts) and the registry's REST payloads,
// as mlflow/protos/model_registry.proto defines them (the registry snapshot takes their shape).

export type { MlflowSource } from './mlflow.source.js';

export type {
  ModelVersion,
  RegisteredModel,
  RegisteredModelAlias,
} from '../model-registry/registry-snapshot.js';

export interface RunInfo {
  run_id: string;
  start_time: number | null;
  lifecycle_stage: string | null;
}

export interface Page<T> {
  items: T[];
  next_page_token: string | null;
}
