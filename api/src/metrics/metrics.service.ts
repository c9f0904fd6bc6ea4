import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors.js';
import { classifyBand, thresholdsFor } from './benchmarks/classify-band.js';
import type { BandStatistic } from './benchmarks/benchmark.types.js';
import {
  METRIC_NAMES,
  type MetricEntry,
  isMetricName,
  metricEntry,
  publicCatalog,
} from './metric-catalog.js';
import { type MetricCatalogResponse, metricCatalogSchema } from './metric.contract.js';
import { MetricFilterResolver } from './metric-filter.js';
import type {
  Band,
  MetricName,
  MetricQuery,
  MetricResponse,
  MetricScope,
  RateMetricResponse,
} from './metric.types.js';

type RateSummary = RateMetricResponse['summary'];
import {
  type CountValues,
  MetricsRepository,
  type PeriodRow,
  type SeriesWindow,
} from './metrics.repository.js';
import { isoTime } from './iso-time.js';

export { isoTime };

/** The metrics of metrics.md over a range, and their samples for before/after comparisons. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly repository: MetricsRepository,
    private readonly filters: MetricFilterResolver,
  ) {}

  betterDirection(metric: MetricName): 'lower' | 'higher' {
    return definitionOf(metric).better;
  }

  /** The catalog as GET /api/v1/metrics serves it, held to its contract. */
  catalog(): MetricCatalogResponse {
    return metricCatalogSchema.parse({ metrics: publicCatalog() });
  }

  async query(metric: MetricName, query: MetricQuery): Promise<MetricResponse> {
    const definition = definitionOf(metric);
    if (!(query.from < query.to)) {
      throw new ValidationFailedError([{ path: 'from', message: 'must be before "to"' }]);
    }
    const filter = await this.filters.fromQuery(query);
    const window: SeriesWindow = {
      from: query.from,
      to: query.to,
      granularity: query.granularity,
      tz: query.tz,
    };
    const base = {
      metric,
      granularity: query.granularity,
      from: isoTime(query.from),
      to: isoTime(query.to),
      tz: query.tz,
    };
    // No data is not "low": with nothing behind the statistic (n = 0) the band has no level.
    const band = (
      statistics: Partial<Record<BandStatistic, number | null>>,
      n: number,
    ): { band?: Band } => {
      const thresholds = thresholdsFor(query.benchmark, metric);
      if (!thresholds) return {};
      const level = n > 0 ? classifyBand(thresholds, statistics) : null;
      return { band: { benchmark: query.benchmark, level } };
    };
    // A period the range cuts (its start before `from` or its end after `to`) is marked partial.
    const periodOf = (row: { period_start: Date | null; whole: boolean }) => ({
      period_start: isoTime(row.period_start as Date),
      ...(row.whole ? {} : { partial: true }),
    });

    switch (definition.kind) {
      case 'duration': {
        const rows = await this.repository.durationSeries(
          definition.query.items,
          definition.query.breakdown,
          definition.query.periods,
          filter,
          window,
        );
        const hasBreakdown = definition.query.breakdown.length > 0;
        const shape = ({ breakdown, ...stats }: (typeof rows)[number]['values']) =>
          hasBreakdown ? { ...stats, breakdown } : stats;
        const summary = shape(summaryOf(rows));
        return {
          ...base,
          kind: 'duration',
          unit: 'seconds',
          series: periodsOf(rows).map((row) => ({ ...periodOf(row), ...shape(row.values) })),
          summary,
          ...band({ median: summary.median }, summary.count),
        };
      }
      case 'count': {
        const deployDays = definition.extra?.key === 'deploy_days';
        const firstTime = definition.extra?.key === 'first_time_models';
        const { rows, medianDeployDays } = deployDays
          ? await this.repository.deploymentSeries(definition.query.items, filter, window)
          : {
              rows: await this.repository.countSeries(definition.query.items, filter, window),
              medianDeployDays: null,
            };
        const series = periodsOf(rows).map((row) => ({
          ...periodOf(row),
          value: row.values.value,
          ...(deployDays ? { deploy_days: row.values.deploy_days } : {}),
          ...(firstTime ? { first_time_models: row.values.first_time } : {}),
        }));
        const total = summaryOf(rows);
        if (medianDeployDays) {
          const medians = {
            median_deploy_days_per_week: medianDeployDays.perWeek,
            median_deploy_days_per_month: medianDeployDays.perMonth,
          };
          return {
            ...base,
            kind: 'count',
            unit: 'count',
            series,
            summary: { total: total.value, ...medians },
            ...band(medians, total.value),
          };
        }
        const summary = firstTime
          ? { total: total.value, first_time_models: total.first_time }
          : { total: total.value };
        return {
          ...base,
          kind: 'count',
          unit: 'count',
          series,
          summary,
          ...band({}, total.value),
        };
      }
      case 'rate': {
        const rows = await this.repository.countSeries(definition.query.items, filter, window);
        const summary = rateOf(summaryOf(rows), definition.numerator);
        return {
          ...base,
          kind: 'rate',
          unit: 'ratio',
          series: periodsOf(rows).map((row) => ({
            ...periodOf(row),
            ...rateOf(row.values, definition.numerator),
          })),
          summary,
          ...band({ value: summary.value }, summary.deployments),
        };
      }
      case 'gauge': {
        const { rows, current } = await this.repository.modelsInProduction(filter, window);
        return {
          ...base,
          kind: 'gauge',
          unit: 'count',
          series: rows.map((row) => ({ ...periodOf(row), value: row.values })),
          summary: { current },
          ...band({}, current),
        };
      }
    }
  }

  /**
   * Per-item values (duration metrics) or weekly values (counts and rates: the ISO weeks, UTC,
   * wholly inside [from, to); a rate's weeks without deployments are left out).
   */
  async samples(
    metric: MetricName,
    scope: MetricScope | null,
    from: Date,
    to: Date,
  ): Promise<number[]> {
    return (await this.samplesByWeek(metric, scope, from, to, false)).values;
  }

  /**
   * samples() and, per ISO week (UTC) in [from, to), the week's headline: the median of its items
   * for a duration metric (the week may be cut by the range), the week's value otherwise (weeks
   * wholly inside only). Weeks are keyed by their start in epoch seconds.
   */
  async samplesByWeek(
    metric: MetricName,
    scope: MetricScope | null,
    from: Date,
    to: Date,
    withWeeks = true,
  ): Promise<{ values: number[]; weeks: Map<number, number> }> {
    const definition = definitionOf(metric);
    const filter = await this.filters.fromScope(scope);
    const window: SeriesWindow = { from, to, granularity: 'week', tz: 'UTC' };
    const weekly = (rows: { start: Date | null; value: number }[]) => ({
      values: rows.map((row) => row.value),
      weeks: new Map(rows.map((row) => [(row.start as Date).getTime() / 1000, row.value])),
    });
    switch (definition.kind) {
      case 'duration': {
        if (!withWeeks) {
          const values = await this.repository.durationSamples(
            definition.query.items,
            filter,
            from,
            to,
          );
          return { values, weeks: new Map() };
        }
        const rows = await this.repository.durationSamplesByWeek(
          definition.query.items,
          filter,
          from,
          to,
        );
        const byWeek = new Map<number, number[]>();
        for (const row of rows) {
          const values = byWeek.get(row.week);
          if (values) values.push(row.value);
          else byWeek.set(row.week, [row.value]);
        }
        // Rows come sorted by value, so each week's list is sorted too.
        const weeks = new Map(
          [...byWeek].map(([week, values]) => [week, medianOfSorted(values)] as const),
        );
        return { values: rows.map((row) => row.value), weeks };
      }
      case 'count': {
        const rows = await this.repository.countSeries(definition.query.items, filter, window);
        return weekly(
          rows
            .filter((row) => row.whole)
            .map((row) => ({ start: row.period_start, value: row.values.value })),
        );
      }
      case 'rate': {
        const rows = await this.repository.countSeries(definition.query.items, filter, window);
        return weekly(
          rows
            .filter((row) => row.whole && row.values.value > 0)
            .map((row) => ({
              start: row.period_start,
              value: row.values.failures / row.values.value,
            })),
        );
      }
      case 'gauge': {
        const { rows } = await this.repository.modelsInProduction(filter, window);
        return weekly(
          rows
            .filter((row) => row.whole)
            .map((row) => ({ start: row.period_start, value: row.values })),
        );
      }
    }
  }
}

function medianOfSorted(values: number[]): number {
  const middle = (values.length - 1) / 2;
  const low = Math.floor(middle);
  return values[low] + (middle - low) * (values[Math.ceil(middle)] - values[low]);
}

// A name from a caller that skipped the parser (decisions, reports) is still checked.
function definitionOf(metric: string): MetricEntry {
  if (!isMetricName(metric)) {
    throw new ValidationFailedError([
      {
        path: 'metric',
        message: `"${metric}" is not a metric (known: ${METRIC_NAMES.join(', ')})`,
      },
    ]);
  }
  return metricEntry(metric);
}

function periodsOf<T>(rows: PeriodRow<T>[]): PeriodRow<T>[] {
  return rows.filter((row) => row.period_start !== null);
}

function summaryOf<T>(rows: PeriodRow<T>[]): T {
  const summary = rows.find((row) => row.period_start === null);
  if (!summary) throw new Error('metric SQL returned no summary row');
  return summary.values;
}

function rateOf(values: CountValues, numerator: 'failures' | 'rework'): RateSummary {
  const value = values.value === 0 ? null : values.failures / values.value;
  return numerator === 'rework'
    ? { value, rework: values.failures, deployments: values.value }
    : { value, failures: values.failures, deployments: values.value };
}
