import type { MigrationInterface, QueryRunner } from 'typeorm';

// A GitHub backfill by GraphQL spends points, not requests: a run shows the points it used, what
// the token has left, and when the collector expects to finish (null where it cannot tell).
export class SyncRunGraphqlPoints1765500000000 implements MigrationInterface {
  name = 'SyncRunGraphqlPoints1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE sync_runs ADD COLUMN points integer NOT NULL DEFAULT 0,
         ADD COLUMN points_remaining integer, ADD COLUMN estimated_finish_at timestamptz;`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE sync_runs DROP COLUMN points, DROP COLUMN points_remaining, DROP COLUMN estimated_finish_at;`,
    );
  }
}
