import type { MigrationInterface, QueryRunner } from 'typeorm';

// GitHub's webhook object versions are kept per source now ("pull_request:<source>:<repo>#<n>"):
// two hosts can have a repository of the same name. Versions under the earlier keys
// ("pull_request:<repo>#<n>", one colon: names of sources and repositories hold none) are read no
// more; they go. Each object's next delivery records its version under the new key.
export class GithubWebhookKeysPerSource1765720000000 implements MigrationInterface {
  name = 'GithubWebhookKeysPerSource1765720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM webhook_object_versions WHERE provider = 'github' AND object_key NOT LIKE '%:%:%'`,
    );
  }

  async down(): Promise<void> {
    // Nothing to restore: the earlier keys were not read by the code this migration came with.
  }
}
