import request from 'supertest';
import { mlflowCollector, type ProgressDelta, type PullRequestEvent } from '@lastmile/collectors';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { commitChain } from '../support/github-graphql-stand-in.js';
import { GithubStandIn } from '../support/github-stand-in.js';
import { SYNTHETIC_REPO, syntheticRepo } from '../support/github-synthetic.js';
import { collect, fastCollector, githubSource, TOKEN_ENV } from './collect.js';

// The GraphQL path against the stand-in's GraphQL endpoint (GitHub's schema, GitHub's cost
// formula), beside the REST path on the same recorded data.

/**
 * A run to its end. Test files share one database server, and a sync's lock is keyed by the source
 * id, so another file's source with the same id can hold it for a moment: then ask again.
 */
async function runToEnd(t: TestApp, sourceId: number) {
  for (let attempt = 0; ; attempt++) {
    const runId = await t.app.get(SyncRunner).runNow(sourceId);
    if (runId) return (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
    if (attempt === 50) throw new Error(`source ${sourceId} stayed locked`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const pulls = (events: unknown[]) =>
  events.filter((e) => (e as PullRequestEvent).type === 'pull_request') as PullRequestEvent[];

describe('GitHub GraphQL path through the runner', () => {
  // One app (and database) per path: deployments and their links are per repository, so two
  // sources of the same repositories in one database would link to each other's rows.
  let viaRest: TestApp;
  let viaGraphql: TestApp;
  let github: GithubStandIn;
  beforeAll(async () => {
    github = await new GithubStandIn().start();
    const options = { collectors: [fastCollector, mlflowCollector] };
    viaRest = await createTestApp({ [TOKEN_ENV]: github.token }, options);
    viaGraphql = await createTestApp({ [TOKEN_ENV]: github.token }, options);
  });
  afterAll(async () => {
    await viaRest.close();
    await viaGraphql.close();
    await github.close();
  });

  const createSource = async (t: TestApp, overrides: Record<string, unknown>) => {
    const response = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'github',
        name: 'gh',
        base_url: github.url,
        token_env: TOKEN_ENV,
        repos: ['panjf2000/ants', 'facebook/OpenBIC'],
        production_environment: '^github-pages$',
        ...overrides,
      })
      .expect(201);
    return response.body.id as number;
  };
  const sync = runToEnd;

  /**
   * Every row a source's sync wrote, by natural keys: internal ids and bookkeeping left out.
   */
  const rows = async (t: TestApp, source = 'gh') => {
    const q = (sql: string) => t.dataSource.query(sql, [source]);
    const strip = (list: { row: Record<string, unknown> }[]) =>
      list
        .map(({ row }) => {
          const copy = { ...row };
          for (const key of [
            'id',
            'source',
            'ingested_at',
            'updated_at',
            'pull_request_id',
            'deployment_id',
            'previous_success_id',
            'fixes_id',
          ])
            delete copy[key];
          return JSON.stringify(copy);
        })
        .sort();
    return {
      pullRequests: strip(
        await q(`SELECT to_jsonb(p) || jsonb_build_object('deployment', d.native_id) AS row
                   FROM pull_requests p LEFT JOIN deployments d ON d.id = p.deployment_id
                  WHERE p.source = $1`),
      ),
      commits: strip(
        await q(`SELECT to_jsonb(c) || jsonb_build_object('pr', p.native_id) AS row
                   FROM pr_commits c JOIN pull_requests p ON p.id = c.pull_request_id WHERE p.source = $1`),
      ),
      reviews: strip(
        await q(`SELECT to_jsonb(r) || jsonb_build_object('pr', p.native_id) AS row
                   FROM pr_reviews r JOIN pull_requests p ON p.id = r.pull_request_id WHERE p.source = $1`),
      ),
      pullPayloads: strip(
        await q(`SELECT to_jsonb(x) || jsonb_build_object('pr', p.native_id) AS row
                   FROM pull_request_payloads x JOIN pull_requests p ON p.id = x.pull_request_id WHERE p.source = $1`),
      ),
      deployments: strip(
        await q(`SELECT to_jsonb(d) || jsonb_build_object('previous', prev.native_id) AS row
                   FROM deployments d LEFT JOIN deployments prev ON prev.id = d.previous_success_id
                  WHERE d.source = $1`),
      ),
      deploymentCommits: strip(
        await q(`SELECT to_jsonb(c) || jsonb_build_object('deployment', d.native_id) AS row
                   FROM deployment_commits c JOIN deployments d ON d.id = c.deployment_id WHERE d.source = $1`),
      ),
      deploymentPayloads: strip(
        await q(`SELECT to_jsonb(x) || jsonb_build_object('deployment', d.native_id) AS row
                   FROM deployment_payloads x JOIN deployments d ON d.id = x.deployment_id WHERE d.source = $1`),
      ),
      shipped: strip(
        await q(`SELECT jsonb_build_object('deployment', d.native_id, 'pr', p.native_id) AS row
                   FROM deployment_shipped_prs s JOIN deployments d ON d.id = s.deployment_id
                   JOIN pull_requests p ON p.id = s.pull_request_id WHERE d.source = $1`),
      ),
      incidents: strip(await q(`SELECT to_jsonb(i) AS row FROM incidents i WHERE i.source = $1`)),
    };
  };

  it('writes the same rows by GraphQL as by REST, with no compare and no request per PR', async () => {
    const rest = await createSource(viaRest, { api: 'rest' });
    const graphql = await createSource(viaGraphql, { api: 'graphql' });
    github.resetCount();
    expect(await sync(viaRest, rest)).toMatchObject({ status: 'succeeded', items: 49 + 7 });
    const restRequests = github.count().total;
    github.resetCount();
    const run = await sync(viaGraphql, graphql);
    expect(run).toMatchObject({
      status: 'succeeded',
      items: 49 + 7,
      requests: github.count().total,
    });
    // the run shows the points it used, what the token has left, and when it expected to finish
    expect(run.points).toBe(github.points());
    expect(run.points_remaining).toBe(github.graphql.points.remaining);
    expect(Date.parse(run.estimated_finish_at)).not.toBeNaN();
    expect(github.count(/\/compare\/|\/pulls\/\d+\/|\/deployments\/\d+\/statuses/).total).toBe(0);
    // PRs: one query for 49; deployments: one; what each shipped: one query for all six.
    expect(github.graphql.queries.map((q) => q.operation).sort()).toEqual([
      'lastmileDeployments',
      'lastmileDeployments',
      'lastmilePulls',
      'lastmilePulls',
      'lastmileShipped',
    ]);
    expect(github.count().total).toBeLessThan(restRequests / 5);

    const restRows = await rows(viaRest);
    const graphqlRows = await rows(viaGraphql);
    expect(restRows.pullRequests).toHaveLength(49);
    expect(restRows.reviews.length).toBeGreaterThan(40);
    expect(restRows.deploymentCommits.length).toBe(6);
    for (const table of Object.keys(restRows) as (keyof typeof restRows)[])
      expect({ table, rows: graphqlRows[table] }).toEqual({ table, rows: restRows[table] });
  });
});

describe('GitHub GraphQL backfill through the runner', () => {
  let t: TestApp;
  let github: GithubStandIn;
  beforeAll(async () => {
    github = await new GithubStandIn().start();
    github.repos.set(
      SYNTHETIC_REPO,
      syntheticRepo({
        pulls: 250,
        mergedShare: 0.6,
        commentsPerPull: 1,
        reviewCommentsPerMerged: 1,
        deployments: 0,
        incidents: 0,
      }),
    );
    t = await createTestApp(
      { [TOKEN_ENV]: github.token },
      { collectors: [fastCollector, mlflowCollector] },
    );
  });
  afterAll(async () => {
    await t.close();
    await github.close();
  });

  it('a secondary-limit 403 mid-backfill: waited out, or, when it persists, resumed by the next run with no row lost or written twice', async () => {
    const create = async (name: string) =>
      (
        await request(t.http)
          .post('/api/v1/sources')
          .set(admin)
          .send({
            kind: 'github',
            name,
            base_url: github.url,
            token_env: TOKEN_ENV,
            repos: [SYNTHETIC_REPO],
            api: 'graphql',
          })
          .expect(201)
      ).body.id as number;
    const sync = (id: number) => runToEnd(t, id);
    const count = async (source: string) =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n, count(DISTINCT number)::int AS d,
                  (SELECT count(*)::int FROM pr_reviews r JOIN pull_requests p ON p.id = r.pull_request_id
                    WHERE p.source = $1) AS reviews
             FROM pull_requests WHERE source = $1`,
          [source],
        )
      )[0];

    // once, on the second page: Retry-After is honoured and the run goes on
    github.faults.push({
      kind: 'secondary',
      retryAfter: 1,
      match: /graphql#lastmilePulls$/,
      skip: 1,
      times: 1,
    });
    const waited = await sync(await create('gh-waited'));
    expect(waited).toMatchObject({ status: 'succeeded', items: 250 });
    const whole = await count('gh-waited');
    expect(whole).toMatchObject({ n: 250, d: 250 });

    // four times: the run fails with its first page written; the next goes on from the second
    github.faults.push({
      kind: 'secondary',
      retryAfter: 1,
      match: /graphql#lastmilePulls$/,
      skip: 1,
      times: 4,
    });
    const id = await create('gh-resumed');
    const failed = await sync(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/secondary rate limit/);
    expect(await count('gh-resumed')).toMatchObject({ n: 100, d: 100 });
    github.resetCount();
    const resumed = await sync(id);
    expect(resumed).toMatchObject({ status: 'succeeded', items: 150 });
    expect(github.count(/graphql#lastmilePulls$/).total).toBe(2);
    expect(await count('gh-resumed')).toEqual(whole);
  });
});

describe('GitHub GraphQL collector against the stand-in', () => {
  let github: GithubStandIn;
  beforeEach(async () => {
    github = await new GithubStandIn().start();
  });
  afterEach(async () => {
    await github.close();
  });

  it('pages a PR with 250 commits, 120 reviews and 130 comments on its own, to what REST reads', async () => {
    const ants = github.repo('panjf2000/ants');
    const pr = ants.pulls.find((p) => p.number === 41)!;
    const commit = ants.commits.get(41)![0]!;
    const review = ants.reviews.get(41)![0]!;
    const comment = ants.issueComments.find((c) => c.html_url?.includes('/pull/'))!;
    const minute = (n: number) => new Date(Date.parse(pr.created_at) + n * 60_000).toISOString();
    ants.commits.set(
      41,
      Array.from({ length: 250 }, (_, i) => ({
        ...commit,
        sha: `c${String(i).padStart(39, '0')}`,
        commit: { ...commit.commit, author: { ...commit.commit.author, date: minute(-i) } },
      })),
    );
    ants.reviews.set(
      41,
      Array.from({ length: 120 }, (_, i) => ({
        ...review,
        id: 9_000_000 + i,
        user: { login: `reviewer-${i % 7}`, id: 70 + (i % 7), type: 'User' },
        submitted_at: minute(10 + i),
      })),
    );
    ants.issueComments.push(
      ...Array.from({ length: 130 }, (_, i) => ({
        ...comment,
        id: 8_000_000 + i,
        // a bot's REST login ends in [bot]
        user: {
          login: i % 11 === 0 ? 'commenter-0[bot]' : `commenter-${i % 11}`,
          id: 80 + (i % 11),
          type: i % 11 === 0 ? 'Bot' : 'User',
        },
        created_at: minute(300 - i),
        updated_at: minute(300 - i),
        issue_url: comment.issue_url.replace(/\d+$/, '41'),
        html_url: comment.html_url.replace(/\/pull\/\d+/, '/pull/41'),
      })),
    );
    const viaRest = await collect(githubSource(github.url, { api: 'rest' }), new Map());
    github.resetCount();
    const viaGraphql = await collect(githubSource(github.url, { api: 'graphql' }), new Map());
    expect(viaGraphql.error).toBeUndefined();
    const restPr = pulls(viaRest.events).find((e) => e.number === 41)!;
    const graphqlPr = pulls(viaGraphql.events).find((e) => e.number === 41)!;
    expect(graphqlPr.commits).toHaveLength(250);
    expect(graphqlPr.reviews!.filter((r) => r.state)).toHaveLength(120);
    // each commenter's earliest comment, the bot's flagged as a bot
    const comments = graphqlPr.reviews!.filter((r) => !r.state);
    expect(comments.filter((c) => c.author!.startsWith('commenter-'))).toHaveLength(11);
    expect(comments.find((c) => c.author === 'commenter-0[bot]')?.author_is_bot).toBe(true);
    expect(graphqlPr).toEqual(restPr);
    expect(pulls(viaGraphql.events)).toEqual(pulls(viaRest.events));
    // commits: 100 nested, then 100 and 50 alone; reviews and comments: one more page each
    expect(github.count(/graphql#lastmilePull_commits$/).total).toBe(2);
    expect(github.count(/graphql#lastmilePull_reviews$/).total).toBe(1);
    expect(github.count(/graphql#lastmilePull_comments$/).total).toBe(1);
  });

  it('waits out a secondary-limit 403 mid-backfill, and a run that gives up goes on from its last page', async () => {
    github.repos.set(
      SYNTHETIC_REPO,
      syntheticRepo({
        pulls: 450,
        mergedShare: 0.6,
        commentsPerPull: 1,
        reviewCommentsPerMerged: 0,
        deployments: 0,
        incidents: 0,
      }),
    );
    const source = githubSource(github.url, { repos: [SYNTHETIC_REPO], api: 'graphql' });
    const clean = pulls((await collect(source, new Map())).events);
    expect(clean).toHaveLength(450);

    // One 403 with Retry-After on the third page: waited out, the run goes on.
    github.faults.push({
      kind: 'secondary',
      retryAfter: 2,
      match: /graphql#lastmilePulls$/,
      skip: 2,
      times: 1,
    });
    github.resetCount();
    const waited = await collect(source, new Map());
    expect(waited.error).toBeUndefined();
    expect(github.requests.filter((r) => r.status === 403)).toHaveLength(1);
    expect(pulls(waited.events)).toEqual(clean);

    // Four in a row on the third page: the run fails after two committed pages; the next one asks
    // for the third page again and reads nothing twice.
    github.faults.push({
      kind: 'secondary',
      retryAfter: 1,
      match: /graphql#lastmilePulls$/,
      skip: 2,
      times: 4,
    });
    const cursors = new Map<string, unknown>();
    const failed = await collect(source, cursors);
    expect(failed.error?.message).toMatch(/secondary rate limit/);
    expect(pulls(failed.events)).toHaveLength(200);
    expect(cursors.get(`pulls|${SYNTHETIC_REPO}`)).toMatchObject({ after: expect.any(String) });
    github.resetCount();
    const resumed = await collect(source, cursors);
    expect(resumed.error).toBeUndefined();
    expect(github.count(/graphql#lastmilePulls$/).total).toBe(3);
    const all = [...pulls(failed.events), ...pulls(resumed.events)];
    expect(new Set(all.map((e) => e.number)).size).toBe(all.length);
    expect(all.sort((a, b) => a.number - b.number)).toEqual(
      [...clean].sort((a, b) => a.number - b.number),
    );
  });

  it('halves its page when GitHub keeps answering a heavy query with 502', async () => {
    // plugin-retry asks three times more; then the page of 100 PRs (3 points) becomes 50 (2 points)
    github.faults.push({ kind: 'status', status: 502, match: /graphql#lastmilePulls$/, times: 4 });
    const outcome = await collect(githubSource(github.url, { api: 'graphql' }), new Map());
    expect(outcome.error).toBeUndefined();
    expect(pulls(outcome.events)).toHaveLength(49);
    expect(github.count(/graphql#lastmilePulls$/).total).toBe(4 + 1);
    expect(
      github.graphql.queries.filter((q) => q.operation === 'lastmilePulls').map((q) => q.cost),
    ).toEqual([2]);
  });

  it('paces itself under the secondary limit: a backfill that would exceed it gets no 403', async () => {
    github.repos.set(
      SYNTHETIC_REPO,
      syntheticRepo({
        pulls: 400,
        mergedShare: 0.5,
        commentsPerPull: 1,
        reviewCommentsPerMerged: 0,
        deployments: 0,
        incidents: 0,
      }),
    );
    // The stand-in's limit shrunk to 7 points in 5 seconds: four pages of 3 points need two windows.
    github.graphqlSecondary = { points: 7, windowMs: 5000 };
    const source = githubSource(github.url, { repos: [SYNTHETIC_REPO], api: 'graphql' });
    const paced = await collect(source, new Map(), {
      collector: { graphqlPointsPerWindow: 7, graphqlWindowMs: 5000 },
    });
    expect(paced.error).toBeUndefined();
    expect(pulls(paced.events)).toHaveLength(400);
    expect(github.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(paced.progress.points).toBe(github.points());

    // Unpaced (as if GitHub's limit were ten times higher), the same backfill is refused.
    github.resetCount();
    await collect(source, new Map(), {
      collector: { graphqlPointsPerWindow: 70, graphqlWindowMs: 5000 },
    });
    expect(github.requests.filter((r) => r.status === 403).length).toBeGreaterThan(0);
  });

  it('auto: backfills by GraphQL, polls a quiet repository with five 304s, reads a small change by REST and a large one by GraphQL', async () => {
    const cursors = new Map<string, unknown>();
    const source = githubSource(github.url, { api: 'auto' });
    const first = await collect(source, cursors);
    expect(pulls(first.events)).toHaveLength(49);
    expect(github.count(/graphql#lastmilePulls$/).total).toBe(1);
    expect(github.count(/\/pulls\/\d+\//).total).toBe(0);

    github.resetCount();
    const quiet = await collect(source, cursors);
    expect(quiet.batches).toEqual([]);
    expect(github.count()).toEqual({ total: 5, notModified: 5 });

    const ants = github.repo('panjf2000/ants');
    const touch = (numbers: number[], at: string) => {
      for (const pr of ants.pulls.filter((p) => numbers.includes(p.number))) pr.updated_at = at;
    };
    touch([41], '2026-01-01T00:00:00Z');
    github.resetCount();
    const small = await collect(source, cursors);
    expect(pulls(small.events).map((e) => e.number)).toEqual([41]);
    expect(github.count(/graphql#/).total).toBe(0);
    expect(github.count(/\/pulls\/41\/(commits|reviews)/).total).toBe(2);

    const merged = ants.pulls.filter((p) => p.merged_at).map((p) => p.number);
    touch(merged, '2026-01-02T00:00:00Z');
    github.resetCount();
    const large = await collect(source, cursors);
    expect(pulls(large.events)).toHaveLength(merged.length);
    expect(github.count(/graphql#lastmilePulls$/).total).toBe(1);
    expect(github.count(/\/pulls\/\d+\//).total).toBe(0);

    github.resetCount();
    const quietAgain = await collect(source, cursors);
    expect(quietAgain.batches).toEqual([]);
    expect(github.count()).toEqual({ total: 5, notModified: 5 });
  });

  it('auto: a new deployment is read by GraphQL with what it shipped, and the next poll is a 304 again', async () => {
    const cursors = new Map<string, unknown>();
    const source = githubSource(github.url, {
      repos: ['facebook/OpenBIC'],
      production_environment: '^github-pages$',
      api: 'auto',
    });
    const first = await collect(source, cursors);
    expect(first.events).toHaveLength(7);
    const openbic = github.repo('facebook/OpenBIC');
    const latest = [...openbic.deployments].sort(
      (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at),
    )[0]!;
    openbic.history = [...commitChain(openbic), 'f'.repeat(40), 'e'.repeat(40)];
    openbic.deployments.push({
      ...latest,
      id: 1,
      sha: 'e'.repeat(40),
      created_at: '2026-02-25T00:00:00Z',
    });
    openbic.statuses.set(1, [{ state: 'success', created_at: '2026-02-25T00:01:00Z' }]);
    github.resetCount();
    const second = await collect(source, cursors);
    expect(second.events).toEqual([
      expect.objectContaining({ sha: 'e'.repeat(40), commits: ['f'.repeat(40), 'e'.repeat(40)] }),
    ]);
    expect(github.count(/graphql#lastmileDeployments$/).total).toBe(1);
    expect(github.count(/graphql#lastmileShipped$/).total).toBe(1);
    expect(github.count(/\/compare\/|\/statuses/).total).toBe(0);
    github.resetCount();
    const third = await collect(source, cursors);
    expect(third.batches).toEqual([]);
    expect(github.count()).toEqual({ total: 5, notModified: 5 });
  });

  it('tells the run the points it used, what the token has left and when it should finish', async () => {
    const progress: ProgressDelta[] = [];
    const outcome = await collect(githubSource(github.url, { api: 'graphql' }), new Map(), {
      onProgress: (delta) => progress.push(delta),
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.progress.points).toBe(github.points());
    const told = progress.filter((p) => p.pointsRemaining !== undefined);
    expect(told.at(-1)?.pointsRemaining).toBe(github.graphql.points.remaining);
    expect(progress.some((p) => typeof p.estimatedFinish === 'string')).toBe(true);
  });
});
