import { successfulDeploymentsItemsSql } from './deployment-frequency.sql.js';

/**
 * change_failure_rate: per period, the share of successful production deployments that are change
 * failures (failures / deployments, NULL with no deployments). Same items as deployment_frequency,
 * so the two always agree on what a deployment is.
 */
export const changeFailureRateItemsSql = successfulDeploymentsItemsSql;
