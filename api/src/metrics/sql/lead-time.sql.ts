import { inRange } from './fragments.sql.js';
import { pullRequestSpansSql } from './pull-request-spans.sql.js';

/**
 * lead_time_for_changes (release lead time): the cycle of each merged PR that reached production,
 * bucketed by deployed_at (the finish of the earliest-started successful production deployment
 * that shipped it, written by the linking step).
 */
export const leadTimeItemsSql = `
  SELECT pr.deployed_at AS at, pr.cycle AS value
  FROM (${pullRequestSpansSql}) AS pr
  WHERE pr.deployed_at IS NOT NULL AND ${inRange('pr.deployed_at')}`;
