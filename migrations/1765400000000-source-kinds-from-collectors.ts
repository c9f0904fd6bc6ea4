import type { MigrationInterface, QueryRunner } from 'typeorm';

// The source kinds are the registered collectors (collectors/src/registry.ts), and a source is
// checked by its kind's schema before it is stored: a list of kinds in the schema would be one more
// place to edit for each new kind, and would refuse a kind the code knows.
export class SourceKindsFromCollectors1765400000000 implements MigrationInterface {
  name = 'SourceKindsFromCollectors1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sources DROP CONSTRAINT IF EXISTS sources_kind_check;`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // NOT VALID: sources of kinds added since stay; new rows are held to the two first kinds again.
    await queryRunner.query(
      `ALTER TABLE sources ADD CONSTRAINT sources_kind_check CHECK (kind IN ('github', 'mlflow')) NOT VALID;`,
    );
  }
}
