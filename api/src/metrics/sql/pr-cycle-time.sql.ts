import { inRange } from './fragments.sql.js';
import { pullRequestSpansSql } from './pull-request-spans.sql.js';

/** pr_cycle_time: one value per merged PR, bucketed by merged_at, with its breakdown beside it. */
export const prCycleTimeItemsSql = `
  SELECT pr.merged_at AS at, pr.cycle AS value, pr.coding, pr.pickup, pr.review, pr.deploy
  FROM (${pullRequestSpansSql}) AS pr
  WHERE ${inRange('pr.merged_at')}`;

export const PR_CYCLE_TIME_BREAKDOWN = ['coding', 'pickup', 'review', 'deploy'] as const;
