import type { EntityManager } from 'typeorm';
import { returningIds } from './returning-rows.js';

// The deployment side of linking (metrics.md "Delivery"): each deployment's previous successful
// one, what each successful production deployment shipped, each PR's deployment, and `fixes`.
// Every statement is set-based over the ids it is given. Ties are broken by (source, native_id),
// never by surrogate ids, so the result does not depend on the order rows arrived in.
//
// Lookups by key are written `CROSS JOIN LATERAL (... OFFSET 0)`: the OFFSET keeps the subquery a
// probe per key, by index, whatever the planner believes of the table. Written as joins, they
// became sequential scans (and merge joins over a whole index) when the planner's statistics were
// taken on a smaller table or never, and grew with the data (a 1M-event load: 2.4 s a quarter of
// the batches at the start, 10 s at the end, for the reship lookup alone).

/** When a deployment started, for the fallback windows: started_at, else finished_at (api.md). */
const startOf = (alias: string) => `coalesce(${alias}.started_at, ${alias}.finished_at)`;

/**
 * Re-chains the successful deployments of the given repositories (or services) per environment by
 * finish time; a failed deployment has no previous one (as DevLake). Returns the ids whose previous
 * deployment changed.
 */
export async function linkPreviousSuccess(
  manager: EntityManager,
  repos: string[],
): Promise<number[]> {
  if (repos.length === 0) return [];
  return returningIds(
    manager,
    // One window, successes partitioned apart from the rest: as a join of every deployment to
    // the chained successes, a plan that believed a new repository held one row recomputed the
    // window for each deployment (2-3 s a batch).
    `UPDATE deployments d SET previous_success_id = chained.previous_id
     FROM (
       SELECT id, CASE WHEN status = 'success' THEN lag(id) OVER (
           PARTITION BY repo, environment, status = 'success' ORDER BY finished_at, source, native_id)
         END AS previous_id
       FROM deployments WHERE repo = ANY($1::text[])
     ) AS chained
     WHERE d.id = chained.id AND d.previous_success_id IS DISTINCT FROM chained.previous_id
     RETURNING d.id`,
    [repos],
  );
}

/**
 * Resolves `fixes` (a native id of the same source, else of any) for the given deployments and for
 * those that name one of them. Returns the deployments whose change-failure flag may have changed.
 */
export async function linkFixes(
  manager: EntityManager,
  deploymentIds: number[],
): Promise<number[]> {
  if (deploymentIds.length === 0) return [];
  return returningIds(
    manager,
    `WITH changed AS (SELECT source, native_id FROM deployments WHERE id = ANY($1::bigint[])),
     -- the given ones and those naming one of them; as one OR, a scan of every deployment
     ids AS MATERIALIZED (
       SELECT unnest($1::bigint[]) AS id
       UNION
       SELECT naming.id FROM changed
       CROSS JOIN LATERAL (SELECT id FROM deployments
                           WHERE fixes_native_id = changed.native_id OFFSET 0) AS naming
     )
     UPDATE deployments d SET fixes_id = resolved.target_id
     FROM (
       SELECT f.id, f.fixes_id AS old_id,
         (SELECT t.id FROM deployments t WHERE t.native_id = f.fixes_native_id
          ORDER BY (t.source = f.source) DESC, t.source LIMIT 1) AS target_id
       FROM ids
       CROSS JOIN LATERAL (SELECT * FROM deployments WHERE id = ids.id OFFSET 0) AS f
       WHERE f.fixes_native_id IS NOT NULL OR f.fixes_id IS NOT NULL
     ) AS resolved
     -- ANY(ARRAY(...)) finds the rows to update by index; a join alone was planned as a scan
     WHERE d.id = ANY(ARRAY(SELECT id FROM ids))
       AND d.id = resolved.id AND d.fixes_id IS DISTINCT FROM resolved.target_id
     RETURNING resolved.old_id, d.fixes_id AS new_id`,
    [deploymentIds],
  );
}

