import { createHmac } from 'node:crypto';
import request from 'supertest';
import { mlflowCollector } from '@lastmile/collectors';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { GithubStandIn, recordedRepos } from '../support/github-stand-in.js';
import { fastCollector, TOKEN_ENV } from './collect.js';
import { expectedRows, instant, nativeOf } from './devlake-csv.js';

// The GitHub collector through the real runner (advisory lock, one transaction per batch, cursors,
// sync_runs), the app module and PostgreSQL, against the stand-in serving the recorded payloads.
// The collector is the registered one with its retry waits shortened (fastCollector).

/** DevLake's rows give each merged PR's first commit and first response by a non-author non-bot. */
function devlakeFirsts(): Map<number, { firstCommit: number | null; firstReview: number | null }> {
  const ants = recordedRepos().get('panjf2000/ants')!;
  const bots = new Set(
    [...ants.issueComments, ...ants.reviewComments, ...[...ants.reviews.values()].flat()]
      .filter((c) => c.user && (c.user.type === 'Bot' || c.user.login.endsWith('[bot]')))
      .map((c) => String(c.user.id)),
  );
  const pulls = expectedRows('pull_requests.csv').filter((r) => r.status === 'MERGED');
  const commits = expectedRows('pull_request_commits.csv');
  const comments = expectedRows('pull_request_comments.csv').map((r) => ({
    pr: nativeOf(r.pull_request_id!),
    who: nativeOf(r.account_id!),
    at: instant(r.created_date)!,
  }));
  const reviews = expectedRows('_tool_github_pull_request_reviews.csv').map((r) => ({
    pr: r.pull_request_id!,
    who: r.author_user_id!,
    at: instant(r.github_submit_at)!,
  }));
  const min = (values: number[]) => (values.length > 0 ? Math.min(...values) : null);
  return new Map(
    pulls.map((pull) => {
      const id = nativeOf(pull.id!);
      const author = nativeOf(pull.author_id!);
      const responses = [...comments, ...reviews].filter(
        (c) => c.pr === id && c.who !== author && !bots.has(c.who),
      );
      return [
        Number(pull.pull_request_key),
        {
          firstCommit: min(
            commits
              .filter((c) => nativeOf(c.pull_request_id!) === id)
              .map((c) => instant(c.commit_authored_date)!),
          ),
          firstReview: min(responses.map((c) => c.at)),
        },
      ];
    }),
  );
}

