import { incidentFilter, inRange, span } from './fragments.sql.js';

/** time_to_restore: resolved_at - created_at of each resolved incident, bucketed by resolved_at. */
export const timeToRestoreItemsSql = `
  SELECT i.resolved_at AS at, ${span('i.created_at', 'i.resolved_at')} AS value
  FROM incidents i
  WHERE i.resolved_at IS NOT NULL AND ${incidentFilter('i')} AND ${inRange('i.resolved_at')}`;
