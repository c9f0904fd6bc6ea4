import type { MigrationInterface, QueryRunner } from 'typeorm';

// A deployment's stated PR numbers belong to its repository. Linking looks up the deployments
// that state a batch's PRs by (repository, number); with the number alone in the table, that
// lookup joined every deployment stating the same number in any of the 300 repositories of the
// benchmark (500,000 rows for a batch of 7,000 PRs, 1.2 s, and growing with the data). The
// repository is kept beside the number (written with it, replaced with it) and indexed with it.
export class DeploymentPullRequestsRepo1764700000000 implements MigrationInterface {
  name = 'DeploymentPullRequestsRepo1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deployment_pull_requests ADD COLUMN repo text;
      UPDATE deployment_pull_requests n SET repo = d.repo FROM deployments d WHERE d.id = n.deployment_id;
      ALTER TABLE deployment_pull_requests ALTER COLUMN repo SET NOT NULL;
      CREATE INDEX deployment_pull_requests_repo_number_idx ON deployment_pull_requests (repo, pr_number);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX deployment_pull_requests_repo_number_idx;
      ALTER TABLE deployment_pull_requests DROP COLUMN repo;
    `);
  }
}
