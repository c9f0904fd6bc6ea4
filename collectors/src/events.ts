// The normalized events of api.md's ingest contract. Collectors yield them; the API validates and
// stores them. Times are ISO 8601 strings with an offset.

export interface PullRequestEvent {
  type: 'pull_request';
  id: string;
  source?: string;
  repo: string;
  number: number;
  title?: string | null;
  author?: string | null;
  author_is_bot?: boolean;
  created_at: string;
  merged_at?: string | null;
  closed_at?: string | null;
  merge_commit_sha?: string | null;
  base_branch?: string | null;
  draft?: boolean;
  commits?: { sha: string; authored_at: string | null }[];
  reviews?: {
    author: string | null;
    submitted_at: string;
    state?: string | null;
    author_is_bot?: boolean;
  }[];
  first_commit_at?: string | null;
  first_review_at?: string | null;
}

export interface DeploymentEvent {
  type: 'deployment';
  id: string;
  source?: string;
  repo?: string;
  service?: string;
  environment: string;
  sha: string;
  status: 'success' | 'failure';
  started_at?: string | null;
  finished_at: string;
  commits?: string[];
  pull_requests?: number[];
  fixes?: string | null;
}

export interface IncidentEvent {
  type: 'incident';
  id: string;
  source?: string;
  repo?: string | null;
  service?: string | null;
  team?: string | null;
  title?: string | null;
  created_at: string;
  resolved_at?: string | null;
  deployment_id?: string | null;
}

export interface ModelVersionEvent {
  type: 'model_version';
  id: string;
  source?: string;
  registry: string;
  model: string;
  version: string;
  created_at: string;
  run_id?: string | null;
  run_started_at?: string | null;
  /** A registry collector's view of the version now (not part of api.md; kept on the row). */
  registry_state?: {
    stage: string | null;
    aliases: string[];
    last_updated_at: string | null;
    deleted_at: string | null;
    /** The model's display name, where the registry keeps one beside its id (Vertex AI). */
    label?: string;
  };
}

export interface ModelStageEvent {
  type: 'model_stage';
  id: string;
  source?: string;
  registry: string;
  model: string;
  version: string;
  action: 'promote' | 'demote';
  at: string;
  environment?: string;
  precision?: 'exact' | 'registry' | 'observed';
  /** For `observed`: seconds since the previous poll (an extension of api.md, optional). */
  precision_seconds?: number | null;
}

export type LastmileEvent =
  PullRequestEvent | DeploymentEvent | IncidentEvent | ModelVersionEvent | ModelStageEvent;

export type EventType = LastmileEvent['type'];
export const EVENT_TYPES: readonly EventType[] = [
  'pull_request',
  'deployment',
  'incident',
  'model_version',
  'model_stage',
];
