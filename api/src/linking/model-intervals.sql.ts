import type { EntityManager } from 'typeorm';

/**
 * Rebuilds the production intervals of the given models ("registry/model") from their promote and
 * demote events: ordered by time, only events that change the state count (a promote while in, a
 * demote while out change nothing), and each promote runs until the next demote (or is open). An
 * alias moved arrives as a demote of one version and a promote of another; a version demoted and
 * promoted again gets two intervals. Same-instant ties: the demote first, so the version stays in.
 */
export async function linkModelIntervals(
  manager: EntityManager,
  modelKeys: string[],
): Promise<void> {
  if (modelKeys.length === 0) return;
  const registries = modelKeys.map((key) => key.slice(0, key.indexOf('/')));
  const models = modelKeys.map((key) => key.slice(key.indexOf('/') + 1));
  await manager.query(
    `DELETE FROM model_production_intervals
     WHERE (registry, model) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [registries, models],
  );
  await manager.query(
    `INSERT INTO model_production_intervals
       (registry, model, version, environment, started_at, ended_at, started_precision, precision_seconds)
     SELECT registry, model, version, environment, at, next_at, at_precision, precision_seconds
     FROM (
       SELECT changes.*, lead(changes.at) OVER version_events AS next_at
       FROM (
         SELECT e.*, lag(e.action) OVER version_events AS previous_action
         FROM model_stage_events e
         WHERE (e.registry, e.model) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         WINDOW version_events AS (PARTITION BY e.registry, e.model, e.version, e.environment
                                   ORDER BY e.at, e.action, e.source, e.native_id)
       ) AS changes
       WHERE changes.action <> coalesce(changes.previous_action, 'demote')
       WINDOW version_events AS (PARTITION BY changes.registry, changes.model, changes.version, changes.environment
                                 ORDER BY changes.at, changes.action, changes.source, changes.native_id)
     ) AS transitions
     WHERE action = 'promote'`,
    [registries, models],
  );
}
