import type { MigrationInterface, QueryRunner } from 'typeorm';

// The lists an event carries (a PR's commits and reviews, a deployment's stated commits and PR
// numbers) are written in the same statement batch as their parent, from the id the parent's
// upsert returned, and replaced only with it; nothing deletes a pull request or a deployment.
// Their foreign keys checked each child row against its parent one row at a time (a query and a
// row lock per row): on the ingest benchmark's batches, 16,500 reviews took 290 ms with the key and
// 80 ms without it, and the four lists were a quarter of the database's time. Like
// deployment_shipped_prs (the linking's own list), they are now kept by the ingest code alone.
//
// A review had a surrogate id and a second index to find a PR's reviews; it is now keyed by its
// PR and its place in the event's list, one index.
export class IngestChildRowsWithoutForeignKeys1764900000000 implements MigrationInterface {
  name = 'IngestChildRowsWithoutForeignKeys1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pr_commits DROP CONSTRAINT pr_commits_pull_request_id_fkey;
      ALTER TABLE pr_reviews DROP CONSTRAINT pr_reviews_pull_request_id_fkey;
      ALTER TABLE deployment_commits DROP CONSTRAINT deployment_commits_deployment_id_fkey;
      ALTER TABLE deployment_pull_requests DROP CONSTRAINT deployment_pull_requests_deployment_id_fkey;

      ALTER TABLE pr_reviews ADD COLUMN ordinal integer;
      UPDATE pr_reviews r SET ordinal = numbered.ordinal
      FROM (SELECT id, (row_number() OVER (PARTITION BY pull_request_id ORDER BY id) - 1)::int AS ordinal
            FROM pr_reviews) AS numbered
      WHERE r.id = numbered.id;
      ALTER TABLE pr_reviews ALTER COLUMN ordinal SET NOT NULL;
      ALTER TABLE pr_reviews DROP COLUMN id;
      DROP INDEX pr_reviews_pr_idx;
      ALTER TABLE pr_reviews ADD PRIMARY KEY (pull_request_id, ordinal);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pr_reviews DROP CONSTRAINT pr_reviews_pkey;
      ALTER TABLE pr_reviews ADD COLUMN id bigserial PRIMARY KEY;
      ALTER TABLE pr_reviews DROP COLUMN ordinal;
      CREATE INDEX pr_reviews_pr_idx ON pr_reviews (pull_request_id);

      ALTER TABLE deployment_pull_requests ADD CONSTRAINT deployment_pull_requests_deployment_id_fkey
        FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE CASCADE;
      ALTER TABLE deployment_commits ADD CONSTRAINT deployment_commits_deployment_id_fkey
        FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE CASCADE;
      ALTER TABLE pr_reviews ADD CONSTRAINT pr_reviews_pull_request_id_fkey
        FOREIGN KEY (pull_request_id) REFERENCES pull_requests (id) ON DELETE CASCADE;
      ALTER TABLE pr_commits ADD CONSTRAINT pr_commits_pull_request_id_fkey
        FOREIGN KEY (pull_request_id) REFERENCES pull_requests (id) ON DELETE CASCADE;
    `);
  }
}
