import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AffectedScope } from '../ingest/ingest.repository.js';

/**
 * Re-derives the linked columns (marked "derived" in the schema) for what a batch changed, in the
 * batch's transaction, so the result does not depend on the order data arrives in.
 */
@Injectable()
export class LinkingService {
  async relink(manager: EntityManager, affected: AffectedScope): Promise<void> {
    if (affected.pullRequestIds.length > 0) {
      await this.derivePullRequestFirsts(manager, affected.pullRequestIds);
    }
  }

  /** metrics.md: first commit = earliest authored commit; first review = earliest comment or
   * non-PENDING review by someone other than the author and not a bot (any one when the author
   * is unknown). Stated values from the ingest API win over lists. */
  private async derivePullRequestFirsts(manager: EntityManager, ids: number[]): Promise<void> {
    await manager.query(
      `UPDATE pull_requests p SET
         first_commit_at = COALESCE(p.stated_first_commit_at,
           (SELECT min(c.authored_at) FROM pr_commits c WHERE c.pull_request_id = p.id)),
         first_review_at = COALESCE(p.stated_first_review_at,
           (SELECT min(r.submitted_at) FROM pr_reviews r
             WHERE r.pull_request_id = p.id
               AND NOT r.author_is_bot
               AND upper(coalesce(r.state, '')) <> 'PENDING'
               AND (p.author IS NULL OR r.author IS DISTINCT FROM p.author)))
       WHERE p.id = ANY($1::bigint[])`,
      [ids],
    );
  }
}
