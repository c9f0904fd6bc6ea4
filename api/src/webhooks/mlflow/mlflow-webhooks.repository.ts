import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { MlflowSource, PreviousRegistry } from '@lastmile/collectors';
import { previousRegistryFor } from '../registry-cursors.js';

export interface MlflowSourceRow {
  id: number;
  config: MlflowSource;
}

@Injectable()
export class MlflowWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** MLflow sources that accept webhooks (config-declared ones are synced into the table at boot). */
  sourcesWithSecrets(): Promise<MlflowSourceRow[]> {
    return this.dataSource.query(
      `SELECT id, config FROM sources WHERE kind = 'mlflow' AND config ? 'webhook_secret_env' ORDER BY name`,
    );
  }

  /** The collector's stored state for one model (by name), as the pure webhook mapper reads it. */
  previousFor(
    manager: EntityManager,
    sourceId: number,
    modelName: string,
  ): Promise<PreviousRegistry> {
    return previousRegistryFor(manager, sourceId, modelName);
  }
}
