import type { EntityManager } from 'typeorm';
import { INDEX_CURSOR, MODEL_CURSOR, type PreviousRegistry } from '@lastmile/collectors';

/**
 * A registry collector's stored state for one model (by name), as the pure webhook mappers read
 * it, locked for the rest of the transaction so a poll or another delivery waits its turn.
 */
export async function previousRegistryFor(
  manager: EntityManager,
  sourceId: number,
  modelName: string,
): Promise<PreviousRegistry> {
  const rows: { resource: string; scope: string; cursor: unknown }[] = await manager.query(
    `SELECT resource, scope, cursor FROM sync_cursors
     WHERE source_id = $1 AND (resource = $2 OR (resource = $3 AND scope = (
       SELECT c.cursor -> 'models' -> $4::text ->> 'key' FROM sync_cursors c
       WHERE c.source_id = $1 AND c.resource = $2 AND c.scope = '')))
     FOR UPDATE`,
    [sourceId, INDEX_CURSOR, MODEL_CURSOR, modelName],
  );
  const index = rows.find((r) => r.resource === INDEX_CURSOR)?.cursor as PreviousRegistry['index'];
  const model = rows.find((r) => r.resource === MODEL_CURSOR);
  return {
    poll: undefined,
    index,
    model: (key) =>
      model && model.scope === key
        ? (model.cursor as ReturnType<PreviousRegistry['model']>)
        : undefined,
  };
}
