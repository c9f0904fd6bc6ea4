import type { DeploymentRow, PromotedModel, SlowPullRequest } from './report.model.js';

// The report's lists, picked from the metrics module's drill-down rows (GET /api/v1/pull-requests,
// /deployments, /model-promotions): ordered and cut, never recomputed.

/** Every row of a week: far more than a team merges or deploys in one. */
export const DRILL_DOWN_LIMIT = 10_000;
export const SLOWEST_PULL_REQUESTS = 5;

type Row = Record<string, unknown>;

// Durations from SQL arrive as numeric (a string through pg) or as a number.
function seconds(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : null;

/** The merged PRs with the longest cycle time, longest first; PRs without one are left out. */
export function slowestPullRequests(rows: Row[], count = SLOWEST_PULL_REQUESTS): SlowPullRequest[] {
  return rows
    .map((row) => ({
      repo: String(row.repo),
      number: Number(row.number),
      title: text(row.title),
      author: text(row.author),
      merged_at: String(row.merged_at),
      cycle_seconds: seconds(row.cycle),
    }))
    .filter((pr) => pr.cycle_seconds !== null)
    .sort(
      (a, b) =>
        (b.cycle_seconds as number) - (a.cycle_seconds as number) ||
        a.repo.localeCompare(b.repo) ||
        a.number - b.number,
    )
    .slice(0, count);
}

/** The week's promotions, in the order they happened. */
export function promotedModels(rows: Row[]): PromotedModel[] {
  return rows
    .map((row) => ({
      registry: String(row.registry),
      model: String(row.model),
      version: String(row.version),
      environment: text(row.environment),
      promoted_at: String(row.promoted_at),
      lead_time_seconds: seconds(row.release_lead_time),
    }))
    .sort((a, b) => a.promoted_at.localeCompare(b.promoted_at));
}

/** Deployments that failed outright or that became change failures, in the order they finished. */
export function failedDeployments(rows: Row[]): DeploymentRow[] {
  return rows
    .filter((row) => row.status !== 'success' || row.is_change_failure === true)
    .map((row) => ({
      id: String(row.id),
      target: String(row.repo),
      environment: String(row.environment),
      status: String(row.status),
      finished_at: text(row.finished_at),
      change_failure: row.is_change_failure === true,
      incidents: Number(row.incidents ?? 0),
    }))
    .sort((a, b) => (a.finished_at ?? '').localeCompare(b.finished_at ?? ''));
}
