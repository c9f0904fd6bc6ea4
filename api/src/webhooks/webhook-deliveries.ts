import type { EntityManager } from 'typeorm';

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
