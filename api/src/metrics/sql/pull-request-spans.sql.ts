import { repoFilter } from './fragments.sql.js';

/**
 * One row per merged pull request opened by a human, in scope, with the spans of metrics.md in
 * seconds: coding (first commit -> opened), pickup (opened -> first review), review (first review
 * -> merged), deploy (merged -> deployed), and cycle = coding + (opened -> merged) + deploy, a NULL
 * part counted as 0. Each span is span(start, end) of fragments.sql.ts, stored on the row by
 * PostgreSQL whenever it is written (generated columns, migration 1765200000000; the test
 * pull-request-spans.spec.ts holds them equal to span()). pr_cycle_time, lead_time_for_changes
 * and the drill-down list read it.
 */
export const pullRequestSpansSql = `
  SELECT p.id, p.repo, p.number, p.title, p.author, p.created_at, p.merged_at, p.first_commit_at,
    p.first_review_at, p.deployed_at, p.deployment_id,
    p.coding_seconds AS coding, p.pickup_seconds AS pickup, p.review_seconds AS review,
    p.deploy_seconds AS deploy, p.cycle_seconds AS cycle
  FROM pull_requests p
  WHERE p.merged_at IS NOT NULL AND NOT p.author_is_bot AND ${repoFilter('p.repo')}`;
