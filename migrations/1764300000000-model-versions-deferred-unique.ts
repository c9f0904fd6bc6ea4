import type { MigrationInterface, QueryRunner } from 'typeorm';

// A registry collector that sees two models exchange names (a -> tmp, b -> a, tmp -> b) moves both
// models' rows in one statement; for a moment two rows hold the same (registry, model, version).
// The rule still holds at commit, so it is checked there. (No upsert uses it as its conflict
// target, which a deferrable constraint could not be.)
export class ModelVersionsDeferredUnique1764300000000 implements MigrationInterface {
  name = 'ModelVersionsDeferredUnique1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE model_versions DROP CONSTRAINT model_versions_registry_model_version_key;
      ALTER TABLE model_versions ADD CONSTRAINT model_versions_registry_model_version_key
        UNIQUE (registry, model, version) DEFERRABLE INITIALLY DEFERRED;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE model_versions DROP CONSTRAINT model_versions_registry_model_version_key;
      ALTER TABLE model_versions ADD CONSTRAINT model_versions_registry_model_version_key
        UNIQUE (registry, model, version);
    `);
  }
}
