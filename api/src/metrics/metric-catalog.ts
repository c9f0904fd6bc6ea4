import type { MetricName } from './metric.types.js';
import type { PeriodMatch } from './sql/series.sql.js';
import { changeFailureRateItemsSql } from './sql/change-failure-rate.sql.js';
import { successfulDeploymentsItemsSql } from './sql/deployment-frequency.sql.js';
import { leadTimeItemsSql } from './sql/lead-time.sql.js';
import { modelIterationTimeItemsSql } from './sql/model-iteration-time.sql.js';
import { modelPromotionsItemsSql } from './sql/model-promotions.sql.js';
import {
  MODEL_RELEASE_LEAD_TIME_BREAKDOWN,
  modelReleaseLeadTimeItemsSql,
} from './sql/model-release-lead-time.sql.js';
import { modelVersionsRegisteredItemsSql } from './sql/model-versions-registered.sql.js';
import { PR_CYCLE_TIME_BREAKDOWN, prCycleTimeItemsSql } from './sql/pr-cycle-time.sql.js';
import { prThroughputItemsSql } from './sql/pr-throughput.sql.js';
import { timeToRestoreItemsSql } from './sql/time-to-restore.sql.js';

// What kind each metric is, which way is better, the SQL of its items (sql/*.sql.ts) and, for a
// duration, how its items meet their periods (PeriodMatch in sql/series.sql.ts).

export type MetricDefinition =
  | {
      kind: 'duration';
      better: 'lower';
      items: string;
      breakdown: readonly string[];
      periods: PeriodMatch;
    }
  | { kind: 'count'; better: 'higher'; items: string; extra?: 'deploy_days' | 'first_time_models' }
  | { kind: 'rate'; better: 'lower'; items: string }
  | { kind: 'gauge'; better: 'higher' };

export const METRIC_CATALOG: Record<MetricName, MetricDefinition> = {
  pr_cycle_time: {
    kind: 'duration',
    better: 'lower',
    items: prCycleTimeItemsSql,
    breakdown: PR_CYCLE_TIME_BREAKDOWN,
    periods: 'range-scan',
  },
  lead_time_for_changes: {
    kind: 'duration',
    better: 'lower',
    items: leadTimeItemsSql,
    breakdown: [],
    periods: 'range-scan',
  },
  deployment_frequency: {
    kind: 'count',
    better: 'higher',
    items: successfulDeploymentsItemsSql,
    extra: 'deploy_days',
  },
  change_failure_rate: { kind: 'rate', better: 'lower', items: changeFailureRateItemsSql },
  time_to_restore: {
    kind: 'duration',
    better: 'lower',
    items: timeToRestoreItemsSql,
    breakdown: [],
    periods: 'bucket',
  },
  pr_throughput: { kind: 'count', better: 'higher', items: prThroughputItemsSql },
  models_in_production: { kind: 'gauge', better: 'higher' },
  model_promotions: {
    kind: 'count',
    better: 'higher',
    items: modelPromotionsItemsSql,
    extra: 'first_time_models',
  },
  model_release_lead_time: {
    kind: 'duration',
    better: 'lower',
    items: modelReleaseLeadTimeItemsSql,
    breakdown: MODEL_RELEASE_LEAD_TIME_BREAKDOWN,
    periods: 'bucket',
  },
  model_iteration_time: {
    kind: 'duration',
    better: 'lower',
    items: modelIterationTimeItemsSql,
    breakdown: [],
    periods: 'bucket',
  },
  model_versions_registered: {
    kind: 'count',
    better: 'higher',
    items: modelVersionsRegisteredItemsSql,
  },
};
