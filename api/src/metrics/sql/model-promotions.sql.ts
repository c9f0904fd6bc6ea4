import { inRange, modelEnvironmentFilter, modelFilter } from './fragments.sql.js';

/**
 * A version's promotion is the first time it entered production (the start of its first production
 * interval, derived by the linking step from promote/demote events). Window columns are computed
 * over all time, before any range: is_first = the model's first promotion ever, previous_promoted_at
 * = the model's promotion before this one.
 */
export const promotionsSql = `
  SELECT pr.*,
    row_number() OVER (PARTITION BY pr.registry, pr.model ORDER BY pr.promoted_at, pr.version) = 1 AS is_first,
    lag(pr.promoted_at) OVER (PARTITION BY pr.registry, pr.model ORDER BY pr.promoted_at, pr.version)
      AS previous_promoted_at
  FROM (
    SELECT DISTINCT ON (i.registry, i.model, i.version)
      i.registry, i.model, i.version, i.environment, i.started_at AS promoted_at,
      i.started_precision AS precision, i.precision_seconds
    FROM model_production_intervals i
    WHERE ${modelEnvironmentFilter('i.environment')} AND ${modelFilter('i.registry', 'i.model')}
    ORDER BY i.registry, i.model, i.version, i.started_at
  ) AS pr`;

/** model_promotions: promotions counted by promoted_at, and models promoted for the first time. */
export const modelPromotionsItemsSql = `
  SELECT p.promoted_at AS at, false AS is_failure, p.is_first
  FROM (${promotionsSql}) AS p
  WHERE ${inRange('p.promoted_at')}`;
