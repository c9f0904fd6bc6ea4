import { modelEnvironmentFilter, modelFilter, periodsCte } from './fragments.sql.js';

/**
 * The production intervals in scope, filtered once (MATERIALIZED) before they meet the periods:
 * inlined, the filter would run again for every period. withinRange keeps only those that can
 * cover a period end of [from, to).
 */
const intervalsCte = (withinRange: boolean) => `intervals AS MATERIALIZED (
  SELECT i.registry || '/' || i.model AS model_key, i.started_at, i.ended_at
  FROM model_production_intervals i
  WHERE ${modelEnvironmentFilter('i.environment')} AND ${modelFilter('i.registry', 'i.model')}
    ${withinRange ? 'AND i.started_at < :to::timestamptz AND (i.ended_at IS NULL OR i.ended_at >= :from::timestamptz)' : ''}
)`;

const inProductionAt = (instant: string) =>
  `iv.started_at < ${instant} AND (iv.ended_at IS NULL OR iv.ended_at >= ${instant})`;

/**
 * models_in_production: per period, the distinct models with at least one version in production at
 * the end of the period (or now, for a period not over yet). The period ends are MATERIALIZED so
 * each is computed once, not once per interval it is compared with (134 ms -> 52 ms at the
 * benchmark's size).
 */
export const modelsInProductionSql = `WITH ${periodsCte}, ${intervalsCte(true)},
period_ends AS MATERIALIZED (
  SELECT period_start, period_end, least(period_end, now()) AS at FROM periods
)
SELECT pe.period_start, pe.period_end, count(DISTINCT iv.model_key)::int AS value
FROM period_ends pe
LEFT JOIN intervals iv ON ${inProductionAt('pe.at')}
GROUP BY pe.period_start, pe.period_end
ORDER BY pe.period_start`;

/** The models in production now (the summary's `current`). */
export const modelsInProductionNowSql = `WITH ${intervalsCte(false)}
  SELECT count(DISTINCT iv.model_key)::int AS current
  FROM intervals iv
  WHERE ${inProductionAt('now()')}`;
