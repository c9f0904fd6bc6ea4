import type { PeriodMatch } from './sql/series.sql.js';
import { changeFailureRateItemsSql } from './sql/change-failure-rate.sql.js';
import { deploymentReworkRateItemsSql } from './sql/deployment-rework-rate.sql.js';
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

// Every metric's facts, declared once: its name, label, unit, kind, better direction, the filters
// that apply to it, the rows behind a period, where the dashboard shows it, and the SQL of its
// items (sql/*.sql.ts). GET /api/v1/metrics serves the facts; the web, the reports and the
// decisions read labels and directions from there, and MetricName is the union of the names.
// The order is the order pages and reports show the metrics in.

export type MetricKind = 'duration' | 'count' | 'rate' | 'gauge';
export type MetricFilterName = 'team' | 'repo' | 'model' | 'environment';
/** The drill-down list whose rows stand behind one period of the metric. */
export type MetricItemsList = 'pull-requests' | 'deployments' | 'incidents' | 'model-promotions';
export type DashboardPage = 'overview' | 'delivery' | 'models';

const DELIVERY_FILTERS = ['team', 'repo'] as const;
const DEPLOYMENT_FILTERS = ['team', 'repo', 'environment'] as const;
const MODEL_FILTERS = ['team', 'model', 'environment'] as const;

interface FactsBase {
  name: string;
  label: string;
  description: string;
  better: 'lower' | 'higher';
  filters: readonly MetricFilterName[];
  /**
   * The rows behind a period: the list, and the time that puts a row in the period (a query
   * parameter of the list, `by`). Null when no list holds them.
   */
  items: { list: MetricItemsList; by: string; noun: string; nouns: string } | null;
  pages: readonly DashboardPage[];
  /** Drawn as a chart in the HTML report. */
  report_chart: boolean;
  /** How a before/after comparison names the metric and one of its samples. */
  comparison: { label: string; sample: string };
}

/** A period's second count beside the value (count metrics). */
interface Extra {
  key: 'deploy_days' | 'first_time_models';
  label: string;
}

interface BreakdownPart {
  key: string;
  label: string;
  description: string;
}

export type MetricEntry = FactsBase &
  (
    | {
        kind: 'duration';
        unit: 'seconds';
        /** The parts reported beside each statistic (`breakdown` in the response). */
        breakdown: readonly BreakdownPart[];
        query: { items: string; periods: PeriodMatch; breakdown: readonly string[] };
      }
    | {
        kind: 'count';
        unit: 'count';
        /** What one counted item is called in a chart's legend. */
        value_label: string;
        extra: Extra | null;
        /** The summary figure a tile shows. */
        headline: 'total' | 'median_deploy_days_per_week';
        query: { items: string };
      }
    | {
        kind: 'rate';
        unit: 'ratio';
        /** The name of the counted share in the response (failures of deployments, ...). */
        numerator: 'failures' | 'rework';
        numerator_label: string;
        query: { items: string };
      }
    | { kind: 'gauge'; unit: 'count'; query: null }
  );

