import { generateKeyPairSync } from 'node:crypto';
import type { DeploymentEvent, PullRequestEvent } from '@lastmile/collectors';
import { GithubStandIn } from '../support/github-stand-in.js';
import { collect, githubSource } from './collect.js';
import { expectedRows, instant, nativeOf } from './devlake-csv.js';

// The collector over real HTTP against the stand-in serving the recorded payloads.
describe('GitHub collector against the stand-in', () => {
  let github: GithubStandIn;
  beforeEach(async () => {
    github = await new GithubStandIn().start();
  });
  afterEach(async () => {
    await github.close();
  });

  const pulls = (events: unknown[]) =>
    events.filter((e) => (e as PullRequestEvent).type === 'pull_request') as PullRequestEvent[];

  it('collects every PR, with commits and reviews for the merged ones, matching DevLake', async () => {
    const outcome = await collect(githubSource(github.url), new Map());
    expect(outcome.error).toBeUndefined();
    const events = pulls(outcome.events);
    expect(events).toHaveLength(49);
    const merged = events.filter((e) => e.merged_at);
    expect(merged).toHaveLength(26);
    expect(merged.every((e) => e.commits !== undefined && e.reviews !== undefined)).toBe(true);
    expect(events.filter((e) => !e.merged_at).every((e) => e.commits === undefined)).toBe(true);

    const pullIdByNumber = new Map(
      expectedRows('pull_requests.csv').map((r) => [Number(r.pull_request_key), nativeOf(r.id!)]),
    );
    const commitRows = expectedRows('pull_request_commits.csv');
    for (const event of merged) {
      const githubId = pullIdByNumber.get(event.number)!;
      const expected = commitRows
        .filter((r) => nativeOf(r.pull_request_id!) === githubId)
        .map((r) => `${r.commit_sha}@${instant(r.commit_authored_date)}`);
      const ours = event.commits!.map((c) => `${c.sha}@${instant(c.authored_at)}`);
      expect({ pr: event.number, commits: new Set(ours) }).toEqual({
        pr: event.number,
        commits: new Set(expected),
      });
    }
    // PR 41 (github id 308859272): DevLake's review rows, and the comments beside them
    const reviewRows = expectedRows('_tool_github_pull_request_reviews.csv').filter(
      (r) => r.pull_request_id === '308859272',
    );
    const pr41 = events.find((e) => e.number === 41)!;
    const reviews41 = pr41.reviews!.filter((r) => r.state);
    expect(reviews41.map((r) => `${r.author}@${instant(r.submitted_at)}`).sort()).toEqual(
      reviewRows.map((r) => `${r.author_username}@${instant(r.github_submit_at)}`).sort(),
    );
  });

  it('costs at most the issue budget on a full sync by REST, and one 304 per list on a sync with nothing new', async () => {
    const cursors = new Map<string, unknown>();
    const source = githubSource(github.url, { api: 'rest' });
    await collect(source, cursors);
    const full = github.count();
    // 1 PR list page + 2 x 26 merged PRs + 4 comment-list requests (2 lists, each read once and its
    // next URL's ETag learnt once) + the deployments and incident lists
    expect(full.total).toBe(1 + 52 + 4 + 2);

    github.resetCount();
    const second = await collect(source, cursors);
    expect(second.batches).toEqual([]);
    // issue comments, review comments, pulls, deployments, incident issues
    expect(github.count()).toEqual({ total: 5, notModified: 5 });
  });

  it('fetches details only for the PRs that changed, stopping at the watermark', async () => {
    const cursors = new Map<string, unknown>();
    await collect(githubSource(github.url), cursors);
    const pr = github.repo('panjf2000/ants').pulls.find((p) => p.number === 41)!;
    pr.title = 'renamed';
    pr.updated_at = '2026-01-01T00:00:00Z';
    github.resetCount();
    const outcome = await collect(githubSource(github.url), cursors);
    expect(pulls(outcome.events).map((e) => [e.number, e.title])).toEqual([[41, 'renamed']]);
    expect(github.count(/\/pulls\/\d+\//).total).toBe(2);
    expect(github.count(/\/pulls\/\d+\//).notModified).toBe(0);
  });

  it('follows Link pagination to the same result', async () => {
    github.maxPerPage = 7;
    const outcome = await collect(githubSource(github.url, { api: 'rest' }), new Map());
    expect(outcome.error).toBeUndefined();
    expect(pulls(outcome.events)).toHaveLength(49);
    expect(outcome.progress.pages).toBeGreaterThan(10);
  });

  it('finishes deployments at their latest SUCCESS status and links commits from the compare API', async () => {
    const source = githubSource(github.url, { repos: ['facebook/OpenBIC'], api: 'rest' });
    const outcome = await collect(source, new Map());
    expect(outcome.error).toBeUndefined();
    const deployments = outcome.events.filter((e) => e.type === 'deployment') as DeploymentEvent[];
    expect(deployments).toHaveLength(7);
    const expected = new Map(expectedRows('graphql_deployments.csv').map((r) => [r.name, r]));
    for (const deployment of deployments) {
      const row = expected.get(deployment.sha)!;
      expect(deployment.status.toUpperCase()).toBe(row.result);
      expect(deployment.environment).toBe('github-pages');
      expect(instant(deployment.started_at)).toBe(instant(row.started_date));
    }
    const superseded = deployments.find((d) => d.sha.startsWith('74962aec'))!;
    expect(superseded.finished_at).toBe('2026-02-14T00:32:36Z');
    // Oldest first: the first-ever deployment links none; each later one what the compare returned.
    const ordered = [...deployments].sort(
      (a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!),
    );
    expect(ordered[0]!.commits).toEqual([]);
    for (const deployment of ordered.slice(1)) expect(deployment.commits).toEqual([deployment.sha]);
    expect(github.count(/\/compare\//).total).toBe(6);
  });

  it('takes workflow runs matching the pattern as deployments named after their workflow', async () => {
    const source = githubSource(github.url, {
      deployments_from: 'workflow_runs',
      workflow_pattern: '^CodeQL',
    });
    const outcome = await collect(source, new Map());
    const deployments = outcome.events.filter((e) => e.type === 'deployment') as DeploymentEvent[];
    const expected = expectedRows('cicd_pipelines.csv').filter(
      (r) => /^CodeQL/.test(r.name!) && r.result !== '',
    );
    expect(deployments.map((d) => d.id.split('/').pop()).sort()).toEqual(
      expected.map((r) => nativeOf(r.id!)).sort(),
    );
    for (const deployment of deployments) {
      const row = expected.find((r) => nativeOf(r.id!) === deployment.id.split('/').pop())!;
      expect([
        deployment.status.toUpperCase(),
        instant(deployment.finished_at),
        deployment.environment,
      ]).toEqual([row.result, instant(row.finished_date), 'CodeQL']);
    }
  });

  it('reads incidents from issues with the label, resolved when closed', async () => {
    const repo = github.repo('panjf2000/ants');
    const label = [{ name: 'incident' }];
    repo.issues.push(
      {
        number: 900,
        title: 'API down',
        state: 'closed',
        labels: label,
        created_at: '2026-01-02T10:00:00Z',
        updated_at: '2026-01-02T12:00:00Z',
        closed_at: '2026-01-02T12:00:00Z',
      },
      {
        number: 901,
        title: 'Slow',
        state: 'open',
        labels: label,
        created_at: '2026-01-03T10:00:00Z',
        updated_at: '2026-01-03T10:00:00Z',
        closed_at: null,
      },
      {
        number: 902,
        title: 'Feature',
        state: 'open',
        labels: [{ name: 'enhancement' }],
        created_at: '2026-01-03T10:00:00Z',
        updated_at: '2026-01-03T10:00:00Z',
        closed_at: null,
      },
    );
    const outcome = await collect(githubSource(github.url), new Map());
    expect(outcome.events.filter((e) => e.type === 'incident')).toEqual([
      {
        type: 'incident',
        id: 'panjf2000/ants/issues/900',
        repo: 'panjf2000/ants',
        title: 'API down',
        created_at: '2026-01-02T10:00:00Z',
        resolved_at: '2026-01-02T12:00:00Z',
      },
      {
        type: 'incident',
        id: 'panjf2000/ants/issues/901',
        repo: 'panjf2000/ants',
        title: 'Slow',
        created_at: '2026-01-03T10:00:00Z',
        resolved_at: null,
      },
    ]);
  });

  it('survives 502s, a secondary rate limit with Retry-After and a connection dropped mid-page', async () => {
    github.faults.push(
      { kind: 'status', status: 502, match: /\/pulls\?/, times: 2 },
      { kind: 'secondary', retryAfter: 1, match: /\/pulls\/41\/reviews/, times: 1 },
      { kind: 'drop', match: /\/issues\/comments/, times: 1 },
    );
    const outcome = await collect(githubSource(github.url, { api: 'rest' }), new Map());
    expect(outcome.error).toBeUndefined();
    expect(pulls(outcome.events)).toHaveLength(49);
    expect(github.faults.every((f) => f.times === 0)).toBe(true);
    expect(github.count(/\/pulls\?/).total).toBe(3);
    expect(github.count(/\/pulls\/41\/reviews/).total).toBe(2);
  });

  it('fails a 401 with the source and the token variable named, and yields nothing', async () => {
    const outcome = await collect(githubSource(github.url), new Map(), { token: 'wrong' });
    expect(outcome.batches).toEqual([]);
    expect(outcome.error?.message).toMatch(/"stand-in".*401.*GITHUB_TOKEN_TEST/);
  });

  it('names an unknown repository and an invalid pattern', async () => {
    const unknown = await collect(
      githubSource(github.url, { repos: ['panjf2000/nope'] }),
      new Map(),
    );
    expect(unknown.error?.message).toMatch(
      /^GitHub source "stand-in": the repository "panjf2000\/nope" was not found at http:\/\/127\.0\.0\.1:\d+ \(404 on \/repos\/panjf2000\/nope\//,
    );
    const invalid = await collect(githubSource(github.url, { workflow_pattern: '([' }), new Map());
    expect(invalid.error?.message).toMatch(
      /workflow_pattern "\(\[" is not a valid regular expression/,
    );
  });

  it('resumes after a stop between two batches: no gap, no duplicate', async () => {
    const cursors = new Map<string, unknown>();
    const source = githubSource(github.url, { api: 'rest' });
    const first = await collect(source, cursors, { stopAfterBatches: 1 });
    const done = pulls(first.events).map((e) => e.number);
    expect(done).toHaveLength(20);
    const second = await collect(source, cursors);
    const rest = pulls(second.events).map((e) => e.number);
    expect(rest).toHaveLength(29);
    expect(new Set([...done, ...rest]).size).toBe(49);
    github.resetCount();
    const third = await collect(source, cursors);
    expect(third.batches).toEqual([]);
    expect(github.count()).toEqual({ total: 5, notModified: 5 });
  });
  it('authenticates as a GitHub App: a JWT signed with its key buys an installation token', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    github.app = {
      id: '4242',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const source = githubSource(github.url, {
      token_env: undefined,
      app_id_env: 'APP_ID',
      app_private_key_env: 'APP_KEY',
    });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const outcome = await collect(source, new Map(), { secrets: { APP_ID: '4242', APP_KEY: pem } });
    expect(outcome.error).toBeUndefined();
    expect(pulls(outcome.events)).toHaveLength(49);
    expect(github.count(/^\/repos\/panjf2000\/ants\/installation$/).total).toBe(1);
    expect(github.count(/^\/app\/installations\/1\/access_tokens$/).total).toBe(1);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const refused = await collect(source, new Map(), {
      secrets: { APP_ID: '4242', APP_KEY: other },
    });
    expect(refused.error?.message).toMatch(
      /^GitHub source "stand-in": the GitHub App \(APP_ID, APP_KEY\) could not authenticate/,
    );
  });

  it("collects an organisation's repositories chosen by include and exclude", async () => {
    github.orgs.set('acme', ['panjf2000/ants', 'facebook/OpenBIC']);
    const source = githubSource(github.url, {
      repos: [],
      org: 'acme',
      include: ['^open', '^ants$'],
      exclude: ['^ants$'],
    });
    const cursors = new Map<string, unknown>();
    const outcome = await collect(source, cursors);
    expect(outcome.error).toBeUndefined();
    expect(new Set(outcome.events.map((e) => (e as DeploymentEvent).repo))).toEqual(
      new Set(['facebook/OpenBIC']),
    );
    // an unchanged organisation costs a 304 too, like every list of its repositories
    github.resetCount();
    const again = await collect(source, cursors);
    expect(again.batches).toEqual([]);
    expect(github.count()).toEqual({ total: 6, notModified: 6 });
  });

  it('takes published releases as deployments, a draft once it is published', async () => {
    // the collect helper's clock reads 2026-03-01: the draft is young enough to be asked again
    const repo = github.repo('panjf2000/ants');
    const release = (
      id: number,
      tag: string,
      sha: string,
      at: string,
      extra: Record<string, unknown> = {},
    ) => ({
      id,
      tag_name: tag,
      sha,
      draft: false,
      prerelease: false,
      created_at: at,
      published_at: at,
      ...extra,
    });
    repo.releases.push(
      release(1, 'v1.0.0', 'sha-1', '2026-02-01T00:00:00Z'),
      release(2, 'v1.1.0-rc1', 'sha-2', '2026-02-10T00:00:00Z', { prerelease: true }),
      release(3, 'v1.1.0', 'sha-3', '2026-02-20T00:00:00Z'),
      release(4, 'v2.0.0', 'sha-4', '2026-02-27T00:00:00Z', { draft: true, published_at: null }),
    );
    repo.compare.set('sha-1...sha-3', ['sha-2', 'sha-3']);
    const cursors = new Map<string, unknown>();
    const source = githubSource(github.url, { deployments_from: 'releases' });
    const first = await collect(source, cursors);
    const deployments = () =>
      first.events.filter((e) => e.type === 'deployment') as DeploymentEvent[];
    expect(deployments().map((d) => [d.sha, d.environment, d.status, d.commits])).toEqual([
      ['sha-1', 'production', 'success', []],
      ['sha-2', 'prerelease', 'success', []],
      ['sha-3', 'production', 'success', ['sha-2', 'sha-3']],
    ]);
    repo.releases[3]!.draft = false;
    repo.releases[3]!.published_at = '2026-03-02T00:00:00Z';
    const second = await collect(source, cursors);
    expect(second.events.filter((e) => e.type === 'deployment')).toMatchObject([
      { sha: 'sha-4', finished_at: '2026-03-02T00:00:00Z', commits: ['sha-4'] },
    ]);
  });
  it('waits for a near rate-limit reset, and fails a far one with the time it resets', async () => {
    github.faults.push({ kind: 'exhausted', resetInSeconds: 1, match: /\/pulls\?/, times: 1 });
    const near = await collect(githubSource(github.url), new Map());
    expect(near.error).toBeUndefined();
    expect(github.count(/\/pulls\?/).total).toBe(2);

    github.faults.push({ kind: 'exhausted', resetInSeconds: 3600, match: /\/pulls\?/, times: 1 });
    const far = await collect(githubSource(github.url), new Map());
    expect(far.error?.message).toMatch(
      /^GitHub source "stand-in": the token's rate limit is spent until \d{4}-\d\d-\d\dT.*; the next run goes on from where this one stopped\.$/,
    );
  });

  it('works against GitHub Enterprise under /api/v3, following its Link URLs', async () => {
    github.maxPerPage = 20;
    const outcome = await collect(githubSource(`${github.url}/api/v3`), new Map());
    expect(outcome.error).toBeUndefined();
    expect(pulls(outcome.events)).toHaveLength(49);
    // REST under /api/v3, GraphQL at the endpoint derived from it
    expect(
      github.requests.every(
        (r) => r.path.startsWith('/api/v3/') || r.path.startsWith('/api/graphql#'),
      ),
    ).toBe(true);
    expect(github.count(/^\/api\/graphql#lastmilePulls$/).total).toBe(1);
  });
  it('fails clearly when GitHub cannot be reached', async () => {
    const closed = new GithubStandIn();
    await closed.start();
    const url = closed.url;
    await closed.close();
    const outcome = await collect(githubSource(url), new Map());
    expect(outcome.batches).toEqual([]);
    expect(outcome.error?.message).toMatch(
      /^GitHub source "stand-in": \/repos\/panjf2000\/ants\/.* failed: .*ECONNREFUSED/,
    );
  });
  it('leaves what a deployment shipped unknown when its base cannot be compared, and goes on', async () => {
    const openbic = github.repo('facebook/OpenBIC');
    const [first, second] = [...openbic.deployments].sort(
      (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
    );
    openbic.compare.set(`${first!.sha}...${second!.sha}`, null);
    const outcome = await collect(
      githubSource(github.url, { repos: ['facebook/OpenBIC'], api: 'rest' }),
      new Map(),
    );
    expect(outcome.error).toBeUndefined();
    const deployments = outcome.events as DeploymentEvent[];
    expect(deployments).toHaveLength(7);
    const unknown = deployments.find((d) => d.sha === second!.sha)!;
    expect('commits' in unknown).toBe(false);
    expect(deployments.filter((d) => d.commits?.length === 1)).toHaveLength(5);
  });
});
