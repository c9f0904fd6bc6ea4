import { repoFilter, span } from './fragments.sql.js';

/**
 * One row per merged pull request opened by a human, in scope, with the spans of metrics.md in
 * seconds: coding (first commit -> opened), pickup (opened -> first review), review (first review
 * -> merged), deploy (merged -> deployed), and cycle = coding + (opened -> merged) + deploy, a NULL
 * part counted as 0. pr_cycle_time, lead_time_for_changes and the drill-down list read it.
 */
export const pullRequestSpansSql = `
  SELECT p.id, p.repo, p.number, p.title, p.author, p.created_at, p.merged_at, p.first_commit_at,
    p.first_review_at, p.deployed_at, p.deployment_id,
    spans.coding, spans.pickup, spans.review, spans.deploy,
    coalesce(spans.coding, 0) + coalesce(spans.open, 0) + coalesce(spans.deploy, 0) AS cycle
  FROM pull_requests p
  CROSS JOIN LATERAL (SELECT
    ${span('p.first_commit_at', 'p.created_at')} AS coding,
    ${span('p.created_at', 'p.first_review_at')} AS pickup,
    ${span('p.first_review_at', 'p.merged_at')} AS review,
    ${span('p.merged_at', 'p.deployed_at')} AS deploy,
    ${span('p.created_at', 'p.merged_at')} AS open
  ) AS spans
  WHERE p.merged_at IS NOT NULL AND NOT p.author_is_bot AND ${repoFilter('p.repo')}`;
