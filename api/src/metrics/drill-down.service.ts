import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isoTime } from './iso-time.js';
import {
  type DeploymentRow,
  deploymentRowSchema,
  type IncidentRow,
  incidentRowSchema,
  type ModelPromotionRow,
  modelPromotionRowSchema,
  type PullRequestRow,
  pullRequestRowSchema,
} from './metric.contract.js';
import { MetricFilterResolver } from './metric-filter.js';
import type { DrillDownQuery } from './metric-query.parser.js';
import { bindNamed } from './sql/bind-named.js';
import { ValidationFailedError } from '../common/errors.js';
import type { MetricItemsList } from './metric-catalog.js';
import {
  deploymentRowsSql,
  incidentRowsSql,
  modelPromotionRowsSql,
  pullRequestRowsSql,
} from './sql/drill-down.sql.js';

export type DrillDownList = MetricItemsList;

export interface DrillDownRows {
  'pull-requests': PullRequestRow;
  deployments: DeploymentRow;
  incidents: IncidentRow;
  'model-promotions': ModelPromotionRow;
}

export interface DrillDownPage<List extends DrillDownList = DrillDownList> {
  items: DrillDownRows[List][];
  total: number;
  limit: number;
  offset: number;
  /** The columns of each item, in order (the CSV header). */
  columns: string[];
}

/**
 * Each list's SQL by the time that puts a row in the range (`by`, the first is the default), and
 * its columns: its row schema's fields, in their order, so the JSON, the CSV header and the
 * OpenAPI document say the same. The times are those the catalog's metrics bucket their items by.
 */
const LISTS: Record<DrillDownList, { sql: Record<string, string>; columns: string[] }> = {
  'pull-requests': {
    sql: {
      merged_at: pullRequestRowsSql('merged_at'),
      deployed_at: pullRequestRowsSql('deployed_at'),
    },
    columns: Object.keys(pullRequestRowSchema.shape),
  },
  deployments: {
    sql: { finished_at: deploymentRowsSql },
    columns: Object.keys(deploymentRowSchema.shape),
  },
  incidents: {
    sql: { resolved_at: incidentRowsSql },
    columns: Object.keys(incidentRowSchema.shape),
  },
  'model-promotions': {
    sql: { promoted_at: modelPromotionRowsSql },
    columns: Object.keys(modelPromotionRowSchema.shape),
  },
};

/** The rows behind the metrics, filtered like them. */
@Injectable()
export class DrillDownService {
  private readonly productionPattern: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly filters: MetricFilterResolver,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.productionPattern = config.file.production_environment;
  }

  async list<List extends DrillDownList>(
    list: List,
    query: DrillDownQuery,
  ): Promise<DrillDownPage<List>> {
    const { sql: byTime, columns } = LISTS[list];
    const times = Object.keys(byTime);
    const by = query.by ?? times[0];
    if (!times.includes(by)) {
      throw new ValidationFailedError([
        { path: 'by', message: `"${by}" is not a time of this list (known: ${times.join(', ')})` },
      ]);
    }
    const sql = byTime[by];
    const filter = await this.filters.fromQuery(query);
    const run = (limit: number, offset: number): Promise<Record<string, unknown>[]> => {
      const [text, params] = bindNamed(sql, {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        repos: filter.repos,
        models: filter.models,
        teams: filter.teams,
        environment: filter.environment,
        production_pattern: this.productionPattern,
        limit,
        offset,
      });
      return this.dataSource.query(text, params);
    };
    const rows = await run(query.limit, query.offset);
    // Past the last page the window count has no row to ride on: ask for the total alone.
    const counted = rows.length > 0 || query.offset === 0 ? rows : await run(1, 0);
    const total = counted.length > 0 ? Number(counted[0].total) : 0;
    // The driver's rows are untyped; the contract's schema names their columns.
    const items = rows.map(
      (row) =>
        Object.fromEntries(
          columns.map((column) => [column, jsonValue(row[column])]),
        ) as DrillDownRows[List],
    );
    return { items, total, limit: query.limit, offset: query.offset, columns };
  }
}

const jsonValue = (value: unknown) => (value instanceof Date ? isoTime(value) : value);
