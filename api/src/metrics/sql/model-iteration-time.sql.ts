import { inRange, span } from './fragments.sql.js';
import { promotionsSql } from './model-promotions.sql.js';

/**
 * model_iteration_time: for each promotion of a model that had another version promoted before,
 * the time since that previous promotion; bucketed by promoted_at.
 */
export const modelIterationTimeItemsSql = `
  SELECT p.promoted_at AS at, ${span('p.previous_promoted_at', 'p.promoted_at')} AS value
  FROM (${promotionsSql}) AS p
  WHERE p.previous_promoted_at IS NOT NULL AND ${inRange('p.promoted_at')}`;
