import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SagemakerSource } from '@lastmile/collectors';

export interface SagemakerSourceRow {
  id: number;
  config: SagemakerSource;
}

@Injectable()
export class SagemakerWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** SageMaker sources that accept events (config-declared ones are synced into the table at boot). */
  sourcesWithSecrets(): Promise<SagemakerSourceRow[]> {
    return this.dataSource.query(
      `SELECT id, config FROM sources WHERE kind = 'sagemaker' AND config ? 'secret_env' ORDER BY name`,
    );
  }
}
