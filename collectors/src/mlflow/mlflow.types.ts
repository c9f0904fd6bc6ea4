// What the MLflow collector reads: its source (mlflow.source.ts) and the registry's REST payloads, as mlflow/protos/model_registry.proto defines them.

export type { MlflowSource } from './mlflow.source.js';

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  /** Epoch milliseconds. MLflow keeps it through a rename, which is how a rename is recognised. */
  creation_timestamp: number;
  last_updated_timestamp: number | null;
  aliases: RegisteredModelAlias[];
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  /** "None", "Staging", "Production", "Archived"; absent where a registry has no stages. */
  current_stage: string | null;
  run_id: string | null;
  /** PENDING_REGISTRATION, FAILED_REGISTRATION or READY. */
  status: string | null;
  aliases: string[];
}

export interface RunInfo {
  run_id: string;
  start_time: number | null;
  lifecycle_stage: string | null;
}

export interface Page<T> {
  items: T[];
  next_page_token: string | null;
}
