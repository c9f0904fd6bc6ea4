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
 */
export async function attributeIncidents(
  manager: EntityManager,
  incidentIds: number[],
): Promise<number[]> {
  if (incidentIds.length === 0) return [];
  return returningIds(
    manager,
    `UPDATE incidents i SET deployment_id = attributed.deployment_id
     FROM (
       SELECT x.id, x.deployment_id AS old_id, coalesce(stated.id, latest.id) AS deployment_id
       FROM incidents x
       LEFT JOIN LATERAL (
         SELECT d.id FROM deployments d WHERE d.native_id = x.stated_deployment_id
         ORDER BY (d.source = x.source) DESC, d.source LIMIT 1
       ) AS stated ON x.stated_deployment_id IS NOT NULL
       LEFT JOIN LATERAL (
         -- Two index-friendly branches (repository, or the team's repositories) rather than one OR.
         SELECT candidate.id FROM (
           (SELECT d.id, d.finished_at, d.source, d.native_id FROM deployments d
            WHERE x.repo IS NOT NULL AND d.repo = x.repo
              AND d.status = 'success' AND d.is_production AND d.finished_at < x.created_at
            ORDER BY d.finished_at DESC, d.source DESC, d.native_id DESC LIMIT 1)
           UNION ALL
           (SELECT d.id, d.finished_at, d.source, d.native_id FROM deployments d
            WHERE x.repo IS NULL AND d.repo IN (SELECT tr.repo FROM team_repos tr
                                                JOIN teams t ON t.id = tr.team_id WHERE t.name = x.team)
              AND d.status = 'success' AND d.is_production AND d.finished_at < x.created_at
            ORDER BY d.finished_at DESC, d.source DESC, d.native_id DESC LIMIT 1)
         ) AS candidate
         LIMIT 1
       ) AS latest ON stated.id IS NULL
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
