// One poll's reading of a model registry, in the shape every registry kind maps its payloads to
// (MLflow's REST fields, which the others' are translated into): models with their aliases, and
// every version.

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  /** Epoch milliseconds. Kept through a rename, which is how a rename is recognised. */
  creation_timestamp: number;
  last_updated_timestamp: number | null;
  aliases: RegisteredModelAlias[];
  /** A display name kept beside the name (Vertex AI's displayName), shown as the model's label. */
  label?: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  /** "None", "Staging", "Production", "Archived"; SageMaker's approval status; null without stages. */
  current_stage: string | null;
  run_id: string | null;
  /** PENDING_REGISTRATION, FAILED_REGISTRATION or READY. */
  status: string | null;
  aliases: string[];
}

export interface RegistrySnapshot {
  models: RegisteredModel[];
  versions: ModelVersion[];
}
