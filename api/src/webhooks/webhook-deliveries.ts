import type { EntityManager } from 'typeorm';
import type { LastmileEvent } from '@lastmile/collectors';
import { PAYLOAD_TABLES } from '../ingest/ingest.repository.js';

/**
 * Records a webhook delivery once per provider; false when it was seen before (a replay). The
 * primary key makes a concurrent replay wait for the first delivery's transaction.
 */
export async function recordWebhookDelivery(
  manager: EntityManager,
  provider: string,
  deliveryId: string,
  event: string,
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO webhook_deliveries (provider, delivery_id, event) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING delivery_id`,
    [provider, deliveryId, event],
  );
  return inserted.length > 0;
}

/**
 * Records `updatedAt` as the object's newest version unless a newer one is stored; false when it
 * is (the delivery is older than what was written). The row lock orders concurrent deliveries of
 * one object: each waits for the one before to commit, then compares with what it wrote.
 */
export async function recordObjectVersion(
  manager: EntityManager,
  provider: string,
  objectKey: string,
  updatedAt: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO webhook_object_versions (provider, object_key, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (provider, object_key) DO UPDATE SET updated_at = excluded.updated_at
       WHERE webhook_object_versions.updated_at <= excluded.updated_at
     RETURNING object_key`,
    [provider, objectKey, updatedAt],
  );
  return rows.length > 0;
}

/** An event as stored (its raw payload), by source and native id; undefined when none is. */
export async function storedEvent(
  manager: EntityManager,
  type: keyof typeof PAYLOAD_TABLES,
  source: string,
  nativeId: string,
): Promise<LastmileEvent | undefined> {
  const { rows, table, key } = PAYLOAD_TABLES[type];
  const [row]: { raw: LastmileEvent }[] = await manager.query(
    `SELECT payload.raw FROM ${rows} r JOIN ${table} payload ON payload.${key} = r.id
     WHERE r.source = $1 AND r.native_id = $2`,
    [source, nativeId],
  );
  return row?.raw;
}
