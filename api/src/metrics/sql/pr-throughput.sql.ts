import { inRange, repoFilter } from './fragments.sql.js';

/** pr_throughput: merged pull requests opened by humans, counted by merged_at. */
export const prThroughputItemsSql = `
  SELECT p.merged_at AS at, false AS is_failure, false AS is_first
  FROM pull_requests p
  WHERE p.merged_at IS NOT NULL AND NOT p.author_is_bot
    AND ${repoFilter('p.repo')} AND ${inRange('p.merged_at')}`;
