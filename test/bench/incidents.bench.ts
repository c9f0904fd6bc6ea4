import {
  ADMIN_TOKEN,
  createDatabase,
  databaseUrl,
  dropDatabase,
  flag,
  option,
  postEvents,
  serverUrl,
  startApi,
  thousands,
} from './bench-support.js';

// `npm run bench:incidents [-- --batches N] [--repos N] [--stated-every N] [--team-every N] [--embedded]`: the time the API takes to write a batch
// of 10,000 incidents, against a fresh database holding deployments over a year in the same
// repositories (what linking looks incidents up against; --deployments N, default 50,000). Each batch is new incidents; the last
// one is the first sent again with their resolutions changed (updates). Prints each batch's time
// and its phases (lastmile_ingest_phase_seconds); a figure, not an assertion. --embedded runs the
// API on its embedded engine (no DATABASE_URL), as `npm start` does on a fresh machine.
// Target (issue 25): a batch of 10,000 events of any type within a few seconds.

const BATCHES = option('batches', 3);
const REPOS = option('repos', 50);
/** Every Nth incident names the deployment that caused it (deployment_id). */
const STATED_EVERY = option('stated-every', 2);
/** Every Nth incident names a team rather than a repository (attributed among its repositories). */
const TEAM_EVERY = option('team-every', 3);
const TEAMS = 10;
const BATCH = 10_000;
/** Deployments stored first, over a year, posted 10,000 a request. */
const DEPLOYMENTS = option('deployments', 50_000);
const YEAR_MS = 365 * 86_400_000;
const START = Date.parse('2025-11-01T00:00:00Z');

const at = (ms: number) => new Date(ms).toISOString();

function deployments(from: number): object[] {
  return Array.from({ length: BATCH }, (_, k) => {
    const i = from + k;
    const finished = START + Math.floor((i / DEPLOYMENTS) * YEAR_MS);
    return {
      type: 'deployment',
      id: `bench-dep-${i}`,
      repo: `bench/repo-${i % REPOS}`,
      environment: 'production',
      sha: `d${String(i).padStart(9, '0')}`,
      status: i % 9 === 0 ? 'failure' : 'success',
      started_at: at(finished - 600_000),
      finished_at: at(finished),
    };
  });
}

function incidents(batch: number, resolvedAfterMs: number): object[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const created = START + 3_600_000 + Math.floor(((i + batch * 0.37) / BATCH) * YEAR_MS * 0.95);
    return {
      type: 'incident',
      id: `bench-inc-${batch}-${i}`,
      ...(i % TEAM_EVERY === TEAM_EVERY - 1
        ? { team: `team-${i % TEAMS}` }
        : { repo: `bench/repo-${(i * 7) % REPOS}` }),
      title: `Incident ${batch}-${i}`,
      created_at: at(created),
      resolved_at: at(created + resolvedAfterMs),
      ...(i % STATED_EVERY === 0 ? { deployment_id: `bench-dep-${i}` } : {}),
    };
  });
}

async function phases(url: string): Promise<Map<string, { sum: number; count: number }>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, { sum: number; count: number }>();
  for (const [, phase, sum] of text.matchAll(
    /^lastmile_ingest_phase_seconds_sum\{phase="(\w+)"\} (\S+)$/gm,
  )) {
    const count = new RegExp(
      `^lastmile_ingest_phase_seconds_count\\{phase="${phase}"\\} (\\S+)$`,
      'm',
    );
    out.set(phase, { sum: Number(sum), count: Number(count.exec(text)?.[1] ?? 0) });
  }
  return out;
}

async function main(): Promise<void> {
  const embedded = flag('embedded');
  const server = embedded ? undefined : serverUrl();
  const name = `lastmile_bench_incidents_${Date.now().toString(36)}`;
  if (server) await createDatabase(server, name);
  const api = await startApi(server ? databaseUrl(server, name) : undefined);
  try {
    for (let from = 0; from < DEPLOYMENTS; from += BATCH)
      await postEvents(api, JSON.stringify({ events: deployments(from) }));
    for (let team = 0; team < TEAMS; team += 1) {
      const repos = Array.from({ length: REPOS }, (_, r) => `bench/repo-${r}`).filter(
        (_, r) => r % TEAMS === team,
      );
      const response = await fetch(`${api.url}/api/v1/teams/team-${team}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ repos }),
      });
      if (!response.ok) throw new Error(`PUT team-${team} answered ${response.status}`);
    }
    process.stdout.write(
      `${thousands(DEPLOYMENTS)} deployments in ${REPOS} repositories of ${TEAMS} teams stored; batches of ${thousands(BATCH)} incidents:\n`,
    );
    const plan = [
      ...Array.from({ length: BATCHES }, (_, b) => ({
        label: `new ${b + 1}`,
        body: incidents(b, 7_200_000),
      })),
      { label: 'updates', body: incidents(0, 10_800_000) },
    ];
    for (const { label, body } of plan) {
      const before = await phases(api.url);
      const text = JSON.stringify({ events: body });
      const started = performance.now();
      const result = await postEvents(api, text);
      const seconds = (performance.now() - started) / 1000;
      const after = await phases(api.url);
      const split = [...after]
        .map(
          ([phase, v]) =>
            `${phase} ${((v.sum - (before.get(phase)?.sum ?? 0)) * 1000).toFixed(0)} ms`,
        )
        .join(', ');
      process.stdout.write(
        `  ${label.padEnd(8)} ${seconds.toFixed(2)} s (${thousands(result.inserted)} inserted, ${thousands(result.updated)} updated) — ${split}\n`,
      );
    }
  } finally {
    await api.stop();
    if (server) await dropDatabase(server, name);
  }
}

await main();
