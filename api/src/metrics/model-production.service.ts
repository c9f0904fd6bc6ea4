import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { isoTime } from './iso-time.js';
import { MetricFilterResolver } from './metric-filter.js';
import type { MetricQuery } from './metric.types.js';
import { bindNamed } from './sql/bind-named.js';
import {
  modelProductionChangesSql,
  modelsInProductionNowListSql,
} from './sql/model-production.sql.js';

export interface ModelInProduction {
  registry: string;
  model: string;
  version: string;
  environment: string;
  since: string;
  precision: 'exact' | 'registry' | 'observed';
  /** How uncertain `since` is (observed: the time since the previous poll), in seconds. */
  precision_seconds: number | null;
}

export interface ModelProductionChange {
  change: 'entered' | 'left';
  registry: string;
  model: string;
  version: string;
  environment: string;
  at: string;
  /** entered: how precisely `at` is known. */
  precision: 'exact' | 'registry' | 'observed' | null;
  precision_seconds: number | null;
  /** Why a version left production. */
  reason: 'demoted' | 'archived' | 'alias moved' | 'version deleted' | null;
}

/** GET /api/v1/models-in-production: which versions are in production now, and what changed. */
@Injectable()
export class ModelProductionService {
  private readonly productionPattern: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly filters: MetricFilterResolver,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.productionPattern = config.file.production_environment;
  }

  async list(
    query: MetricQuery,
  ): Promise<{ current: ModelInProduction[]; changes: ModelProductionChange[] }> {
    const filter = await this.filters.fromQuery(query);
    const run = (sql: string) => {
      const [text, params] = bindNamed(sql, {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        models: filter.models,
        environment: filter.environment,
        production_pattern: this.productionPattern,
      });
      return this.dataSource.query<Record<string, unknown>[]>(text, params);
    };
    const [current, changes] = await Promise.all([
      run(modelsInProductionNowListSql),
      run(modelProductionChangesSql),
    ]);
    const precisionSeconds = (value: unknown) => (value === null ? null : Number(value));
    return {
      current: current.map((row) => ({
        registry: String(row.registry),
        model: String(row.model),
        version: String(row.version),
        environment: String(row.environment),
        since: isoTime(row.since as Date),
        precision: row.precision as ModelInProduction['precision'],
        precision_seconds: precisionSeconds(row.precision_seconds),
      })),
      changes: changes.map((row) => ({
        change: row.change as ModelProductionChange['change'],
        registry: String(row.registry),
        model: String(row.model),
        version: String(row.version),
        environment: String(row.environment),
        at: isoTime(row.at as Date),
        precision: (row.precision as ModelProductionChange['precision']) ?? null,
        precision_seconds: precisionSeconds(row.precision_seconds),
        reason: (row.reason as ModelProductionChange['reason']) ?? null,
      })),
    };
  }
}