describe('GitHub sync through the runner', () => {
  let t: TestApp;
  let github: GithubStandIn;
  let runner: SyncRunner;
  beforeAll(async () => {
    github = await new GithubStandIn().start();
    t = await createTestApp(
      { [TOKEN_ENV]: github.token, GITHUB_WEBHOOK_SECRET_TEST: 'hook-secret' },
      { collectors: [fastCollector, mlflowCollector] },
    );
    runner = t.app.get(SyncRunner);
  });
  afterAll(async () => {
    await t.close();
    await github.close();
  });

  const createSource = async (name: string, overrides: Record<string, unknown> = {}) => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name,
        base_url: github.url,
        token_env: TOKEN_ENV,
        repos: ['panjf2000/ants'],
        ...overrides,
      })
      .expect(201);
    return response.body.id as number;
  };
  const sync = async (sourceId: number) => {
    const runId = (await runner.runNow(sourceId))!;
    return (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
  };
  const snapshot = (source: string) =>
    t.dataSource.query(
      `SELECT (SELECT max(updated_at) FROM pull_requests WHERE source = $1) AS pulls,
              (SELECT max(updated_at) FROM deployments WHERE source = $1) AS deployments,
              (SELECT json_agg(c ORDER BY resource, scope) FROM sync_cursors c JOIN sources s ON s.id = c.source_id WHERE s.name = $1) AS cursors`,
      [source],
    );

  it('stores PRs with DevLake first commit and first response dates, and production deployments', async () => {
    const id = await createSource('gh', {
      repos: ['panjf2000/ants', 'facebook/OpenBIC'],
      production_environment: '^github-pages$',
      webhook_secret_env: 'GITHUB_WEBHOOK_SECRET_TEST',
    });
    github.resetCount();
    const run = await sync(id);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.requests).toBe(github.count().total);
    expect(run.items).toBe(49 + 7);

    const rows: {
      number: number;
      merged_at: Date | null;
      first_commit_at: Date | null;
      first_review_at: Date | null;
    }[] = await t.dataSource.query(
      `SELECT number, merged_at, first_commit_at, first_review_at FROM pull_requests WHERE source = 'gh'`,
    );
    expect(rows).toHaveLength(49);
    const expected = devlakeFirsts();
    const merged = rows.filter((r) => r.merged_at);
    expect(merged).toHaveLength(26);
    for (const row of merged) {
      const want = expected.get(row.number)!;
      expect([
        row.number,
        row.first_commit_at?.getTime() ?? null,
        row.first_review_at?.getTime() ?? null,
      ]).toEqual([row.number, want.firstCommit, want.firstReview]);
    }
    expect(merged.filter((r) => r.first_review_at !== null).length).toBeGreaterThan(5);

    const deployments = await t.dataSource.query(
      `SELECT environment, is_production, status, finished_at,
              (SELECT count(*)::int FROM deployment_commits c WHERE c.deployment_id = d.id) AS commits
       FROM deployments d WHERE source = 'gh' ORDER BY started_at`,
    );
    expect(deployments).toHaveLength(7);
    expect(
      deployments.every(
        (d: { environment: string; is_production: boolean }) =>
          d.environment === 'github-pages' && d.is_production,
      ),
    ).toBe(true);
    // the first-ever links none; each later one the commits the compare API returned
    expect(deployments.map((d: { commits: number }) => d.commits)).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(deployments.map((d: { finished_at: Date }) => d.finished_at.toISOString())).toContain(
      '2026-02-14T00:32:36.000Z',
    );
  });

  it('spends one 304 per list and writes nothing on a sync with nothing new', async () => {
    const [source] = await t.dataSource.query(`SELECT id FROM sources WHERE name = 'gh'`);
    const before = await snapshot('gh');
    github.resetCount();
    const run = await sync(source.id);
    expect(run).toMatchObject({ status: 'succeeded', items: 0 });
    // per repository: issue comments, review comments, pulls, deployments, incident issues
    expect(github.count()).toEqual({ total: 10, notModified: 10 });
    expect(await snapshot('gh')).toEqual(before);
  });

  it('fails a 401 naming the source and the variable, and keeps the old cursor', async () => {
    const [source] = await t.dataSource.query(`SELECT id FROM sources WHERE name = 'gh'`);
    const before = await snapshot('gh');
    github.token = 'rotated';
    try {
      const run = await sync(source.id);
      expect(run.status).toBe('failed');
      expect(run.error).toBe(
        `GitHub rejected the credentials of source "gh" (401): check the token in the environment variable ${TOKEN_ENV}.`,
      );
    } finally {
      github.token = 'stand-in-token';
    }
    expect(await snapshot('gh')).toEqual(before);
  });

  it('lets webhooks update the rows the sync wrote (same ids), keeping their commits', async () => {
    const send = (event: string, payload: unknown, delivery: string) => {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac('sha256', 'hook-secret').update(body).digest('hex')}`;
      return request(t.http)
        .post('/api/v1/webhooks/github')
        .set({
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': delivery,
        })
        .set('x-hub-signature-256', signature)
        .send(body)
        .expect(200);
    };
    const state = async () =>
      (
        await t.dataSource.query(
          `SELECT p.title, p.first_commit_at, (SELECT count(*)::int FROM pr_commits c WHERE c.pull_request_id = p.id) AS commits,
                  (SELECT count(*)::int FROM pull_requests WHERE source = 'gh') AS pulls
           FROM pull_requests p WHERE p.source = 'gh' AND p.number = 41`,
        )
      )[0];
    const before = await state();
    const pull = structuredClone(github.repo('panjf2000/ants').pulls.find((p) => p.number === 41)!);
    pull.title = 'edited on GitHub';
    const response = await send(
      'pull_request',
      { action: 'edited', pull_request: pull, repository: { full_name: 'panjf2000/ants' } },
      'd-1',
    );
    expect(response.body).toEqual({ status: 'stored', sources: ['gh'], events: 1 });
    expect(await state()).toEqual({ ...before, title: 'edited on GitHub' });

    // A later INACTIVE status leaves the deployment finished at its success, with its commits.
    const deployments = `SELECT native_id, status, finished_at, (SELECT count(*)::int FROM deployment_commits c WHERE c.deployment_id = d.id) AS commits
                         FROM deployments d WHERE source = 'gh' ORDER BY native_id`;
    const deploymentsBefore = await t.dataSource.query(deployments);
    const deployment = github
      .repo('facebook/OpenBIC')
      .deployments.find((d) => d.node_id === 'DE_kwDOFAKDls7k2xiG')!;
    await send(
      'deployment_status',
      {
        action: 'created',
        deployment,
        deployment_status: { state: 'inactive', created_at: '2026-02-25T00:00:00Z' },
        repository: { full_name: 'facebook/OpenBIC' },
      },
      'd-2',
    );
    expect(await t.dataSource.query(deployments)).toEqual(deploymentsBefore);
  });

  it('resumes a sync interrupted between two batches with no gap and no duplicate', async () => {
    // REST: the faults hit its per-PR requests
    const id = await createSource('gh-interrupted', { api: 'rest' });
    // The first merged PR of the second batch (PRs go oldest first, 20 a batch) fails for good.
    const ordered = [...github.repo('panjf2000/ants').pulls].sort(
      (a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at),
    );
    const victim = ordered.slice(20).find((p) => p.merged_at)!;
    github.faults.push({
      kind: 'status',
      status: 404,
      match: new RegExp(`/pulls/${victim.number}/commits`),
      times: 1,
    });
    const failed = await sync(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /^GitHub source "gh-interrupted": the repository "panjf2000\/ants" was not found at .*\(404 on \/repos\/panjf2000\/ants\/pulls\/\d+\/commits/,
    );
    const count = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n, count(DISTINCT number)::int AS d FROM pull_requests WHERE source = 'gh-interrupted'`,
        )
      )[0];
    expect(await count()).toEqual({ n: 20, d: 20 });

    const resumed = await sync(id);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.items).toBe(29);
    expect(await count()).toEqual({ n: 49, d: 49 });
  });

  it('resumes a sync stopped by a shutdown in the middle of a batch', async () => {
    // REST: the faults hit its per-PR requests
    const id = await createSource('gh-shutdown', { api: 'rest' });
    const ordered = [...github.repo('panjf2000/ants').pulls].sort(
      (a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at),
    );
    const victim = ordered.slice(20).find((p) => p.merged_at)!;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      github.faults.push({
        kind: 'hold',
        match: new RegExp(`/pulls/${victim.number}/commits`),
        times: 1,
        onHold: resolve,
        release: new Promise<void>((r) => (release = r)),
      });
    });
    const { runId, done } = await runner.start(id, 'manual');
    await held;
    // What the server does on SIGTERM: abort running syncs (the request in flight is cancelled).
    await runner.onApplicationShutdown();
    release();
    await done;
    const stopped = (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
    expect(stopped.status).toBe('failed');
    const count = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n, count(DISTINCT number)::int AS d FROM pull_requests WHERE source = 'gh-shutdown'`,
        )
      )[0];
    expect(await count()).toEqual({ n: 20, d: 20 });

    const resumed = await sync(id);
    expect(resumed).toMatchObject({ status: 'succeeded', items: 29 });
    expect(await count()).toEqual({ n: 49, d: 49 });
  });

  it('rides out 502s, a secondary rate limit and a dropped connection', async () => {
    // REST: the faults hit its per-PR requests
    const id = await createSource('gh-faults', { api: 'rest' });
    github.faults.push(
      { kind: 'status', status: 502, match: /\/pulls\?/, times: 2 },
      { kind: 'secondary', retryAfter: 2, match: /\/pulls\/\d+\/reviews/, times: 1 },
      { kind: 'drop', match: /\/pulls\/comments/, times: 1 },
    );
    github.resetCount();
    const run = await sync(id);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(github.faults.every((f) => f.times === 0)).toBe(true);
    // every attempt counts in the run's progress, retries included
    expect(run.requests).toBe(github.count().total);
    expect(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pull_requests WHERE source = 'gh-faults'`,
        )
      )[0].n,
    ).toBe(49);
  });

  it('reports an unknown repository as a sync error, and refuses an invalid pattern on the API', async () => {
    const id = await createSource('gh-unknown', { repos: ['panjf2000/does-not-exist'] });
    const run = await sync(id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(
      /^GitHub source "gh-unknown": the repository "panjf2000\/does-not-exist" was not found at /,
    );
    const invalid = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'gh-bad',
        token_env: TOKEN_ENV,
        repos: ['a/b'],
        workflow_pattern: '(unclosed',
      })
      .expect(400);
    expect(invalid.body.details).toEqual([
      { path: 'workflow_pattern', message: 'must be a valid regular expression' },
    ]);
  });
});
