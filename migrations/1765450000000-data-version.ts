import type { MigrationInterface, QueryRunner } from 'typeorm';

// A number that changes whenever anything a metric is computed from changes, so a decision's
// reading can be cached by it (comparison.service.ts). It is bumped by a statement trigger inside
// the writing transaction, so the new number becomes visible exactly when the new rows do: a
// reader can never pair the new number with the old rows. Writes of events already take the
// linking lock one batch at a time, so the single row adds no waiting there.
const TABLES = [
  'pull_requests',
  'pr_commits',
  'pr_reviews',
  'deployments',
  'deployment_commits',
  'deployment_pull_requests',
  'deployment_shipped_prs',
  'deployment_statuses',
  'incidents',
  'registries',
  'models',
  'model_versions',
  'model_stage_events',
  'model_production_intervals',
  'teams',
  'team_repos',
  'team_models',
];

export class DataVersion1765450000000 implements MigrationInterface {
  name = 'DataVersion1765450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
      );
      INSERT INTO data_version (id, version) VALUES (true, 1);
      CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE data_version SET version = version + 1;
        RETURN NULL;
      END $$;
    `);
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await queryRunner.query(`DROP TRIGGER ${table}_data_version ON ${table};`);
    await queryRunner.query(`DROP FUNCTION bump_data_version(); DROP TABLE data_version;`);
  }
}
