import request from 'supertest';
import { admin, type TestApp } from '../../support/app.js';

// Small helpers for metric tests: ingest through the API, read through the API.

export async function ingest(t: TestApp, events: unknown[]): Promise<void> {
  const response = await request(t.http).post('/api/v1/events').set(admin).send({ events });
  if (response.status !== 200)
    throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.body)}`);
}

export async function getJson(t: TestApp, path: string, query: Record<string, string> = {}) {
  const response = await request(t.http).get(path).query(query);
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Everything the drill-down list holds for a repository over a wide range. */
export async function listAll(t: TestApp, list: string, query: Record<string, string> = {}) {
  const body = await getJson(t, `/api/v1/${list}`, {
    from: '2020-01-01',
    to: '2030-01-01',
    limit: '10000',
    ...query,
  });
  return body.items as Record<string, unknown>[];
}
