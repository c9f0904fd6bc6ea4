import type { MigrationInterface, QueryRunner } from 'typeorm';

// The newest version (the object's updated_at) of each object a webhook delivered: a delivery
// older than it is acknowledged and ignored, so a replayed or late payload never moves a row back.
export class WebhookObjectVersions1765710000000 implements MigrationInterface {
  name = 'WebhookObjectVersions1765710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_object_versions (
        provider    text NOT NULL,
        object_key  text NOT NULL,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (provider, object_key)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_object_versions;`);
  }
}
