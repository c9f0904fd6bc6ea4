import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  flag,
  option,
  postEvents,
  serverUrl,
  startApi,
} from './bench-support.js';

// `npm run bench:batches [-- --rounds N] [--embedded]`: the time the API takes to write a batch
// of 10,000 events of each type alone (pull requests with a commit and a review each, production
// deployments of those merges, incidents, model versions, model stage changes), N new batches a
// type, into a fresh database, or on the embedded engine with --embedded. Deployments ship the PRs
// before them, so linking is in the figure. A figure, not an assertion.
// Target (issue 25): a batch of 10,000 events of any type within a few seconds.
// `npm run bench:incidents` has incidents against many stored deployments and teams.

const ROUNDS = option('rounds', 2);
const BATCH = 10_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sha = (prefix: string, i: number) => `${prefix}${String(i).padStart(9, '0')}`;

const MAKE: Record<string, (i: number) => object> = {
  pull_request: (i) => ({
    type: 'pull_request',
    id: `pr-${i}`,
    repo: `bench/repo-${i % 50}`,
    number: i + 1,
    title: `Change ${i}`,
    author: `dev-${i % 30}`,
    created_at: iso(START + i * MINUTE),
    merged_at: iso(START + i * MINUTE + 3_600_000),
    merge_commit_sha: sha('c', i),
    base_branch: 'main',
    commits: [{ sha: sha('e', i), authored_at: iso(START + i * MINUTE - 1000) }],
    reviews: [
      { author: 'reviewer', submitted_at: iso(START + i * MINUTE + 600_000), state: 'APPROVED' },
    ],
  }),
  deployment: (i) => ({
    type: 'deployment',
    id: `deploy-${i}`,
    repo: `bench/repo-${i % 50}`,
    environment: 'production',
    sha: sha('c', i),
    status: i % 10 === 9 ? 'failure' : 'success',
    started_at: iso(START + i * MINUTE + 3_700_000),
    finished_at: iso(START + i * MINUTE + 4_000_000),
  }),
  incident: (i) => ({
    type: 'incident',
    id: `incident-${i}`,
    repo: `bench/repo-${i % 50}`,
    title: `Incident ${i}`,
    created_at: iso(START + i * MINUTE + 4_100_000),
    resolved_at: iso(START + i * MINUTE + 7_700_000),
  }),
  model_version: (i) => ({
    type: 'model_version',
    id: `version-${i}`,
    registry: 'bench-registry',
    model: `model-${i % 200}`,
    version: String(i + 1),
    created_at: iso(START + i * MINUTE),
    run_id: `run-${i}`,
    run_started_at: iso(START + i * MINUTE - 600_000),
  }),
  model_stage: (i) => ({
    type: 'model_stage',
    id: `stage-${i}`,
    registry: 'bench-registry',
    model: `model-${i % 200}`,
    version: String(i + 1),
    environment: 'production',
    action: i % 3 === 2 ? 'demote' : 'promote',
    at: iso(START + i * MINUTE + 100_000),
  }),
};

async function main(): Promise<void> {
  const server = flag('embedded') ? undefined : serverUrl();
  const name = `lastmile_bench_batches_${Date.now().toString(36)}`;
  if (server) await createDatabase(server, name);
  const api = await startApi(server ? databaseUrl(server, name) : undefined);
  try {
    process.stdout.write(
      `batches of 10,000 events of one type, ${server ? 'PostgreSQL server' : 'embedded engine'}:\n`,
    );
    for (const [type, make] of Object.entries(MAKE)) {
      const times: string[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const events = Array.from({ length: BATCH }, (_, i) => make(round * BATCH + i));
        const started = performance.now();
        const result = await postEvents(api, JSON.stringify({ events }));
        if (result.inserted !== BATCH) throw new Error(`${type}: ${JSON.stringify(result)}`);
        times.push(`${((performance.now() - started) / 1000).toFixed(2)} s`);
      }
      process.stdout.write(`  ${type.padEnd(14)} ${times.join(', ')}\n`);
    }
  } finally {
    await api.stop();
    if (server) await dropDatabase(server, name);
  }
}

await main();
