import type { DataSource } from 'typeorm';
import { migrate, openDataSource } from '../../api/src/database/data-source.js';
import { span } from '../../api/src/metrics/sql/fragments.sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// A pull request's spans are stored on its row by PostgreSQL (migration 1765200000000), and the
// PR metrics read them. They must stay what the metrics module's span() says, on every edge case
// of metrics.md: a NULL end, an end before its start, equal instants, fractions of a second.
const CREATED = '2026-03-02T10:00:00Z';
const at = (offsetSeconds: number) => new Date(Date.parse(CREATED) + offsetSeconds * 1000);
const HOUR = 3600;

const cases = [
  {
    name: 'every step in order, deployed a quarter second past the hour',
    firstCommit: at(-HOUR),
    firstReview: at(2 * HOUR),
    merged: at(5 * HOUR),
    deployed: at(6 * HOUR + 0.25),
    want: [HOUR, 2 * HOUR, 3 * HOUR, HOUR + 0.25, 7 * HOUR + 0.25],
  },
  {
    name: 'no commit, no review, not deployed',
    firstCommit: null,
    firstReview: null,
    merged: at(24 * HOUR),
    deployed: null,
    want: [null, null, null, null, 24 * HOUR],
  },
  {
    name: 'each end before its start',
    firstCommit: at(600),
    firstReview: at(-HOUR),
    merged: at(-2 * HOUR),
    deployed: at(-3 * HOUR),
    want: [null, null, null, null, 0],
  },
  {
    name: 'equal instants are spans of 0',
    firstCommit: at(0),
    firstReview: at(0),
    merged: at(0),
    deployed: at(0),
    want: [0, 0, 0, 0, 0],
  },
  {
    name: 'not merged: review and deploy are unknown',
    firstCommit: at(-30),
    firstReview: at(90),
    merged: null,
    deployed: null,
    want: [30, 90, null, null, 30],
  },
];

const STORED = ['coding_seconds', 'pickup_seconds', 'review_seconds', 'deploy_seconds'] as const;
const FROM_SPAN = `
  ${span('first_commit_at', 'created_at')} AS coding_seconds,
  ${span('created_at', 'first_review_at')} AS pickup_seconds,
  ${span('first_review_at', 'merged_at')} AS review_seconds,
  ${span('merged_at', 'deployed_at')} AS deploy_seconds,
  coalesce(${span('first_commit_at', 'created_at')}, 0) + coalesce(${span('created_at', 'merged_at')}, 0)
    + coalesce(${span('merged_at', 'deployed_at')}, 0) AS cycle_seconds`;

describe('stored pull request spans', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.target);
    await migrate(dataSource);
    for (const [index, c] of cases.entries()) {
      await dataSource.query(
        `INSERT INTO pull_requests (source, native_id, repo, number, created_at, first_commit_at,
           first_review_at, merged_at, deployed_at, content_hash)
         VALUES ('api', $1, 'spans/repo', $2, $3, $4, $5, $6, $7, 'h')`,
        [c.name, index + 1, CREATED, c.firstCommit, c.firstReview, c.merged, c.deployed],
      );
    }
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const stored = () =>
    dataSource.query(
      `SELECT native_id, ${[...STORED, 'cycle_seconds'].join(', ')} FROM pull_requests ORDER BY number`,
    );
  const computed = () =>
    dataSource.query(`SELECT native_id, ${FROM_SPAN} FROM pull_requests ORDER BY number`);

  it.each(cases)('$name', async ({ name, want }) => {
    const row = (await stored()).find((r: { native_id: string }) => r.native_id === name);
    expect([...STORED, 'cycle_seconds'].map((column) => row[column])).toEqual(want);
  });

  it('are what span() gives, also after linking moves a deployment', async () => {
    expect(await stored()).toEqual(await computed());
    await dataSource.query(
      `UPDATE pull_requests SET deployed_at = merged_at + interval '90 minutes'
       WHERE merged_at IS NOT NULL`,
    );
    const after = await stored();
    expect(after).toEqual(await computed());
    expect(after.map((row: { deploy_seconds: number | null }) => row.deploy_seconds)).toEqual([
      5400,
      5400,
      5400,
      5400,
      null,
    ]);
  });
});
