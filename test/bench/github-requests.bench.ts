// GitHub requests and GraphQL points per 1,000 PRs, counted by the stand-in server, for each `api`:
// a full sync (the backfill), then a second sync with nothing changed. Every request counts: REST
// and GraphQL, PRs, comments, deployments and incidents.
// Run: node --import ./test/bench/ts-loader.mjs test/bench/github-requests.bench.ts
import type { CollectorContext, GithubSource } from '@lastmile/collectors';
import { createGithubCollector, githubSourceSchema } from '@lastmile/collectors';
import { GithubStandIn } from '../support/github-stand-in.js';
import { BENCH_SHAPE, SYNTHETIC_REPO, syntheticRepo } from '../support/github-synthetic.js';

// The budget for a backfill, per 1,000 PRs.
const BUDGET = { points: 60, requests: 60 };
// GitHub's primary limits an hour (a personal token; an App gets more on large organisations).
const POINTS_AN_HOUR = 5000;
const REQUESTS_AN_HOUR = 5000;
const PULLS = BENCH_SHAPE.pulls;
const REPO = SYNTHETIC_REPO;

async function sync(
  github: GithubStandIn,
  api: GithubSource['api'],
  cursors: Map<string, unknown>,
) {
  // GitHub asks for a second between GraphQL queries; the count does not depend on it.
  const collector = createGithubCollector({ graphqlMinTimeMs: 0 });
  const context: CollectorContext = {
    cursor: <T>(resource: string, scope = '') =>
      cursors.get(`${resource}|${scope}`) as T | undefined,
    secret: () => github.token,
    progress: () => {},
    now: () => new Date(),
    signal: new AbortController().signal,
  };
  let events = 0;
  const source = githubSourceSchema.parse({
    kind: 'github',
    name: 'bench',
    base_url: github.url,
    token_env: 'TOKEN',
    repos: [REPO],
    api,
  });
  for await (const batch of collector.collect(source, context)) {
    events += batch.events.length;
    for (const c of batch.cursors) cursors.set(`${c.resource}|${c.scope ?? ''}`, c.value);
  }
  return events;
}

const perThousand = (n: number) => Math.round((n * 1000) / PULLS);
const hours = (n: number, anHour: number) => (n / anHour).toFixed(1);

const rows: string[] = [];
let header = '';
for (const api of (process.env.BENCH_APIS?.split(',') ?? [
  'rest',
  'auto',
  'graphql',
]) as GithubSource['api'][]) {
  const github = await new GithubStandIn(new Map([[REPO, syntheticRepo()]])).start();
  try {
    const repo = github.repo(REPO);
    header = `${PULLS} PRs (${repo.pulls.filter((p) => p.merged_at).length} merged), ${repo.issueComments.length} comments, ${repo.reviewComments.length} review comments, ${repo.deployments.length} deployments, ${repo.issues.length} incidents; counted by the stand-in`;
    const cursors = new Map<string, unknown>();
    const events = await sync(github, api, cursors);
    const full = github.count();
    const graphql = github.count(/graphql#/).total;
    const points = github.points();
    const secondary = github.requests.filter((r) => r.status === 403).length;
    const byOperation = new Map<string, { queries: number; points: number }>();
    for (const q of github.graphql.queries) {
      const seen = byOperation.get(q.operation) ?? { queries: 0, points: 0 };
      byOperation.set(q.operation, { queries: seen.queries + 1, points: seen.points + q.cost });
    }
    const breakdown = [...byOperation]
      .map(([operation, v]) => `${operation.replace(/^lastmile/, '')} ${v.queries}q/${v.points}p`)
      .join(', ');
    github.resetCount();
    await sync(github, api, cursors);
    const second = github.count();
    const secondPoints = github.points();
    // A 100,000-PR organisation's first sync at the token's hourly limits, whichever binds.
    const scale = 100_000 / PULLS;
    const orgHours = Math.max(
      Number(hours(points * scale, POINTS_AN_HOUR)),
      Number(hours((full.total - graphql) * scale, REQUESTS_AN_HOUR)),
    );
    rows.push(
      [
        `api: ${api}`.padEnd(14),
        `full sync ${String(perThousand(full.total)).padStart(5)} requests (${graphql} GraphQL, ${full.total - graphql} REST), ${String(perThousand(points)).padStart(3)} points per 1,000 PRs; ${events} events; ${secondary} secondary-limit 403s`,
        breakdown ? `\n${' '.repeat(14)}GraphQL: ${breakdown}` : '',
        `\n${' '.repeat(14)}second sync ${second.total} requests (${second.notModified} answered 304), ${secondPoints} points`,
        `\n${' '.repeat(14)}a 100,000-PR organisation's first sync: about ${orgHours.toFixed(1)} hours at ${POINTS_AN_HOUR} points and ${REQUESTS_AN_HOUR} requests an hour` +
          (graphql > 0
            ? ` (its ${graphql * scale} GraphQL queries, a second apart, take ${((graphql * scale) / 3600).toFixed(1)} hours plus GitHub's time to answer)`
            : ''),
      ].join(''),
    );
  } finally {
    await github.close();
  }
}
console.log(`GitHub requests and GraphQL points per 1,000 PRs (${header})`);
for (const row of rows) console.log(row);
console.log(
  `budget (issue #23): at most ${BUDGET.requests} requests and ${BUDGET.points} points per 1,000 PRs for a full sync (GraphQL paths)`,
);
