// GitHub requests per 1,000 PRs, counted by the stand-in server: a full sync, then a second sync with
// nothing changed. Run: node --import ./test/bench/ts-loader.mjs test/bench/github-requests.bench.ts
import type { CollectorContext } from '@lastmile/collectors';
import { createGithubCollector, githubSourceSchema } from '@lastmile/collectors';
import { emptyRepo, GithubStandIn, recordedRepos } from '../support/github-stand-in.js';

const PULLS = 1000;
const MERGED_SHARE = 0.6;
const COMMENTS_PER_PULL = 2;
const REPO = 'bench/service';

/** 1,000 PRs shaped like the recorded panjf2000/ants ones, with commits, a review and comments. */
function syntheticRepo() {
  const ants = recordedRepos().get('panjf2000/ants')!;
  const pullTemplate = ants.pulls[0]!;
  const commitTemplate = [...ants.commits.values()][0]![0]!;
  const reviewTemplate = [...ants.reviews.values()][0]![0]!;
  const commentTemplate = ants.issueComments[0]!;
  const repo = emptyRepo();
  const base = Date.parse('2025-01-01T00:00:00Z');
  const at = (minutes: number) =>
    new Date(base + minutes * 60_000).toISOString().replace('.000', '');
  for (let n = 1; n <= PULLS; n++) {
    const merged = n % 10 < MERGED_SHARE * 10;
    repo.pulls.push({
      ...pullTemplate,
      id: 1_000_000 + n,
      number: n,
      state: 'closed',
      created_at: at(n * 60),
      updated_at: at(n * 60 + 30),
      closed_at: at(n * 60 + 30),
      merged_at: merged ? at(n * 60 + 30) : null,
      merge_commit_sha: `m${String(n).padStart(39, '0')}`,
    });
    repo.commits.set(n, [
      {
        ...commitTemplate,
        sha: `a${String(n).padStart(39, '0')}`,
        commit: {
          ...commitTemplate.commit,
          author: { ...commitTemplate.commit.author, date: at(n * 60 - 60) },
        },
      },
      {
        ...commitTemplate,
        sha: `b${String(n).padStart(39, '0')}`,
        commit: {
          ...commitTemplate.commit,
          author: { ...commitTemplate.commit.author, date: at(n * 60 - 30) },
        },
      },
    ]);
    repo.reviews.set(n, [{ ...reviewTemplate, id: 2_000_000 + n, submitted_at: at(n * 60 + 10) }]);
    for (let c = 0; c < COMMENTS_PER_PULL; c++) {
      const id = 3_000_000 + n * 10 + c;
      repo.issueComments.push({
        ...commentTemplate,
        id,
        created_at: at(n * 60 + 5 + c),
        updated_at: at(n * 60 + 5 + c),
        issue_url: `https://api.github.com/repos/${REPO}/issues/${n}`,
        html_url: `https://github.com/${REPO}/pull/${n}#issuecomment-${id}`,
      });
    }
  }
  return repo;
}

async function sync(github: GithubStandIn, cursors: Map<string, unknown>) {
  const collector = createGithubCollector();
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
  });
  for await (const batch of collector.collect(source, context)) {
    events += batch.events.length;
    for (const c of batch.cursors) cursors.set(`${c.resource}|${c.scope ?? ''}`, c.value);
  }
  return events;
}

const github = await new GithubStandIn(new Map([[REPO, syntheticRepo()]])).start();
try {
  const merged = github.repo(REPO).pulls.filter((p) => p.merged_at).length;
  const comments = github.repo(REPO).issueComments.length;
  const cursors = new Map<string, unknown>();

  const events = await sync(github, cursors);
  const full = github.count();
  const lists = github.count(/\/pulls\?/).total;
  const details = github.count(/\/pulls\/\d+\/(commits|reviews)/).total;
  const commentLists = github.count(/\/(issues|pulls)\/comments/).total;
  const budget = Math.ceil(PULLS / 100) + 2 * merged + commentLists;

  github.resetCount();
  const secondEvents = await sync(github, cursors);
  const second = github.count();

  console.log(
    `GitHub requests per 1,000 PRs (${PULLS} PRs, ${merged} merged, ${comments} comments; counted by the stand-in)`,
  );
  console.log(
    `full sync:   ${full.total} requests (PR list pages ${lists}, commits+reviews ${details}, comment lists ${commentLists}, other lists ${full.total - lists - details - commentLists}); ${events} events`,
  );
  console.log(`             budget ceil(N/100) + 2 x merged + comment lists = ${budget}`);
  console.log(
    `second sync: ${second.total} requests, ${second.notModified} answered 304; ${secondEvents} events`,
  );
} finally {
  await github.close();
}
