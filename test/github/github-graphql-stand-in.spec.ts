import { GithubStandIn } from '../support/github-stand-in.js';
import { SYNTHETIC_REPO, syntheticRepo, BENCH_SHAPE } from '../support/github-synthetic.js';
import { collect, githubSource } from './collect.js';

// The stand-in's GraphQL endpoint holds queries to what GitHub accepts and charges what GitHub
// charges; the collector's budget is counted on it.

describe('GitHub GraphQL stand-in', () => {
  let github: GithubStandIn;
  beforeAll(async () => {
    github = await new GithubStandIn().start();
  });
  afterAll(async () => {
    await github.close();
  });

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${github.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: Record<string, any>;
      errors?: { message: string }[];
    };
  };

  it('refuses what GitHub refuses: an unknown field, a connection without first or last, more than 100', async () => {
    const unknown = await post(
      `{ repository(owner: "panjf2000", name: "ants") { pullRequests(first: 1) { nodes { mergeSha } } } }`,
    );
    expect(unknown.errors?.[0]?.message).toMatch(
      /Cannot query field "mergeSha" on type "PullRequest"/,
    );
    const unpaged = await post(
      `{ repository(owner: "panjf2000", name: "ants") { pullRequests { totalCount } } }`,
    );
    expect(unpaged.errors?.[0]?.message).toMatch(
      /You must provide a `first` or `last` value to properly paginate the `pullRequests` connection/,
    );
    const tooMany = await post(
      `{ repository(owner: "panjf2000", name: "ants") { pullRequests(first: 101) { totalCount } } }`,
    );
    expect(tooMany.errors?.[0]?.message).toMatch(/exceeds the `first` limit of 100 records/);
    const wrongType = await post(
      `query q($n: String) { repository(owner: "panjf2000", name: "ants") { pullRequests(first: $n) { totalCount } } }`,
      { n: '5' },
    );
    expect(wrongType.errors?.[0]?.message).toMatch(
      /Variable "\$n" of type "String" used in position expecting type "Int"/,
    );
  });

  it("charges GitHub's published cost: nested connections' requests summed, divided by 100, at least 1", async () => {
    const cost = async (query: string) => (await post(query)).data?.rateLimit?.cost as number;
    // GitHub's example: 100 PRs (1 request) with 100 reviews each (100 requests): 101 / 100 = 1
    expect(
      await cost(`{ rateLimit { cost } repository(owner: "panjf2000", name: "ants") {
        pullRequests(first: 100) { nodes { reviews(first: 100) { totalCount } } } } }`),
    ).toBe(1);
    // three nested connections: 1 + 3 x 100 = 301 -> 3
    expect(
      await cost(`{ rateLimit { cost } repository(owner: "panjf2000", name: "ants") {
        pullRequests(first: 100) { nodes { commits(first: 100) { totalCount } reviews(first: 100) { totalCount }
        comments(first: 100) { totalCount } } } } }`),
    ).toBe(3);
    // a level deeper multiplies: 1 + 100 + 100 x 50 = 5,101 -> 51
    expect(
      await cost(`{ rateLimit { cost } repository(owner: "panjf2000", name: "ants") {
        pullRequests(first: 100) { nodes { reviews(first: 50) { nodes { comments(first: 10) { totalCount } } } } } } }`),
    ).toBe(51);
    expect(await cost(`{ rateLimit { cost } viewer { login } }`)).toBe(1);
  });

  it('serves the recorded PRs as GitHub would: bots by their slug, state MERGED, the merge commit', async () => {
    const { data } = await post(`{ repository(owner: "panjf2000", name: "ants") {
      pullRequests(first: 100, states: MERGED) { totalCount nodes { number state mergeCommit { oid } author { __typename login } } } } }`);
    const merged = data!.repository.pullRequests;
    expect(merged.totalCount).toBe(26);
    const pr = github.repo('panjf2000/ants').pulls.find((p) => p.merged_at)!;
    expect(merged.nodes.find((n: { number: number }) => n.number === pr.number)).toEqual({
      number: pr.number,
      state: 'MERGED',
      mergeCommit: { oid: pr.merge_commit_sha },
      author: { __typename: 'User', login: pr.user.login },
    });
  });
});

describe('GitHub backfill budget', () => {
  it('a full sync by GraphQL (auto) of 1,000 PRs costs at most 60 requests and 60 points, all requests counted', async () => {
    const github = await new GithubStandIn(new Map([[SYNTHETIC_REPO, syntheticRepo()]])).start();
    try {
      const outcome = await collect(
        githubSource(github.url, { repos: [SYNTHETIC_REPO], api: 'auto' }),
        new Map(),
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.events.length).toBe(
        BENCH_SHAPE.pulls + BENCH_SHAPE.deployments + BENCH_SHAPE.incidents,
      );
      expect(github.count().total).toBeLessThanOrEqual(60);
      expect(github.points()).toBeLessThanOrEqual(60);
      // and what the collector told the run is what the server counted
      expect(outcome.progress.requests).toBe(github.count().total);
      expect(outcome.progress.points).toBe(github.points());
    } finally {
      await github.close();
    }
  });
});
