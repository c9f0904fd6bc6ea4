import { deploymentEnvironmentFilter, inRange, repoFilter, span } from './fragments.sql.js';
import { promotionsSql } from './model-promotions.sql.js';
import { pullRequestSpansSql } from './pull-request-spans.sql.js';

// The rows behind the metrics, for the drill-down lists. Ids are the ones sources sent (native),
// which is what a user can look up. Paged by :limit/:offset; `total` counts every matching row.

/** One row per merged PR (human author) merged in the range, with its spans in seconds. */
export const pullRequestRowsSql = `
  SELECT pr.repo, pr.number, pr.title, pr.author, pr.created_at, pr.first_commit_at, pr.first_review_at,
    pr.merged_at, pr.deployed_at, d.native_id AS deployment_id, d.source AS deployment_source,
    pr.coding, pr.pickup, pr.review, pr.deploy, pr.cycle, count(*) OVER ()::int AS total
  FROM (${pullRequestSpansSql}) AS pr
  LEFT JOIN deployments d ON d.id = pr.deployment_id
  WHERE ${inRange('pr.merged_at')}
  ORDER BY pr.merged_at DESC, pr.repo, pr.number
  LIMIT :limit::int OFFSET :offset::int`;

/** Every deployment to the environment (production by default) that finished in the range. */
export const deploymentRowsSql = `
  SELECT d.native_id AS id, d.source, d.repo, d.environment, d.status, d.sha, d.started_at, d.finished_at,
    previous.native_id AS previous_success_id, d.is_change_failure,
    fixes.native_id AS fixes,
    (SELECT count(*) FROM deployment_shipped_prs s WHERE s.deployment_id = d.id)::int AS pull_requests,
    (SELECT count(*) FROM incidents i WHERE i.deployment_id = d.id)::int AS incidents,
    count(*) OVER ()::int AS total
  FROM deployments d
  LEFT JOIN deployments previous ON previous.id = d.previous_success_id
  LEFT JOIN deployments fixes ON fixes.id = d.fixes_id
  WHERE ${deploymentEnvironmentFilter('d')} AND ${repoFilter('d.repo')} AND ${inRange('d.finished_at')}
  ORDER BY d.finished_at DESC, d.source, d.native_id
  LIMIT :limit::int OFFSET :offset::int`;

/** Every promotion in the range, with its release lead time and the time since the one before. */
export const modelPromotionRowsSql = `
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
    count(*) OVER ()::int AS total
  FROM (${promotionsSql}) AS p
  LEFT JOIN model_versions v ON v.registry = p.registry AND v.model = p.model AND v.version = p.version
  WHERE ${inRange('p.promoted_at')}
  ORDER BY p.promoted_at DESC, p.registry, p.model, p.version
  LIMIT :limit::int OFFSET :offset::int`;
