import type { EntityManager } from 'typeorm';
import { returningIds } from './returning-rows.js';

// Incident attribution and change failures (metrics.md "Delivery"). Set-based over given ids.

/**
 * The incidents whose attribution may have changed: the given ones, those of the repositories (or
 * the teams owning them) of the given deployments, those stating one of them, and those attributed
 * to one of them now.
 */
export async function incidentsToReattribute(
  manager: EntityManager,
  incidentIds: number[],
  deploymentIds: number[],
): Promise<number[]> {
  if (incidentIds.length === 0 && deploymentIds.length === 0) return [];
  return returningIds(
    manager,
    `WITH changed AS (SELECT id, repo, native_id FROM deployments WHERE id = ANY($2::bigint[])),
     repos AS (SELECT DISTINCT repo FROM changed)
     SELECT unnest($1::bigint[]) AS id
     UNION SELECT i.id FROM incidents i JOIN repos ON repos.repo = i.repo
     UNION SELECT i.id FROM incidents i
       JOIN teams t ON t.name = i.team JOIN team_repos tr ON tr.team_id = t.id JOIN repos ON repos.repo = tr.repo
       WHERE i.repo IS NULL
     UNION SELECT i.id FROM incidents i JOIN changed ON changed.native_id = i.stated_deployment_id
     UNION SELECT i.id FROM incidents i WHERE i.deployment_id = ANY($2::bigint[])`,
    [incidentIds, deploymentIds],
  );
}

/**
 * A stated deployment (native id, same source first) wins; else the latest successful production
 * deployment that finished strictly before the incident was created, among the deployments of the
 * incident's repository or service when it names one, else of its team's repositories; else none.
 * Returns the deployments that gained or lost an incident.
 *
 * A repository's latest is one index probe. A team's is not: asked incident by incident it was a
 * probe into each of the team's repositories (a 10,000-incident batch naming teams of 1,000
 * repositories took 23 s). Team incidents are answered together, team by team, on one timeline:
 * the team's latest deployment before its earliest incident of the batch (a probe per repository,
 * once), then the deployments between its earliest and latest incidents, then the incidents; each
 * incident takes the last deployment ahead of it. Ties order as the repository branch's ORDER BY.
 */
export async function attributeIncidents(
  manager: EntityManager,
  incidentIds: number[],
): Promise<number[]> {
  if (incidentIds.length === 0) return [];
  return returningIds(
    manager,
    `WITH team_incidents AS (
       SELECT x.id, x.team, x.created_at FROM incidents x
       WHERE x.id = ANY($1::bigint[]) AND x.repo IS NULL AND x.team IS NOT NULL
     ),
     spans AS (
       SELECT t.name AS team, min(i.created_at) AS first_at, max(i.created_at) AS last_at, t.id
       FROM team_incidents i JOIN teams t ON t.name = i.team GROUP BY t.id, t.name
     ),
     span_repos AS (
       SELECT s.team, s.first_at, s.last_at, tr.repo
       FROM spans s JOIN team_repos tr ON tr.team_id = s.id
     ),
     before_first AS (
       SELECT DISTINCT ON (r.team) r.team, d.id, d.finished_at, d.source, d.native_id
       FROM span_repos r CROSS JOIN LATERAL (
         SELECT d.id, d.finished_at, d.source, d.native_id FROM deployments d
         WHERE d.repo = r.repo AND d.status = 'success' AND d.is_production
           AND d.finished_at < r.first_at
         ORDER BY d.finished_at DESC, d.source DESC, d.native_id DESC LIMIT 1
       ) AS d
       ORDER BY r.team, d.finished_at DESC, d.source DESC, d.native_id DESC
     ),
     timeline AS (
       SELECT team, finished_at AS at, 1 AS kind, source, native_id, id AS deployment_id,
         NULL::bigint AS incident_id
       FROM before_first
       UNION ALL
       SELECT r.team, d.finished_at, 1, d.source, d.native_id, d.id, NULL
       FROM span_repos r JOIN deployments d ON d.repo = r.repo
       WHERE d.status = 'success' AND d.is_production
         AND d.finished_at >= r.first_at AND d.finished_at < r.last_at
       UNION ALL
       -- An incident sorts ahead of a deployment finishing at its very time: strictly before.
       SELECT team, created_at, 0, NULL, NULL, NULL, id FROM team_incidents
     ),
     counted AS (
       SELECT *, count(deployment_id) OVER (PARTITION BY team ORDER BY at, kind, source, native_id
         ROWS UNBOUNDED PRECEDING) AS deployments_so_far
       FROM timeline
     ),
     team_latest AS (
       SELECT incident_id, first_value(deployment_id) OVER (PARTITION BY team, deployments_so_far
         ORDER BY at, kind, source, native_id) AS deployment_id
       FROM counted
     )
     UPDATE incidents i SET deployment_id = attributed.deployment_id
     FROM (
       SELECT x.id, x.deployment_id AS old_id,
         coalesce(stated.id, CASE WHEN x.repo IS NULL THEN team_latest.deployment_id ELSE latest.id END)
           AS deployment_id
       FROM incidents x
       LEFT JOIN LATERAL (
         SELECT d.id FROM deployments d WHERE d.native_id = x.stated_deployment_id
         ORDER BY (d.source = x.source) DESC, d.source LIMIT 1
       ) AS stated ON x.stated_deployment_id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT d.id FROM deployments d
         WHERE d.repo = x.repo AND d.status = 'success' AND d.is_production
           AND d.finished_at < x.created_at
         ORDER BY d.finished_at DESC, d.source DESC, d.native_id DESC LIMIT 1
       ) AS latest ON stated.id IS NULL AND x.repo IS NOT NULL
       LEFT JOIN team_latest ON team_latest.incident_id = x.id
       WHERE x.id = ANY($1::bigint[])
     ) AS attributed
     WHERE i.id = attributed.id AND i.deployment_id IS DISTINCT FROM attributed.deployment_id
     RETURNING attributed.old_id, i.deployment_id AS new_id`,
    [incidentIds],
  );
}

/**
 * A deployment is a change failure when an incident is attributed to it or a later one fixes it.
 * The deployments are also named by `id = ANY` so that they are fetched by key: joined to the list
 * alone, the whole table was read for each batch.
 */
export async function markChangeFailures(
  manager: EntityManager,
  deploymentIds: number[],
): Promise<void> {
  if (deploymentIds.length === 0) return;
  await manager.query(
    `UPDATE deployments d SET is_change_failure = flagged.failure
     FROM (
       SELECT x.id,
         EXISTS (SELECT 1 FROM incidents i WHERE i.deployment_id = x.id)
           OR EXISTS (SELECT 1 FROM deployments f WHERE f.fixes_id = x.id) AS failure
       FROM deployments x WHERE x.id = ANY($1::bigint[])
     ) AS flagged
     WHERE d.id = flagged.id AND d.id = ANY($1::bigint[]) AND d.is_change_failure <> flagged.failure`,
    [deploymentIds],
  );
}
