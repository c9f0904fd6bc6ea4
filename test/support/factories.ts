// Factories for ingest events: sensible defaults, override what a test is about.
let counter = 0;
const next = () => ++counter;

export function makePullRequest(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    type: 'pull_request',
    id: `pr-${n}`,
    repo: 'acme/serving',
    number: n,
    title: `Change ${n}`,
    author: 'alice',
    created_at: '2026-03-02T10:00:00Z',
    merged_at: '2026-03-03T10:00:00Z',
    merge_commit_sha: `abc${String(n).padStart(7, '0')}`,
    commits: [{ sha: `c0${String(n).padStart(8, '0')}`, authored_at: '2026-03-01T10:00:00Z' }],
    reviews: [{ author: 'bob', submitted_at: '2026-03-02T12:00:00Z', state: 'APPROVED' }],
    ...overrides,
  };
}

export function makeDeployment(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    type: 'deployment',
    id: `dep-${n}`,
    repo: 'acme/serving',
    environment: 'production',
    sha: `d0${String(n).padStart(8, '0')}`,
    status: 'success',
    started_at: '2026-03-04T10:00:00Z',
    finished_at: '2026-03-04T10:10:00Z',
    ...overrides,
  };
}

export function makeIncident(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    type: 'incident',
    id: `inc-${n}`,
    repo: 'acme/serving',
    title: `Outage ${n}`,
    created_at: '2026-03-05T10:00:00Z',
    resolved_at: '2026-03-05T12:00:00Z',
    ...overrides,
  };
}

export function makeModelVersion(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    type: 'model_version',
    id: `mv-${n}`,
    registry: 'mlflow-prod',
    model: 'churn',
    version: String(n),
    created_at: '2026-03-01T09:00:00Z',
    run_id: `run-${n}`,
    ...overrides,
  };
}

export function makeModelStage(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    type: 'model_stage',
    id: `ms-${n}`,
    registry: 'mlflow-prod',
    model: 'churn',
    version: '1',
    action: 'promote',
    at: '2026-03-03T09:00:00Z',
    ...overrides,
  };
}
