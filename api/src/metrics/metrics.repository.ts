import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { ResolvedFilter } from './metric-filter.js';
import type { DurationStats, Granularity } from './metric.types.js';
import { bindNamed } from './sql/bind-named.js';
import { modelsInProductionNowSql, modelsInProductionSql } from './sql/models-in-production.sql.js';
import {
  countSeriesSql,
  durationSamplesByWeekSql,
  durationSamplesSql,
  durationSeriesSql,
  type PeriodMatch,
} from './sql/series.sql.js';

export interface SeriesWindow {
  from: Date;
  to: Date;
  granularity: Granularity;
  tz: string;
}

/** One row per period (period_start set) and a summary row (period_start null). */
export interface PeriodRow<T> {
  period_start: Date | null;
  period_end: Date | null;
  /** Wholly inside the range (periodsOf in sql/fragments.sql.ts); false on the summary row. */
  whole: boolean;
  values: T;
}

export interface CountValues {
  value: number;
  deploy_days: number;
  failures: number;
  first_time: number;
}

export interface DeployDayMedians {
  perWeek: number | null;
  perMonth: number | null;
}

type Row = Record<string, unknown>;

/** Runs the metric SQL of sql/ with its parameters; no logic beyond reading rows. */
@Injectable()
export class MetricsRepository {
  private readonly productionPattern: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.productionPattern = config.file.production_environment;
  }

  async durationSeries(
    items: string,
    breakdown: readonly string[],
    periods: PeriodMatch,
    filter: ResolvedFilter,
    window: SeriesWindow,
  ): Promise<PeriodRow<DurationStats & { breakdown: Record<string, DurationStats> }>[]> {
    const rows = await this.run(durationSeriesSql(items, breakdown, periods), filter, window);
    return rows.map((row) => ({
      ...periodOf(row),
      values: {
        ...statsOf(row, ''),
        breakdown: Object.fromEntries(breakdown.map((part) => [part, statsOf(row, `${part}_`)])),
      },
    }));
  }

  async countSeries(
    items: string,
    filter: ResolvedFilter,
    window: SeriesWindow,
  ): Promise<PeriodRow<CountValues>[]> {
    const rows = await this.run(countSeriesSql(items), filter, window);
    return rows.map(countRowOf);
  }

  /** countSeries, and the medians of deploy-days per whole week and month of the range. */
  async deploymentSeries(
    items: string,
    filter: ResolvedFilter,
    window: SeriesWindow,
  ): Promise<{ rows: PeriodRow<CountValues>[]; medianDeployDays: DeployDayMedians }> {
    const rows = await this.run(countSeriesSql(items, { deployDays: true }), filter, window);
    const number = (value: unknown) => (value === null ? null : Number(value));
    return {
      rows: rows.map(countRowOf),
      medianDeployDays: {
        perWeek: number(rows[0].median_deploy_days_per_week),
        perMonth: number(rows[0].median_deploy_days_per_month),
      },
    };
  }

  async modelsInProduction(
    filter: ResolvedFilter,
    window: SeriesWindow,
  ): Promise<{ rows: PeriodRow<number>[]; current: number }> {
    const rows = await this.run(modelsInProductionSql, filter, window);
    const [now] = await this.run(modelsInProductionNowSql, filter, window);
    return {
      rows: rows.map((row) => ({ ...periodOf(row), values: Number(row.value) })),
      current: Number(now.current),
    };
  }

  async durationSamples(
    items: string,
    filter: ResolvedFilter,
    from: Date,
    to: Date,
  ): Promise<number[]> {
    const rows = await this.run(durationSamplesSql(items), filter, {
      from,
      to,
      granularity: 'week',
      tz: 'UTC',
    });
    return rows.map((row) => Number(row.value));
  }

  /** durationSamples with each value's ISO week (UTC) start, in epoch seconds. */
  async durationSamplesByWeek(
    items: string,
    filter: ResolvedFilter,
    from: Date,
    to: Date,
  ): Promise<{ value: number; week: number }[]> {
    const rows = await this.run(durationSamplesByWeekSql(items), filter, {
      from,
      to,
      granularity: 'week',
      tz: 'UTC',
    });
    return rows.map((row) => ({ value: Number(row.value), week: Number(row.week) }));
  }

  private run(sql: string, filter: ResolvedFilter, window: SeriesWindow): Promise<Row[]> {
    const [text, params] = bindNamed(sql, {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      granularity: window.granularity,
      tz: window.tz,
      repos: filter.repos,
      models: filter.models,
      teams: filter.teams,
      environment: filter.environment,
      production_pattern: this.productionPattern,
    });
    return this.dataSource.query(text, params);
  }
}

function periodOf(row: Row): Omit<PeriodRow<unknown>, 'values'> {
  return {
    period_start: (row.period_start as Date | null) ?? null,
    period_end: (row.period_end as Date | null) ?? null,
    whole: row.whole === true,
  };
}

function countRowOf(row: Row): PeriodRow<CountValues> {
  return {
    ...periodOf(row),
    values: {
      value: Number(row.value),
      deploy_days: Number(row.deploy_days),
      failures: Number(row.failures),
      first_time: Number(row.first_time),
    },
  };
}

function statsOf(row: Row, prefix: string): DurationStats {
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    count: Number(row[`${prefix}count`]),
    median: number(row[`${prefix}median`]),
    p75: number(row[`${prefix}p75`]),
    p90: number(row[`${prefix}p90`]),
    mean: number(row[`${prefix}mean`]),
  };
}
