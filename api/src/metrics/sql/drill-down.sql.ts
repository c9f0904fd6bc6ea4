import {
  deploymentEnvironmentFilter,
  inRange,
  incidentFilter,
  repoFilter,
  span,
} from './fragments.sql.js';
import { isRework } from './deployment-rework-rate.sql.js';
import { promotionsSql } from './model-promotions.sql.js';
import { pullRequestSpansSql } from './pull-request-spans.sql.js';

// The rows behind the metrics, for the drill-down lists. Ids are the ones sources sent (native),
// which is what a user can look up. Paged by :limit/:offset; `total` counts every matching row.
// Each list pages its matching rows first (an index read newest first, stopping at the page) and
// joins the rest to that page only; the total is a count of its own. With a window count over
// every row, a year of the benchmark's PRs took 0.7 s for one page, five years 3.3 s.

/**
 * One row per merged PR (human author) merged in the range, or (by deployed_at, the PRs behind
 * lead_time_for_changes) deployed in it, with its spans in seconds.
 */
export const pullRequestRowsSql = (by: 'merged_at' | 'deployed_at') => `
  WITH matching AS NOT MATERIALIZED (
    SELECT pr.* FROM (${pullRequestSpansSql}) AS pr WHERE ${inRange(`pr.${by}`)}
  ),
  page AS MATERIALIZED (
    SELECT * FROM matching ORDER BY ${by} DESC, repo, number
    LIMIT :limit::int OFFSET :offset::int
  )
  SELECT pr.repo, pr.number, pr.title, pr.author, pr.created_at, pr.first_commit_at, pr.first_review_at,
    pr.merged_at, pr.deployed_at, d.native_id AS deployment_id, d.source AS deployment_source,
    pr.coding, pr.pickup, pr.review, pr.deploy, pr.cycle,
    (SELECT count(*) FROM matching)::int AS total
  FROM page AS pr
  LEFT JOIN deployments d ON d.id = pr.deployment_id
  ORDER BY pr.${by} DESC, pr.repo, pr.number`;

/** Every deployment to the environment (production by default) that finished in the range. */
export const deploymentRowsSql = `
  WITH matching AS NOT MATERIALIZED (
    SELECT d.* FROM deployments d
    WHERE ${deploymentEnvironmentFilter('d')} AND ${repoFilter('d.repo')} AND ${inRange('d.finished_at')}
  ),
  page AS MATERIALIZED (
    SELECT * FROM matching ORDER BY finished_at DESC, source, native_id
    LIMIT :limit::int OFFSET :offset::int
  )
  SELECT d.native_id AS id, d.source, d.repo, d.environment, d.status, d.sha, d.started_at, d.finished_at,
    previous.native_id AS previous_success_id, d.is_change_failure,
    (d.status = 'success' AND ${isRework('d')}) AS is_rework,
    fixes.native_id AS fixes,
    (SELECT count(*) FROM deployment_shipped_prs s WHERE s.deployment_id = d.id)::int AS pull_requests,
    (SELECT count(*) FROM incidents i WHERE i.deployment_id = d.id)::int AS incidents,
    (SELECT count(*) FROM matching)::int AS total
  FROM page AS d
  LEFT JOIN deployments previous ON previous.id = d.previous_success_id
  LEFT JOIN deployments fixes ON fixes.id = d.fixes_id
  ORDER BY d.finished_at DESC, d.source, d.native_id`;

/**
 * Every promotion in the range, with its release lead time and the time since the one before.
 * The promotions of the range are few (one per version) and derived over all time, so they are
 * found once (MATERIALIZED), then paged and counted.
 */
export const modelPromotionRowsSql = `
  WITH matching AS MATERIALIZED (
    SELECT p.* FROM (${promotionsSql}) AS p WHERE ${inRange('p.promoted_at')}
  ),
  page AS MATERIALIZED (
    SELECT * FROM matching ORDER BY promoted_at DESC, registry, model, version
    LIMIT :limit::int OFFSET :offset::int
  )
  SELECT p.registry, p.model, p.version, p.environment, p.promoted_at, p.precision, p.precision_seconds,
    v.created_at AS registered_at, v.run_id,
    ${span('v.created_at', 'p.promoted_at')} AS release_lead_time,
    ${span('p.previous_promoted_at', 'p.promoted_at')} AS iteration_time,
    p.is_first AS first_promotion_of_model,
    -- When the version last left production; null while it is still in.
    (SELECT CASE WHEN bool_or(i.ended_at IS NULL) THEN NULL ELSE max(i.ended_at) END
       FROM model_production_intervals i
      WHERE i.registry = p.registry AND i.model = p.model AND i.version = p.version
        AND i.environment = p.environment) AS ended_at,
    (SELECT count(*) FROM matching)::int AS total
  FROM page AS p
  LEFT JOIN model_versions v ON v.registry = p.registry AND v.model = p.model AND v.version = p.version
  ORDER BY p.promoted_at DESC, p.registry, p.model, p.version`;

/** Every resolved incident in scope resolved in the range (time_to_restore's items). */
export const incidentRowsSql = `
  WITH matching AS NOT MATERIALIZED (
    SELECT i.* FROM incidents i
    WHERE i.resolved_at IS NOT NULL AND ${incidentFilter('i')} AND ${inRange('i.resolved_at')}
  ),
  page AS MATERIALIZED (
    SELECT * FROM matching ORDER BY resolved_at DESC, source, native_id
    LIMIT :limit::int OFFSET :offset::int
  )
  SELECT i.native_id AS id, i.source, i.title, i.repo, i.team, i.created_at, i.resolved_at,
    ${span('i.created_at', 'i.resolved_at')} AS recovery_seconds,
    d.native_id AS deployment_id,
    (SELECT count(*) FROM matching)::int AS total
  FROM page AS i
  LEFT JOIN deployments d ON d.id = i.deployment_id
  ORDER BY i.resolved_at DESC, i.source, i.native_id`;
