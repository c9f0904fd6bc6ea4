import type { MigrationInterface, QueryRunner } from 'typeorm';
import { inTransaction } from './in-transaction.js';

// Migration 1764600000000 meant to keep the raw payloads of pull requests and deployments out of
// their rows (STORAGE EXTERNAL, toast_tuple_target 256). It never did: PostgreSQL moves values out
// of line only from rows over about 2 KB, whatever the target, and a payload is 0.5-1.5 KB. On the
// metrics benchmark's database the PR table was 2.1 GB (1,070 bytes a row, 800 of them payload)
// and its TOAST table empty.
//
// Linking rewrites these rows after they are written (a PR's deployment; a deployment's previous
// one, its fix and failure flags), and each rewrite copied the payload. The payloads now live in
// tables of their own, keyed by their row's id and written right after their rows' upsert, in its
// transaction, so a row is a quarter of the size: updating the deployment of 10,000 PRs took 770-850 ms against
// 1,140-1,970 ms, and a year of PRs by merge time is read with a sixth of the buffer accesses.
// Like the lists of migration 1764900000000, they are kept by the ingest code alone (no foreign
// key; nothing deletes a pull request or a deployment).
//
// The tables are rewritten to give back the payloads' space, and a rewritten table has no
// visibility map: until VACUUM sets it again, every index-only scan of the metrics reads the heap
// as well. VACUUM cannot run inside a transaction, so this migration runs its own transaction
// and vacuums after it commits.
export class PayloadsBesideTheirRows1765000000000 implements MigrationInterface {
  name = 'PayloadsBesideTheirRows1765000000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await inTransaction(
      queryRunner,
      `
      CREATE TABLE pull_request_payloads (
        pull_request_id bigint PRIMARY KEY,
        raw             jsonb NOT NULL
      );
      INSERT INTO pull_request_payloads (pull_request_id, raw) SELECT id, raw FROM pull_requests;
      ALTER TABLE pull_requests DROP COLUMN raw, RESET (toast_tuple_target);

      CREATE TABLE deployment_payloads (
        deployment_id bigint PRIMARY KEY,
        raw           jsonb NOT NULL
      );
      INSERT INTO deployment_payloads (deployment_id, raw) SELECT id, raw FROM deployments;
      ALTER TABLE deployments DROP COLUMN raw, RESET (toast_tuple_target);

      -- A dropped column keeps its bytes until the table is rewritten.
      CLUSTER pull_requests USING pull_requests_pkey;
      CLUSTER deployments USING deployments_pkey;
    `,
    );
    await queryRunner.query(`VACUUM ANALYZE pull_requests, deployments`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await inTransaction(
      queryRunner,
      `
      ALTER TABLE pull_requests ADD COLUMN raw jsonb;
      UPDATE pull_requests p SET raw = payload.raw
      FROM pull_request_payloads payload WHERE payload.pull_request_id = p.id;
      ALTER TABLE pull_requests ALTER COLUMN raw SET NOT NULL,
        ALTER COLUMN raw SET STORAGE EXTERNAL, SET (toast_tuple_target = 256);
      DROP TABLE pull_request_payloads;

      ALTER TABLE deployments ADD COLUMN raw jsonb;
      UPDATE deployments d SET raw = payload.raw
      FROM deployment_payloads payload WHERE payload.deployment_id = d.id;
      ALTER TABLE deployments ALTER COLUMN raw SET NOT NULL,
        ALTER COLUMN raw SET STORAGE EXTERNAL, SET (toast_tuple_target = 256);
      DROP TABLE deployment_payloads;
    `,
    );
  }
}
