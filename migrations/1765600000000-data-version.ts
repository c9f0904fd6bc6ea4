import type { MigrationInterface, QueryRunner } from 'typeorm';

// A number that changes whenever anything a metric is computed from changes, so a decision's
// reading can be cached by it (comparison.service.ts). Each transaction that writes a table a
// metric reads adds one row (its own transaction id: the first statement inserts, the others find
// it), and the version is the sum of the rows' weights. The row becomes visible when the
// transaction commits, together with the data, so a reader never pairs a new version with old
// rows; and transactions never wait on each other for it (each inserts its own key), unlike one
// shared counter row, which deadlocked a team's update against an ingest holding the linking
// lock. Readers fold old rows into one of the same total weight plus one (a change, harmless).
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

export class DataVersion1765600000000 implements MigrationInterface {
  name = 'DataVersion1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data_changes (
        txid xid8 PRIMARY KEY,
        weight bigint NOT NULL DEFAULT 1
      );
      CREATE FUNCTION note_data_change() RETURNS trigger LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO data_changes (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
    `);
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION note_data_change();`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await queryRunner.query(`DROP TRIGGER ${table}_data_version ON ${table};`);
    await queryRunner.query(`DROP FUNCTION note_data_change(); DROP TABLE data_changes;`);
  }
}
