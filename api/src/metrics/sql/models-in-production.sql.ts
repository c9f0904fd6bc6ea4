import { modelEnvironmentFilter, modelFilter, periodsCte } from './fragments.sql.js';

const inProductionAt = (instant: string) => `
  i.started_at < ${instant} AND (i.ended_at IS NULL OR i.ended_at >= ${instant})
  AND ${modelEnvironmentFilter('i.environment')} AND ${modelFilter('i.registry', 'i.model')}`;

/**
 * models_in_production: per period, the distinct models with at least one version in production at
 * the end of the period (or now, for a period not over yet).
 */
export const modelsInProductionSql = `WITH ${periodsCte},
period_ends AS (
  SELECT period_start, period_end, least(period_end, now()) AS at FROM periods
)
SELECT pe.period_start, pe.period_end, count(DISTINCT i.registry || '/' || i.model)::int AS value
FROM period_ends pe
LEFT JOIN model_production_intervals i ON ${inProductionAt('pe.at')}
GROUP BY pe.period_start, pe.period_end
ORDER BY pe.period_start`;

/** The models in production now (the summary's `current`). */
export const modelsInProductionNowSql = `
  SELECT count(DISTINCT i.registry || '/' || i.model)::int AS current
  FROM model_production_intervals i
  WHERE ${inProductionAt('now()')}`;