/**
 * The deployments whose shipped PRs may have changed: the given ones, their successors in the
 * chain, and for the given PRs the deployments that state their merge commit or number, the ones
 * linked to them now, and those of their repository that started at or after they merged (the
 * fallback windows that can contain them).
 */
export async function deploymentsToReship(
  manager: EntityManager,
  deploymentIds: number[],
  pullRequestIds: number[],
): Promise<number[]> {
  if (deploymentIds.length === 0 && pullRequestIds.length === 0) return [];
  return returningIds(
    manager,
    `WITH prs AS (SELECT id, repo, number, merge_commit_sha, merged_at FROM pull_requests WHERE id = ANY($2::bigint[]))
     SELECT unnest($1::bigint[]) AS id
     UNION SELECT next.id FROM unnest($1::bigint[]) AS given (id)
       CROSS JOIN LATERAL (SELECT id FROM deployments WHERE previous_success_id = given.id OFFSET 0) AS next
     UNION SELECT stating.deployment_id FROM prs
       CROSS JOIN LATERAL (SELECT deployment_id FROM deployment_commits
                           WHERE sha = prs.merge_commit_sha OFFSET 0) AS stating
     UNION SELECT numbering.deployment_id FROM prs
       CROSS JOIN LATERAL (SELECT deployment_id FROM deployment_pull_requests
                           WHERE repo = prs.repo AND pr_number = prs.number OFFSET 0) AS numbering
     UNION SELECT shipping.deployment_id FROM unnest($2::bigint[]) AS given (id)
       CROSS JOIN LATERAL (SELECT deployment_id FROM deployment_shipped_prs
                           WHERE pull_request_id = given.id OFFSET 0) AS shipping
     UNION SELECT later.id
       FROM (SELECT repo, min(merged_at) AS earliest FROM prs WHERE merged_at IS NOT NULL GROUP BY repo) m
       CROSS JOIN LATERAL (SELECT d.id FROM deployments d
                           WHERE d.repo = m.repo AND d.status = 'success' AND d.is_production
                             AND ${startOf('d')} >= m.earliest OFFSET 0) AS later`,
    [deploymentIds, pullRequestIds],
  );
}

/**
 * Re-derives what the given deployments shipped. Only a successful production deployment with a
 * previous successful one ships anything (the first one's reach is unknown). Stated commits ship
 * the merged PRs whose merge commit they are, in any repository; stated PR numbers ship PRs of the
 * deployment's repository; with neither, the repository's PRs merged after the previous successful
 * deployment started and at or before this one started. Returns the PRs whose links changed.
 *
 * Each deployment, and each PR it names, is looked up on its own (LATERAL, fenced by OFFSET 0), by
 * index. Joined as sets, the planner read every PR once per batch: it believed a batch's
 * deployments were a handful, and hashed the whole PR table to meet them (590 ms a batch at
 * 500,000 PRs, and growing with the table); or it read every successful production deployment to
 * find the batch's, and every PR of a repository to find the few a deployment names. Looked up
 * one by one, 1,500 deployments took 26 ms against 240-445 ms at the metrics benchmark's
 * 1,000,000 PRs (psql, same rows); at 1,000,000 ingested events, 46 ms a batch against 126 ms.
 */
