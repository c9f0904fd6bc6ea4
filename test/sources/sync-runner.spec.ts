import request from 'supertest';
import {
  type CollectedBatch,
  type Collector,
  type CollectorContext,
  githubCollector,
  mlflowCollector,
} from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makePullRequest } from '../support/factories.js';

// A collector of our own (not a stand-in for GitHub): it yields two pages and, when told to, fails
// after the first, which is what the runner must survive.
const script = {
  failAfterFirstPage: false,
  gate: null as Promise<void> | null,
  seenCursor: undefined as unknown,
};
const pagedCollector: Collector = {
  ...githubCollector,
  async *collect(_source, context: CollectorContext): AsyncIterable<CollectedBatch> {
    script.seenCursor = context.cursor('pulls', 'acme/serving');
    const start = (context.cursor<{ page: number }>('pulls', 'acme/serving')?.page ?? 0) + 1;
    for (let page = start; page <= 2; page++) {
      if (script.gate) await script.gate;
      context.progress({ requests: 1, pages: 1, items: 1 });
      yield {
        events: [makePullRequest({ id: `page-${page}`, number: page }) as never],
        cursors: [{ resource: 'pulls', scope: 'acme/serving', value: { page } }],
      };
      if (script.failAfterFirstPage) throw new Error('The connection dropped (test).');
    }
  },
};

describe('sources and the sync runner', () => {
  let t: TestApp;
  let sourceId: number;
  beforeAll(async () => {
    t = await createTestApp({}, { collectors: [pagedCollector, mlflowCollector] });
  });
  afterAll(async () => {
    await t.close();
  });

  const waitForRun = async (runId: string) => {
    for (let i = 0; i < 100; i++) {
      const run = await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200);
      if (run.body.status !== 'running') return run.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the run did not finish');
  };

  it('rejects a bad source with every problem named', async () => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'bad name',
        repos: ['not-a-repo'],
        production_environment: '([',
      })
      .expect(400);
    const paths = response.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'repos[0]', 'production_environment']));
  });

  it('creates a source, hides no secret values, and lists it', async () => {
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'acme-github',
        token_env: 'GITHUB_TOKEN',
        repos: ['acme/serving'],
      })
      .expect(201);
    sourceId = created.body.id;
    expect(created.body).toMatchObject({
      name: 'acme-github',
      token_env: 'GITHUB_TOKEN',
      origin: 'api',
      last_sync: null,
    });
    const list = await request(t.http).get('/api/v1/sources').expect(200);
    expect(list.body.sources.map((s: { name: string }) => s.name)).toEqual(['acme-github']);
  });

  it('keeps the first page and its cursor when a sync fails on the second, then resumes', async () => {
    script.failAfterFirstPage = true;
    const started = await request(t.http)
      .post(`/api/v1/sources/${sourceId}/sync`)
      .set(admin)
      .expect(202);
    const failed = await waitForRun(started.body.run_id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'The connection dropped (test).',
      items: 1,
      pages: 1,
    });
    const rows = await t.dataSource.query(
      `SELECT native_id, source FROM pull_requests ORDER BY native_id`,
    );
    expect(rows).toEqual([{ native_id: 'page-1', source: 'acme-github' }]);

    script.failAfterFirstPage = false;
    const again = await request(t.http)
      .post(`/api/v1/sources/${sourceId}/sync`)
      .set(admin)
      .expect(202);
    const succeeded = await waitForRun(again.body.run_id);
    expect(succeeded.status).toBe('succeeded');
    expect(script.seenCursor).toEqual({ page: 1 });
    const after = await t.dataSource.query(
      `SELECT native_id FROM pull_requests ORDER BY native_id`,
    );
    expect(after.map((r: { native_id: string }) => r.native_id)).toEqual(['page-1', 'page-2']);
  });

  it('runs one sync of a source at a time', async () => {
    await t.dataSource.query(`DELETE FROM sync_cursors`);
    let open!: () => void;
    script.gate = new Promise((resolve) => (open = resolve));
    const first = await request(t.http)
      .post(`/api/v1/sources/${sourceId}/sync`)
      .set(admin)
      .expect(202);
    const second = await request(t.http)
      .post(`/api/v1/sources/${sourceId}/sync`)
      .set(admin)
      .expect(409);
    expect(second.body.error).toBe('conflict');
    open();
    script.gate = null;
    expect((await waitForRun(first.body.run_id)).status).toBe('succeeded');
  });

  it('answers 404 for an unknown source or run', async () => {
    await request(t.http).post('/api/v1/sources/9999/sync').set(admin).expect(404);
    await request(t.http).get('/api/v1/sync-runs/9999').expect(404);
  });
});
