import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isoTime } from './iso-time.js';
import {
  type DeploymentRow,
  deploymentRowSchema,
  type ModelPromotionRow,
  modelPromotionRowSchema,
  type PullRequestRow,
  pullRequestRowSchema,
} from './metric.contract.js';
import { MetricFilterResolver } from './metric-filter.js';
import type { DrillDownQuery } from './metric-query.parser.js';
import { bindNamed } from './sql/bind-named.js';
import {
  deploymentRowsSql,
  modelPromotionRowsSql,
  pullRequestRowsSql,
} from './sql/drill-down.sql.js';

export type DrillDownList = 'pull-requests' | 'deployments' | 'model-promotions';

export interface DrillDownRows {
  'pull-requests': PullRequestRow;
  deployments: DeploymentRow;
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

// Each list's columns are its row schema's fields, in their order: the JSON, the CSV header and
// the OpenAPI document say the same.
const LISTS: Record<DrillDownList, { sql: string; columns: string[] }> = {
  'pull-requests': {
    sql: pullRequestRowsSql,
    columns: Object.keys(pullRequestRowSchema.shape),
  },
  deployments: { sql: deploymentRowsSql, columns: Object.keys(deploymentRowSchema.shape) },
  'model-promotions': {
    sql: modelPromotionRowsSql,
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
    const filter = await this.filters.fromQuery(query);
    const { sql, columns } = LISTS[list];
    const run = (limit: number, offset: number): Promise<Record<string, unknown>[]> => {
      const [text, params] = bindNamed(sql, {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        repos: filter.repos,
        models: filter.models,
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