export async function linkShippedPullRequests(
  manager: EntityManager,
  deploymentIds: number[],
): Promise<number[]> {
  if (deploymentIds.length === 0) return [];
  return returningIds(
    manager,
    `WITH targets AS (
       SELECT d.id, d.repo, d.stated_commits, d.stated_pull_requests,
         ${startOf('d')} AS started, ${startOf('previous')} AS previous_started
       FROM unnest($1::bigint[]) AS given (id)
       CROSS JOIN LATERAL (SELECT * FROM deployments d WHERE d.id = given.id OFFSET 0) AS d
       JOIN deployments previous ON previous.id = d.previous_success_id
       WHERE d.status = 'success' AND d.is_production
     ),
     desired AS (
       SELECT t.id AS deployment_id, shipped.id AS pull_request_id
       FROM targets t CROSS JOIN LATERAL (
         SELECT p.id FROM deployment_commits c
         JOIN pull_requests p ON p.merge_commit_sha = c.sha AND p.merged_at IS NOT NULL
         WHERE c.deployment_id = t.id OFFSET 0) AS shipped
       WHERE t.stated_commits
       UNION
       SELECT t.id, shipped.id
       FROM targets t CROSS JOIN LATERAL (
         SELECT p.id FROM deployment_pull_requests n
         CROSS JOIN LATERAL (SELECT p.id FROM pull_requests p
           WHERE p.repo = t.repo AND p.number = n.pr_number AND p.merged_at IS NOT NULL OFFSET 0) AS p
         WHERE n.deployment_id = t.id OFFSET 0) AS shipped
       WHERE t.stated_pull_requests
       UNION
       SELECT t.id, shipped.id
       FROM targets t CROSS JOIN LATERAL (
         SELECT p.id FROM pull_requests p
         WHERE p.repo = t.repo AND p.merged_at > t.previous_started AND p.merged_at <= t.started
         OFFSET 0) AS shipped
       WHERE NOT t.stated_commits AND NOT t.stated_pull_requests
     ),
     removed AS (
       DELETE FROM deployment_shipped_prs s
       WHERE s.deployment_id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM desired
                         WHERE desired.deployment_id = s.deployment_id AND desired.pull_request_id = s.pull_request_id)
       RETURNING s.pull_request_id
     ),
     added AS (
       INSERT INTO deployment_shipped_prs (deployment_id, pull_request_id)
       SELECT deployment_id, pull_request_id FROM desired
       ON CONFLICT DO NOTHING
       RETURNING pull_request_id
     )
     SELECT pull_request_id FROM removed UNION SELECT pull_request_id FROM added`,
    [deploymentIds],
  );
}

/** The PRs linked to these deployments (whose deployed_at follows their finish time). */
export async function pullRequestsShippedBy(
  manager: EntityManager,
  deploymentIds: number[],
): Promise<number[]> {
  if (deploymentIds.length === 0) return [];
  return returningIds(
    manager,
    `SELECT DISTINCT shipped.pull_request_id FROM unnest($1::bigint[]) AS given (id)
     CROSS JOIN LATERAL (SELECT pull_request_id FROM deployment_shipped_prs
                         WHERE deployment_id = given.id OFFSET 0) AS shipped`,
    [deploymentIds],
  );
}

/**
 * A PR's deployment is the earliest-started successful production deployment that shipped it;
 * deployed_at is that deployment's finish time. The PRs are also named by `id = ANY`, which
 * lets PostgreSQL fetch them by their key: joined to the list alone, it read the whole PR table
 * for each batch past a few hundred thousand PRs (360-510 ms a batch at 500,000).
 */
export async function linkPullRequestDeployments(
  manager: EntityManager,
  pullRequestIds: number[],
): Promise<void> {
  if (pullRequestIds.length === 0) return;
  await manager.query(
    `WITH targets AS (SELECT DISTINCT unnest($1::bigint[]) AS id),
     desired AS (
       SELECT targets.id, earliest.id AS deployment_id, earliest.finished_at
       FROM targets
       LEFT JOIN LATERAL (
         SELECT d.id, d.finished_at
         FROM deployment_shipped_prs s JOIN deployments d ON d.id = s.deployment_id
         WHERE s.pull_request_id = targets.id
         ORDER BY ${startOf('d')}, d.finished_at, d.source, d.native_id
         LIMIT 1
       ) AS earliest ON true
     )
     UPDATE pull_requests p SET deployment_id = desired.deployment_id, deployed_at = desired.finished_at
     FROM desired
     WHERE p.id = desired.id AND p.id = ANY($1::bigint[])
       AND (p.deployment_id IS DISTINCT FROM desired.deployment_id
            OR p.deployed_at IS DISTINCT FROM desired.finished_at)`,
    [pullRequestIds],
  );
}
