import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inTransaction } from './in-transaction.js';

// The spans of a pull request (metrics.md: coding, pickup, review, deploy and cycle, in seconds)
// are stored on its row, computed by PostgreSQL whenever the row is written: at ingest, and when
// linking sets its deployment. pr_cycle_time and lead_time_for_changes computed them on every
// call, up to seven interval subtractions and epoch conversions a PR; reading them stored took
// pr_cycle_time from 383-402 to 292-329 ms and lead_time_for_changes from 119-157 to 73-102 ms on
// the metrics benchmark's year (171,000 PRs; psql, same rows). The two indexes the metrics read
// carry the spans in place of the timestamps they came from.
//
// Each expression is the metrics module's span(start, end) (api/src/metrics/sql/fragments.sql.ts):
// NULL when an end is unknown or before its start. test/metrics/pull-request-spans.spec.ts checks
// that the stored spans equal span() on every edge case, so the two cannot drift apart.
//
// Adding the columns rewrites the table (9 s for 1,000,000 PRs here), and a rewritten table has no
// visibility map until VACUUM: the migration runs its own transaction and vacuums after it.
const span = (start: string, end: string) =>
  `CASE WHEN ${end} >= ${start} THEN date_part('epoch', ${end} - ${start}) END`;

export class PullRequestSpansStored1765200000000 implements MigrationInterface {
  name = 'PullRequestSpansStored1765200000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await inTransaction(
      queryRunner,
      `
      ALTER TABLE pull_requests
        ADD COLUMN coding_seconds float8
          GENERATED ALWAYS AS (${span('first_commit_at', 'created_at')}) STORED,
        ADD COLUMN pickup_seconds float8
          GENERATED ALWAYS AS (${span('created_at', 'first_review_at')}) STORED,
        ADD COLUMN review_seconds float8
          GENERATED ALWAYS AS (${span('first_review_at', 'merged_at')}) STORED,
        ADD COLUMN deploy_seconds float8
          GENERATED ALWAYS AS (${span('merged_at', 'deployed_at')}) STORED,
        ADD COLUMN cycle_seconds float8 GENERATED ALWAYS AS (
          coalesce(${span('first_commit_at', 'created_at')}, 0)
          + coalesce(${span('created_at', 'merged_at')}, 0)
          + coalesce(${span('merged_at', 'deployed_at')}, 0)) STORED;

      DROP INDEX pull_requests_merged_spans_idx;
      CREATE INDEX pull_requests_merged_spans_idx ON pull_requests (merged_at)
        INCLUDE (author_is_bot, repo, cycle_seconds, coding_seconds, pickup_seconds, review_seconds,
          deploy_seconds)
        WHERE merged_at IS NOT NULL;
      DROP INDEX pull_requests_deployed_spans_idx;
      CREATE INDEX pull_requests_deployed_spans_idx ON pull_requests (deployed_at)
        INCLUDE (author_is_bot, repo, merged_at, cycle_seconds)
        WHERE deployed_at IS NOT NULL;
    `,
    );
    await queryRunner.query(`VACUUM ANALYZE pull_requests`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX pull_requests_merged_spans_idx;
      DROP INDEX pull_requests_deployed_spans_idx;
      ALTER TABLE pull_requests DROP COLUMN coding_seconds, DROP COLUMN pickup_seconds,
        DROP COLUMN review_seconds, DROP COLUMN deploy_seconds, DROP COLUMN cycle_seconds;
      CREATE INDEX pull_requests_merged_spans_idx ON pull_requests (merged_at)
        INCLUDE (author_is_bot, repo, created_at, first_commit_at, first_review_at, deployed_at)
        WHERE merged_at IS NOT NULL;
      CREATE INDEX pull_requests_deployed_spans_idx ON pull_requests (deployed_at)
        INCLUDE (author_is_bot, repo, created_at, first_commit_at, merged_at)
        WHERE deployed_at IS NOT NULL;
    `);
  }
}
