import { deploymentEnvironmentFilter, inRange, repoFilter } from './fragments.sql.js';

/** When a deployment started: its start, else (unknown) its finish. */
const startOf = (alias: string) => `COALESCE(${alias}.started_at, ${alias}.finished_at)`;

/**
 * deployment_rework_rate (DORA 2024): over the same deployments as change_failure_rate, the share
 * that were unplanned, made because of an incident. A deployment is rework when (a) it fixes an
 * earlier deployment, or (b) it is the first of its repository or service to start while an
 * incident of that repository or service is open: the incident names it, or the deployment it is
 * attributed to belongs to it; created_at <= start < resolved_at, or still unresolved. Later
 * deployments during the same incident are not rework (the first one is the response to it);
 * "first" counts only deployments of the metric's own population, so a failed one does not take
 * the place of the successful deployment that followed it. Ties on the start go by (source,
 * native_id), never by arrival order. is_failure carries the rework flag, so the rate is read as
 * change_failure_rate is. `isRework` is the flag of one deployment row (a successful one, in the
 * metric's environment), for the metric and for the deployments list alike.
 */
export const isRework = (d: string) => `
    (${d}.fixes_id IS NOT NULL OR EXISTS (
      SELECT 1
      FROM incidents i
      LEFT JOIN deployments attributed ON attributed.id = i.deployment_id
      WHERE (i.repo = ${d}.repo OR attributed.repo = ${d}.repo)
        AND i.created_at <= ${startOf(d)}
        AND (i.resolved_at IS NULL OR ${startOf(d)} < i.resolved_at)
        AND NOT EXISTS (
          SELECT 1 FROM deployments earlier
          WHERE earlier.repo = ${d}.repo AND earlier.status = 'success'
            AND ${deploymentEnvironmentFilter('earlier')}
            AND ${startOf('earlier')} >= i.created_at
            AND (${startOf('earlier')}, earlier.source, earlier.native_id)
              < (${startOf(d)}, ${d}.source, ${d}.native_id))
    ))`;

export const deploymentReworkRateItemsSql = `
  SELECT d.finished_at AS at, ${isRework('d')} AS is_failure, false AS is_first
  FROM deployments d
  WHERE d.status = 'success' AND ${deploymentEnvironmentFilter('d')}
    AND ${repoFilter('d.repo')} AND ${inRange('d.finished_at')}`;
