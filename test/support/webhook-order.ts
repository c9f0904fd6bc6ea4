import request from 'supertest';
import { admin, type TestApp } from './app.js';

// What the webhook order tests share: twenty deliveries at once in a fixed shuffle, a merge that
// polling stored, and a fingerprint of the rows a replay must leave as they are.

/** Versions 0 to 19 in a fixed shuffle: the newest (19) neither first nor last. */
export const SHUFFLED_TWENTY = [
  7, 19, 3, 12, 0, 15, 9, 1, 18, 5, 11, 2, 16, 8, 14, 4, 10, 17, 6, 13,
];

/**
 * Sends the twenty versions at once, in the shuffled order: each is acknowledged, and at least one
 * (the newest, whenever it comes) is stored.
 */
export async function deliverShuffled(
  send: (version: number) => request.Test,
): Promise<request.Response[]> {
  expect([...SHUFFLED_TWENTY].sort((a, b) => a - b)).toEqual(
    Array.from({ length: 20 }, (_, i) => i),
  );
  const answers = await Promise.all(SHUFFLED_TWENTY.map((version) => send(version)));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  expect(answers.filter((a) => a.body.status === 'stored').length).toBeGreaterThanOrEqual(1);
  return answers;
}

/** A pull request (or MR) a poll stored as merged at 11:00, through the ingest API. */
export async function storePolledMerge(
  t: TestApp,
  pull: { source: string; id: string; repo: string; number: number },
): Promise<void> {
  await request(t.http)
    .post('/api/v1/events')
    .set(admin)
    .send({
      events: [
        {
          type: 'pull_request',
          ...pull,
          title: 'polled',
          created_at: '2026-03-02T09:00:00Z',
          merged_at: '2026-03-02T11:00:00Z',
          merge_commit_sha: 'abcdef1234',
        },
      ],
    })
    .expect(200);
}

/** An md5 of every row of each table (in the order its columns give), to show nothing changed. */
export async function fingerprint(
  t: TestApp,
  tables: Record<string, string>,
): Promise<Record<string, string | null>> {
  const columns = Object.entries(tables).map(
    ([table, order]) =>
      `(SELECT md5(string_agg(r::text, '|' ORDER BY ${order})) FROM ${table} r) AS ${table}`,
  );
  return (await t.dataSource.query(`SELECT ${columns.join(', ')}`))[0];
}

/** A model registry's rows, its collector's state and the webhook versions. */
export const REGISTRY_TABLES = {
  model_versions: 'id',
  model_stage_events: 'id',
  sync_cursors: 'source_id, resource, scope',
  webhook_object_versions: 'provider, object_key',
};
