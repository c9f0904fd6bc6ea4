import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { GithubSource, LastmileEvent } from '@lastmile/collectors';
import type { PAYLOAD_TABLES } from '../../ingest/ingest.repository.js';
import { storedEvent } from '../webhook-deliveries.js';

@Injectable()
export class GithubWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** GitHub sources that accept webhooks (config-declared ones are synced into the table at boot). */
  async sourcesWithSecrets(): Promise<GithubSource[]> {
    const rows: { config: GithubSource }[] = await this.dataSource.query(
      `SELECT config FROM sources WHERE kind = 'github' AND config ? 'webhook_secret_env' ORDER BY name`,
    );
    return rows.map((row) => row.config);
  }

  /** False when the delivery was seen before (the primary key makes a concurrent replay wait). */
  async recordDelivery(
    manager: EntityManager,
    deliveryId: string,
    event: string,
  ): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO webhook_deliveries (provider, delivery_id, event) VALUES ('github', $1, $2)
       ON CONFLICT DO NOTHING RETURNING delivery_id`,
      [deliveryId, event],
    );
    return inserted.length > 0;
  }

  /** The stored version of an event (its raw payload), to keep what a delivery does not carry. */
  stored(
    manager: EntityManager,
    type: keyof typeof PAYLOAD_TABLES,
    source: string,
    nativeId: string,
  ): Promise<LastmileEvent | undefined> {
    return storedEvent(manager, type, source, nativeId);
  }
}
