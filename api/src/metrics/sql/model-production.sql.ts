import { inRange, modelEnvironmentFilter, modelFilter } from './fragments.sql.js';

// The models in production now, and the versions that entered or left production in a range,
// read off model_production_intervals (linking/model-intervals.sql.ts). Scope: :models and the
// environment rule of the model metrics.

const scoped = `${modelEnvironmentFilter('i.environment')} AND ${modelFilter('i.registry', 'i.model')}`;

/** Every version in production now (an open interval), with since when and how precisely. */
export const modelsInProductionNowListSql = `
  SELECT i.registry, i.model, i.version, i.environment, i.started_at AS since,
    i.started_precision AS precision, i.precision_seconds
  FROM model_production_intervals i
  WHERE i.ended_at IS NULL AND ${scoped}
  ORDER BY i.registry, i.model, i.environment, i.started_at, i.version`;

/**
 * Each version that entered production (an interval starting) or left it (one ending) in the
 * range. Why one left, from what is stored: another version of the model entered the same
 * environment at that instant (an alias moved, or a stage handed over); the version was deleted
 * by then; the registry now has it archived; else it was demoted.
 */
export const modelProductionChangesSql = `
  SELECT * FROM (
    SELECT 'entered' AS change, i.registry, i.model, i.version, i.environment,
      i.started_at AS at, i.started_precision AS precision, i.precision_seconds, NULL AS reason
    FROM model_production_intervals i
    WHERE ${scoped} AND ${inRange('i.started_at')}
    UNION ALL
    SELECT 'left', i.registry, i.model, i.version, i.environment, i.ended_at, NULL, NULL,
      CASE
        WHEN EXISTS (
          SELECT 1 FROM model_production_intervals n
          WHERE n.registry = i.registry AND n.model = i.model AND n.environment = i.environment
            AND n.version <> i.version AND n.started_at = i.ended_at) THEN 'alias moved'
        WHEN v.deleted_at IS NOT NULL AND v.deleted_at <= i.ended_at THEN 'version deleted'
        WHEN lower(v.current_stage) = 'archived' THEN 'archived'
        ELSE 'demoted'
      END
    FROM model_production_intervals i
    LEFT JOIN model_versions v
      ON v.registry = i.registry AND v.model = i.model AND v.version = i.version
    WHERE ${scoped} AND i.ended_at IS NOT NULL AND ${inRange('i.ended_at')}
  ) AS changes
  ORDER BY at DESC, registry, model, version, change`;
