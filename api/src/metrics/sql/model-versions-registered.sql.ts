import { inRange, modelFilter } from './fragments.sql.js';

/** model_versions_registered: versions counted by their registry creation time. */
export const modelVersionsRegisteredItemsSql = `
  SELECT v.created_at AS at, false AS is_failure, false AS is_first
  FROM model_versions v
  WHERE ${modelFilter('v.registry', 'v.model')} AND ${inRange('v.created_at')}`;
