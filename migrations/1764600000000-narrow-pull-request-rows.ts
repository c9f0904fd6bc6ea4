import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two costs of wide rows, found by the benchmarks of issues 2 and 3.
//
// The raw payload (about 1-2 KB) was stored inside each row. Linking updates a row after it is
// written (a PR's deployment, a deployment's previous one, an incident's attribution), and an
// update rewrites the whole row, payload included; the metric queries read every row of a year
// through the heap. Stored out of line (EXTERNAL: no compression, which would cost CPU on every
// ingest), an update copies a pointer and a scan reads narrow rows.
//
// The PR metrics (pr_cycle_time, pr_throughput by merged_at; lead_time_for_changes by deployed_at)
// read a year of PRs. These indexes carry every column those queries use, so they are answered by
// index-only scans; they replace the plain indexes on the same columns.
export class NarrowPullRequestRows1764600000000 implements MigrationInterface {
  name = 'NarrowPullRequestRows1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pull_requests ALTER COLUMN raw SET STORAGE EXTERNAL, SET (toast_tuple_target = 256);
      ALTER TABLE deployments ALTER COLUMN raw SET STORAGE EXTERNAL, SET (toast_tuple_target = 256);
      ALTER TABLE incidents ALTER COLUMN raw SET STORAGE EXTERNAL, SET (toast_tuple_target = 256);

      DROP INDEX pull_requests_merged_idx;
      CREATE INDEX pull_requests_merged_spans_idx ON pull_requests (merged_at)
        INCLUDE (author_is_bot, repo, created_at, first_commit_at, first_review_at, deployed_at)
        WHERE merged_at IS NOT NULL;
      DROP INDEX pull_requests_deployed_idx;
      CREATE INDEX pull_requests_deployed_spans_idx ON pull_requests (deployed_at)
        INCLUDE (author_is_bot, repo, created_at, first_commit_at, merged_at)
        WHERE deployed_at IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX pull_requests_deployed_spans_idx;
      CREATE INDEX pull_requests_deployed_idx ON pull_requests (deployed_at) WHERE deployed_at IS NOT NULL;
      DROP INDEX pull_requests_merged_spans_idx;
      CREATE INDEX pull_requests_merged_idx ON pull_requests (merged_at) WHERE merged_at IS NOT NULL;

      ALTER TABLE incidents ALTER COLUMN raw SET STORAGE EXTENDED, RESET (toast_tuple_target);
      ALTER TABLE deployments ALTER COLUMN raw SET STORAGE EXTENDED, RESET (toast_tuple_target);
      ALTER TABLE pull_requests ALTER COLUMN raw SET STORAGE EXTENDED, RESET (toast_tuple_target);
    `);
  }
}
