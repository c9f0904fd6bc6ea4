import type { MigrationInterface, QueryRunner } from 'typeorm';

// No statement looks deployments up by their sha: what a deployment shipped is found through the
// commits and PR numbers it lists (deployment_commits, deployment_pull_requests) and the fallback
// windows. The index cost every deployment written, and every update of one (linking sets the
// previous successful deployment right after the insert), an entry at a random place.
export class DeploymentsWithoutShaIndex1765300000000 implements MigrationInterface {
  name = 'DeploymentsWithoutShaIndex1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deployments_sha_idx;`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX deployments_sha_idx ON deployments (sha);`);
  }
}
