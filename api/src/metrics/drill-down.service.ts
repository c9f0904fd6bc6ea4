import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isoTime } from './iso-time.js';
import { MetricFilterResolver } from './metric-filter.js';
import type { DrillDownQuery } from './metric-query.parser.js';
import { bindNamed } from './sql/bind-named.js';
import {
  deploymentRowsSql,
  modelPromotionRowsSql,
  pullRequestRowsSql,
} from './sql/drill-down.sql.js';

export type DrillDownList = 'pull-requests' | 'deployments' | 'model-promotions';

export interface DrillDownPage {
  items: Record<string, unknown>[];
  total: number;
  limit: number;
  offset: number;
  /** The columns of each item, in order (the CSV header). */
  columns: string[];
}

const LISTS: Record<DrillDownList, { sql: string; columns: string[] }> = {
  'pull-requests': {
    sql: pullRequestRowsSql,
    columns: [
      'repo',
      'number',
      'title',
      'author',
      'created_at',
      'first_commit_at',
      'first_review_at',
      'merged_at',
      'deployed_at',
      'deployment_id',
      'deployment_source',
      'coding',
      'pickup',
      'review',
      'deploy',
      'cycle',
    ],
  },
  deployments: {
    sql: deploymentRowsSql,
    columns: [
      'id',
      'source',
      'repo',
      'environment',
      'status',
      'sha',
      'started_at',
      'finished_at',
      'previous_success_id',
      'is_change_failure',
      'fixes',
      'pull_requests',
      'incidents',
    ],
  },
  'model-promotions': {
    sql: modelPromotionRowsSql,
    columns: [
      'registry',
      'model',
      'version',
      'environment',
      'promoted_at',
      'precision',
      'precision_seconds',
      'registered_at',
      'run_id',
      'release_lead_time',
      'iteration_time',
      'first_promotion_of_model',
      'ended_at',
    ],
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

  async list(list: DrillDownList, query: DrillDownQuery): Promise<DrillDownPage> {
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
    const items = rows.map((row) =>
      Object.fromEntries(columns.map((column) => [column, jsonValue(row[column])])),
    );
    return { items, total, limit: query.limit, offset: query.offset, columns };
  }
}

const jsonValue = (value: unknown) => (value instanceof Date ? isoTime(value) : value);
