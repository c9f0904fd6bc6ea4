import type { DataSource } from 'typeorm';
import { migrate, openDataSource } from '../../api/src/database/data-source.js';
import { migrations } from '../../api/src/database/migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Migration 1765000000000 moves the raw payloads of pull requests and deployments into tables of
// their own. Stored rows must keep their payloads across it, and back again when it is undone.
describe('migration 1765000000000: payloads beside their rows', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const names = migrations.map((migration) => migration.name);
  // This migration and those after it, undone and applied again in order.
  const fromPayloads = names.slice(names.indexOf('PayloadsBesideTheirRows1765000000000'));
  const undoFromPayloads = async () => {
    for (let i = 0; i < fromPayloads.length; i += 1)
      await dataSource.undoLastMigration({ transaction: 'each' });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.target);
    await migrate(dataSource);
    // The schema as it was before the migration, with a PR and a deployment stored in it. One
    // connection throughout: the embedded engine serves one at a time.
    await undoFromPayloads();
    await dataSource.query(
      `INSERT INTO pull_requests (source, native_id, repo, number, created_at, content_hash, raw)
       VALUES ('api', 'pr-1', 'acme/serving', 1, '2026-03-01T10:00:00Z', 'h1', '{"id": "pr-1", "title": "Old"}'),
              ('api', 'pr-2', 'acme/serving', 2, '2026-03-02T10:00:00Z', 'h2', '{"id": "pr-2"}')`,
    );
    await dataSource.query(
      `INSERT INTO deployments (source, native_id, repo, environment, is_production, status, finished_at,
         content_hash, raw)
       VALUES ('api', 'd-1', 'acme/serving', 'production', true, 'success', '2026-03-03T10:00:00Z', 'h3',
               '{"id": "d-1"}')`,
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const columns = (table: string) =>
    dataSource
      .query(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1`,
        [table],
      )
      .then((rows: { column_name: string }[]) => rows.map((row) => row.column_name));

  it('moves every stored payload to its table, keyed by its row, and drops the column', async () => {
    expect(fromPayloads[0]).toBe('PayloadsBesideTheirRows1765000000000');
    expect(await migrate(dataSource)).toEqual(fromPayloads);

    expect(
      await dataSource.query(
        `SELECT p.native_id, payload.raw FROM pull_requests p
         JOIN pull_request_payloads payload ON payload.pull_request_id = p.id ORDER BY p.native_id`,
      ),
    ).toEqual([
      { native_id: 'pr-1', raw: { id: 'pr-1', title: 'Old' } },
      { native_id: 'pr-2', raw: { id: 'pr-2' } },
    ]);
    expect(
      await dataSource.query(
        `SELECT d.native_id, payload.raw FROM deployments d
         JOIN deployment_payloads payload ON payload.deployment_id = d.id`,
      ),
    ).toEqual([{ native_id: 'd-1', raw: { id: 'd-1' } }]);
    expect(await columns('pull_requests')).not.toContain('raw');
    expect(await columns('deployments')).not.toContain('raw');
    // The rewritten tables were vacuumed: the metrics' index-only scans need no heap visits.
    const [vacuumed] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE last_vacuum IS NOT NULL)::int AS tables
       FROM pg_stat_user_tables
       WHERE schemaname = current_schema() AND relname IN ('pull_requests', 'deployments')`,
    );
    expect(vacuumed.tables).toBe(2);
  });

  it('puts the payloads back in their rows when undone, and moves them again', async () => {
    await undoFromPayloads();
    expect(
      await dataSource.query(`SELECT native_id, raw FROM pull_requests ORDER BY native_id`),
    ).toEqual([
      { native_id: 'pr-1', raw: { id: 'pr-1', title: 'Old' } },
      { native_id: 'pr-2', raw: { id: 'pr-2' } },
    ]);
    expect(await dataSource.query(`SELECT native_id, raw FROM deployments`)).toEqual([
      { native_id: 'd-1', raw: { id: 'd-1' } },
    ]);
    expect(await migrate(dataSource)).toEqual(fromPayloads);
  });
});
