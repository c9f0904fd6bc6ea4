import type { MigrationInterface, QueryRunner } from 'typeorm';

// A stored source the server cannot run (a schedule that never fires, a configuration the current
// rules refuse) is kept, skipped at start, and carries why, so the start never fails on it and the
// dashboard can show what to fix.
export class SourceProblems1765700000000 implements MigrationInterface {
  name = 'SourceProblems1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sources ADD COLUMN problem text;`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sources DROP COLUMN problem;`);
  }
}
