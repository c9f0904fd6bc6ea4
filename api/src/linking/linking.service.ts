import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AffectedScope } from '../ingest/ingest.repository.js';
import {
  deploymentsToReship,
  linkFixes,
  linkPreviousSuccess,
  linkPullRequestDeployments,
  linkShippedPullRequests,
  pullRequestsShippedBy,
} from './deployment-links.sql.js';
import {
  attributeIncidents,
  incidentsToReattribute,
  markChangeFailures,
} from './incident-links.sql.js';
import { linkModelIntervals } from './model-intervals.sql.js';

const unique = (ids: number[]) => [...new Set(ids)];

// The advisory lock class of linking (reports use 0x4c52 and 0x4c53, syncs 0x4c4d).
const LINKING_LOCK_CLASS = 0x4c49; // "LI"

/** Past this many changed rows, a table's planner statistics are refreshed before it is joined. */
const ANALYZE_AFTER = 5000;
/** ...and when they are more than this share of the rows the planner believes the table has. */
const GROWTH_SHARE = 0.25;
/** A table never analyzed is analyzed once a batch changes this many of its rows (of its owners',
 * for the lists deployments state). */
const FIRST_ANALYZE_AFTER = 1000;

/**
 * Re-derives the linked columns (marked "derived" in the schema) for what a batch changed, in the
 * batch's transaction, so the result does not depend on the order data arrives in. Each step works
 * on the rows the previous ones found changed, never on whole tables.
 */
@Injectable()
export class LinkingService {
  /**
   * One transaction at a time writes what linking reads and links, until it ends. Linking reads
   * what other transactions wrote: two of them at once (a PR in one, the deployment naming it in
   * the other; a team's new repositories in one, an incident naming the team in the other) would
   * each link before the other committed, and the link would never be made. Take it before the
   * first write: taken later, a transaction could hold rows the lock's holder must update.
   */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, 0)`, [LINKING_LOCK_CLASS]);
  }

  async relink(manager: EntityManager, affected: AffectedScope): Promise<void> {
    const pullRequestIds = unique(affected.pullRequestIds);
    const deploymentIds = unique(affected.deploymentIds);
    // A large first load leaves the planner believing the tables are nearly empty, and it then
    // picks nested loops over sequential scans: refresh what the batch grew.
    await this.analyzeIfGrown(manager, [
      ['pull_requests', pullRequestIds.length],
      ['deployments', deploymentIds.length],
      ['incidents', affected.incidentIds.length],
      // The lists deployments state grow with them; their lookups by sha and by PR number chose
      // bitmap scans for a thousand rows a key while the tables had no statistics (107 against
      // 64 ms a batch for deploymentsToReship at 700,000 PRs, psql).
      ['deployment_commits', deploymentIds.length],
      ['deployment_pull_requests', deploymentIds.length],
    ]);

    if (deploymentIds.length > 0 || pullRequestIds.length > 0) {
      const rechained = await linkPreviousSuccess(
        manager,
        await this.reposOf(manager, deploymentIds),
      );
      const reship = await deploymentsToReship(
        manager,
        unique([...deploymentIds, ...rechained]),
        pullRequestIds,
      );
      const relinked = await linkShippedPullRequests(manager, reship);
      await this.analyzeIfGrown(manager, [['deployment_shipped_prs', relinked.length]]);
      // A deployment whose times changed moves the deployed_at of what it shipped.
      const retimed = await pullRequestsShippedBy(manager, deploymentIds);
      await linkPullRequestDeployments(
        manager,
        unique([...pullRequestIds, ...relinked, ...retimed]),
      );
    }

    const refixed = await linkFixes(manager, deploymentIds);
    const incidents = await incidentsToReattribute(
      manager,
      unique(affected.incidentIds),
      deploymentIds,
    );
    const reattributed = await attributeIncidents(manager, incidents);
    await markChangeFailures(manager, unique([...deploymentIds, ...refixed, ...reattributed]));

    if (affected.models.size > 0) await linkModelIntervals(manager, [...affected.models]);
  }

  /**
   * Re-attributes the incidents named by team alone, and the change failures that follow, after a
   * team's repositories changed (team membership is not ingested, so relink() cannot see it).
   */
  async relinkTeamIncidents(manager: EntityManager, teamNames: string[]): Promise<void> {
    // A team's own rows may be written before this in the same transaction: linking never
    // updates teams, so the holder of the lock cannot be waiting for them.
    await this.lock(manager);
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM incidents WHERE repo IS NULL AND team = ANY($1::text[])`,
      [teamNames],
    );
    const reattributed = await attributeIncidents(
      manager,
      rows.map((row) => Number(row.id)),
    );
    await markChangeFailures(manager, unique(reattributed));
  }

  private async analyzeIfGrown(manager: EntityManager, changes: [string, number][]): Promise<void> {
    const candidates = changes.filter(([, count]) => count > FIRST_ANALYZE_AFTER);
    if (candidates.length === 0) return;
    // Only a table never analyzed (reltuples -1), or when the batch is a large share of what the
    // planner believes the table holds: an ANALYZE of a big table costs most of a second, and a
    // small share changes no plan.
    const estimates: { relname: string; reltuples: number }[] = await manager.query(
      `SELECT relname, reltuples::float8 AS reltuples FROM pg_class
       WHERE relname = ANY($1::text[]) AND relnamespace = current_schema()::regnamespace`,
      [candidates.map(([table]) => table)],
    );
    const believed = new Map(estimates.map((row) => [row.relname, row.reltuples]));
    const tables = candidates
      .filter(([table, count]) => {
        const rows = believed.get(table) ?? -1;
        return rows < 0 || (count > ANALYZE_AFTER && count > GROWTH_SHARE * rows);
      })
      .map(([table]) => table);
    if (tables.length > 0) await manager.query(`ANALYZE ${tables.join(', ')}`);
  }

  private async reposOf(manager: EntityManager, deploymentIds: number[]): Promise<string[]> {
    if (deploymentIds.length === 0) return [];
    const rows: { repo: string }[] = await manager.query(
      `SELECT DISTINCT repo FROM deployments WHERE id = ANY($1::bigint[])`,
      [deploymentIds],
    );
    return rows.map((row) => row.repo);
  }
}
