import type { EntityManager } from 'typeorm';

/**
 * Runs a statement and gives the rows it returns: TypeORM answers an UPDATE or DELETE with
 * [rows, rowCount] and everything else with the rows alone.
 */
export async function returningRows<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** Every non-null value the statement returns (one or more id columns), as numbers. */
export async function returningIds(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<number[]> {
  const rows = await returningRows<Record<string, string | null>>(manager, sql, params);
  return rows
    .flatMap((row) => Object.values(row))
    .filter((id) => id !== null)
    .map(Number);
}
