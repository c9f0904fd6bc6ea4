import type { QueryRunner } from 'typeorm';

/**
 * Runs SQL in a transaction of its own, for a migration that sets `transaction = false` because it
 * must do something after committing (VACUUM cannot run inside a transaction).
 */
export async function inTransaction(queryRunner: QueryRunner, sql: string): Promise<void> {
  await queryRunner.startTransaction();
  try {
    await queryRunner.query(sql);
    await queryRunner.commitTransaction();
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  }
}
