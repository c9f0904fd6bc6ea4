import { deploymentEnvironmentFilter, inRange, repoFilter } from './fragments.sql.js';

/**
 * deployment_frequency and change_failure_rate share their items: successful deployments to the
 * environment (production by default), bucketed by finished_at (the time of the latest successful
 * status). is_failure: the linking step found an incident attributed to it, or a later deployment
 * that fixes or rolls it back.
 */
export const successfulDeploymentsItemsSql = `
  SELECT d.finished_at AS at, d.is_change_failure AS is_failure, false AS is_first
  FROM deployments d
  WHERE d.status = 'success' AND ${deploymentEnvironmentFilter('d')}
    AND ${repoFilter('d.repo')} AND ${inRange('d.finished_at')}`;