export const METRICS = [
  {
    name: 'lead_time_for_changes',
    label: 'Release lead time',
    description: 'First commit → deployed to production, per change.',
    kind: 'duration',
    unit: 'seconds',
    better: 'lower',
    filters: DELIVERY_FILTERS,
    items: { list: 'pull-requests', by: 'deployed_at', noun: 'change', nouns: 'changes' },
    pages: ['overview', 'delivery'],
    report_chart: true,
    comparison: { label: 'release lead time', sample: 'deployed pull requests' },
    breakdown: [],
    query: { items: leadTimeItemsSql, periods: 'range-scan', breakdown: [] },
  },
  {
    name: 'deployment_frequency',
    label: 'Deployment frequency',
    description: 'Successful production deployments.',
    kind: 'count',
    unit: 'count',
    better: 'higher',
    filters: DEPLOYMENT_FILTERS,
    items: { list: 'deployments', by: 'finished_at', noun: 'deployment', nouns: 'deployments' },
    pages: ['overview', 'delivery'],
    report_chart: true,
    comparison: { label: 'deployments per week', sample: 'weeks' },
    value_label: 'Deployments',
    extra: { key: 'deploy_days', label: 'Deploy-days' },
    headline: 'median_deploy_days_per_week',
    query: { items: successfulDeploymentsItemsSql },
  },
  {
    name: 'change_failure_rate',
    label: 'Change failure rate',
    description:
      'Share of production deployments that caused an incident or were fixed or rolled back.',
    kind: 'rate',
    unit: 'ratio',
    better: 'lower',
    filters: DEPLOYMENT_FILTERS,
    items: { list: 'deployments', by: 'finished_at', noun: 'deployment', nouns: 'deployments' },
    pages: ['overview', 'delivery'],
    report_chart: false,
    comparison: { label: 'weekly change failure rate', sample: 'weeks with deployments' },
    numerator: 'failures',
    numerator_label: 'Failures',
    query: { items: changeFailureRateItemsSql },
  },
  {
    name: 'deployment_rework_rate',
    label: 'Deployment rework rate',
    description:
      'Share of production deployments that were unplanned, made because of an incident (a fix, or the first deployment while one was open).',
    kind: 'rate',
    unit: 'ratio',
    better: 'lower',
    filters: DEPLOYMENT_FILTERS,
    items: { list: 'deployments', by: 'finished_at', noun: 'deployment', nouns: 'deployments' },
    pages: ['overview', 'delivery'],
    report_chart: false,
    comparison: { label: 'weekly deployment rework rate', sample: 'weeks with deployments' },
    numerator: 'rework',
    numerator_label: 'Rework',
    query: { items: deploymentReworkRateItemsSql },
  },
  {
    name: 'time_to_restore',
    label: 'Failed deployment recovery time',
    description: 'Incident opened → resolved.',
    kind: 'duration',
    unit: 'seconds',
    better: 'lower',
    filters: DELIVERY_FILTERS,
    items: { list: 'incidents', by: 'resolved_at', noun: 'incident', nouns: 'incidents' },
    pages: ['overview', 'delivery'],
    report_chart: false,
    comparison: { label: 'failed deployment recovery time', sample: 'resolved incidents' },
    breakdown: [],
    query: { items: timeToRestoreItemsSql, periods: 'bucket', breakdown: [] },
  },
  {
    name: 'pr_cycle_time',
    label: 'PR cycle time',
    description: 'First commit → deployed (not yet deployed: to merge), by merge date.',
    kind: 'duration',
    unit: 'seconds',
    better: 'lower',
    filters: DELIVERY_FILTERS,
    items: {
      list: 'pull-requests',
      by: 'merged_at',
      noun: 'merged pull request',
      nouns: 'merged pull requests',
    },
    pages: ['delivery'],
    report_chart: false,
    comparison: { label: 'PR cycle time', sample: 'merged pull requests' },
    breakdown: [
      { key: 'coding', label: 'Coding', description: 'first commit → PR opened' },
      { key: 'pickup', label: 'Pickup', description: 'opened → first review' },
      { key: 'review', label: 'Review', description: 'first review → merged' },
      { key: 'deploy', label: 'Deploy', description: 'merged → in production' },
    ],
    query: {
      items: prCycleTimeItemsSql,
      periods: 'range-scan',
      breakdown: PR_CYCLE_TIME_BREAKDOWN,
    },
  },
  {
    name: 'pr_throughput',
    label: 'PR throughput',
    description: 'Pull requests merged (bots left out).',
    kind: 'count',
    unit: 'count',
    better: 'higher',
    filters: DELIVERY_FILTERS,
    items: {
      list: 'pull-requests',
      by: 'merged_at',
      noun: 'merged pull request',
      nouns: 'merged pull requests',
    },
    pages: ['delivery'],
    report_chart: false,
    comparison: { label: 'merged pull requests per week', sample: 'weeks' },
    value_label: 'Merged PRs',
    extra: null,
    headline: 'total',
    query: { items: prThroughputItemsSql },
  },
  {
    name: 'models_in_production',
    label: 'Models in production',
    description: 'Distinct models with a version in production at the end of each period.',
    kind: 'gauge',
    unit: 'count',
    better: 'higher',
    filters: MODEL_FILTERS,
    items: null,
    pages: ['overview', 'models'],
    report_chart: true,
    comparison: { label: 'models in production', sample: 'weeks' },
    query: null,
  },
  {
    name: 'model_release_lead_time',
    label: 'Model release lead time',
    description: 'Version registered → in production.',
    kind: 'duration',
    unit: 'seconds',
    better: 'lower',
    filters: MODEL_FILTERS,
    items: { list: 'model-promotions', by: 'promoted_at', noun: 'promotion', nouns: 'promotions' },
    pages: ['overview', 'models'],
    report_chart: true,
    comparison: { label: 'model release lead time', sample: 'promotions' },
    breakdown: [
      {
        key: 'run_to_registered',
        label: 'Run → registered',
        description: 'training run started → version registered, where the run is known',
      },
    ],
    query: {
      items: modelReleaseLeadTimeItemsSql,
      periods: 'bucket',
      breakdown: MODEL_RELEASE_LEAD_TIME_BREAKDOWN,
    },
  },
  {
    name: 'model_iteration_time',
    label: 'Model iteration time',
    description: "Time since the same model's previous promotion.",
    kind: 'duration',
    unit: 'seconds',
    better: 'lower',
    filters: MODEL_FILTERS,
    items: {
      list: 'model-promotions',
      by: 'promoted_at',
      noun: 'repeat promotion',
      nouns: 'repeat promotions',
    },
    pages: ['overview', 'models'],
    report_chart: false,
    comparison: { label: 'model iteration time', sample: 'repeat promotions' },
    breakdown: [],
    query: { items: modelIterationTimeItemsSql, periods: 'bucket', breakdown: [] },
  },
  {
    name: 'model_promotions',
    label: 'Model promotions',
    description: 'Versions entering production for the first time.',
    kind: 'count',
    unit: 'count',
    better: 'higher',
    filters: MODEL_FILTERS,
    items: { list: 'model-promotions', by: 'promoted_at', noun: 'promotion', nouns: 'promotions' },
    pages: ['models'],
    report_chart: false,
    comparison: { label: 'model promotions per week', sample: 'weeks' },
    value_label: 'Promotions',
    extra: { key: 'first_time_models', label: 'Models promoted for the first time' },
    headline: 'total',
    query: { items: modelPromotionsItemsSql },
  },
  {
    name: 'model_versions_registered',
    label: 'Model versions registered',
    description: 'New model versions in the registry.',
    kind: 'count',
    unit: 'count',
    better: 'higher',
    filters: ['team', 'model'],
    items: null,
    pages: ['models'],
    report_chart: false,
    comparison: { label: 'model versions registered per week', sample: 'weeks' },
    value_label: 'Versions registered',
    extra: null,
    headline: 'total',
    query: { items: modelVersionsRegisteredItemsSql },
  },
] as const satisfies readonly MetricEntry[];

export type MetricName = (typeof METRICS)[number]['name'];

export const METRIC_NAMES: readonly MetricName[] = METRICS.map((metric) => metric.name);

/** Each entry by name, for code that needs one metric's facts (`METRIC.change_failure_rate`). */
export const METRIC = Object.fromEntries(METRICS.map((metric) => [metric.name, metric])) as {
  [Name in MetricName]: Extract<(typeof METRICS)[number], { name: Name }>;
};

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRIC, name);
}

export function metricEntry(name: MetricName): MetricEntry {
  return METRIC[name];
}

/** An entry as GET /api/v1/metrics serves it: every fact but the SQL. */
export type PublicMetricEntry = MetricEntry extends infer Entry
  ? Entry extends MetricEntry
    ? Omit<Entry, 'query'>
    : never
  : never;

export function publicCatalog(): PublicMetricEntry[] {
  return METRICS.map(({ query: _query, ...facts }) => facts as PublicMetricEntry);
}
