import { inRange, span } from './fragments.sql.js';
import { promotionsSql } from './model-promotions.sql.js';

/**
 * model_release_lead_time: registered -> production (promoted_at - version.created_at) per
 * promotion, bucketed by promoted_at; run start -> registered beside it when the run's start is known.
 */
export const modelReleaseLeadTimeItemsSql = `
  SELECT p.promoted_at AS at,
    ${span('v.created_at', 'p.promoted_at')} AS value,
    ${span('v.run_started_at', 'v.created_at')} AS run_to_registered
  FROM (${promotionsSql}) AS p
  JOIN model_versions v ON v.registry = p.registry AND v.model = p.model AND v.version = p.version
  WHERE ${inRange('p.promoted_at')}`;

export const MODEL_RELEASE_LEAD_TIME_BREAKDOWN = ['run_to_registered'] as const;
