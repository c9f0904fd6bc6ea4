import type { MigrationInterface, QueryRunner } from 'typeorm';

// Derived tables the linking step writes (what each deployment shipped, models' production
// intervals) and the indexes the linking and metric queries lean on.
export class MetricsLinking1764100000000 implements MigrationInterface {
  name = 'MetricsLinking1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- derived: the PRs each successful production deployment shipped (metrics.md, deployed_at).
      -- No foreign keys: linking rewrites these rows by the hundred thousand on a first load, and a
      -- per-row key check doubled that; the linking step is what keeps them consistent.
      CREATE TABLE deployment_shipped_prs (
        deployment_id    bigint NOT NULL,
        pull_request_id  bigint NOT NULL,
        PRIMARY KEY (deployment_id, pull_request_id)
      );
      CREATE INDEX deployment_shipped_prs_pr_idx ON deployment_shipped_prs (pull_request_id);

      -- derived: when each model version was in an environment, from promote/demote events
      CREATE TABLE model_production_intervals (
        registry           text NOT NULL,
        model              text NOT NULL,
        version            text NOT NULL,
        environment        text NOT NULL,
        started_at         timestamptz NOT NULL,
        ended_at           timestamptz,
        started_precision  text NOT NULL,
        precision_seconds  integer,
        PRIMARY KEY (registry, model, version, environment, started_at)
      );
      CREATE INDEX model_production_intervals_started_idx ON model_production_intervals (started_at);

      CREATE INDEX deployments_prod_repo_finished_idx ON deployments (repo, finished_at)
        WHERE status = 'success' AND is_production;
      CREATE INDEX deployments_fixes_idx ON deployments (fixes_native_id) WHERE fixes_native_id IS NOT NULL;
      CREATE INDEX deployments_native_idx ON deployments (native_id);
      CREATE INDEX deployments_fixes_id_idx ON deployments (fixes_id) WHERE fixes_id IS NOT NULL;
      CREATE INDEX deployments_previous_success_idx ON deployments (previous_success_id)
        WHERE previous_success_id IS NOT NULL;
      CREATE INDEX incidents_team_created_idx ON incidents (team, created_at) WHERE team IS NOT NULL;
      CREATE INDEX incidents_stated_deployment_idx ON incidents (stated_deployment_id)
        WHERE stated_deployment_id IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX incidents_stated_deployment_idx, deployments_prod_repo_finished_idx, incidents_team_created_idx,
        deployments_previous_success_idx, deployments_fixes_id_idx, deployments_native_idx, deployments_fixes_idx;
      DROP TABLE model_production_intervals, deployment_shipped_prs;
    `);
  }
}
