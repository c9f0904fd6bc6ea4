import type { LastmileEvent } from '@lastmile/collectors';
import { demoEvents, emptyCounts, inBatches } from '../../api/src/demo/demo-generator.js';
import { BENCH_SIZE, buildOrganisation } from '../../api/src/demo/demo-organisation.js';
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  flag,
  machineYardstick,
  mb,
  migrateDatabase,
  option,
  postEvents,
  type RunningApi,
  serverUrl,
  startApi,
  thousands,
} from './bench-support.js';
import { copyBaseline } from './copy-baseline.js';
import { INGEST_PHASES } from '../../api/src/ingest/ingest.service.js';

// `npm run bench:ingest [-- --events N] [--batch N] [--keep]`: N events (default 1,000,000) of the
// benchmark organisation's mix through POST /api/v1/events in batches of 10,000, against a fresh
// database on TEST_DATABASE_URL (or DATABASE_URL); the API's peak memory; then the same rows by
// COPY into another fresh database, and the ratio of the two rates.
// Targets (issue 2): >= 20,000 events/s, API memory < 300 MB, ratio >= 0.3.

const EVENTS = option('events', 1_000_000);
const BATCH = option('batch', 10_000);
/** Requests in flight at once: a client posts its next batch while the API writes the last. */
const IN_FLIGHT = option('in-flight', 1);
/** Events per pull request in the benchmark organisation (deployments, incidents, models). */
const EVENTS_PER_PR = 1.39;

function events(): Iterable<LastmileEvent> {
  const share = (EVENTS / EVENTS_PER_PR / BENCH_SIZE.pullRequests) * 1.05;
  const org = buildOrganisation({
    seed: 2026,
    now: new Date('2026-11-23T00:00:00Z'),
    ...BENCH_SIZE,
    pullRequests: Math.ceil(BENCH_SIZE.pullRequests * share),
    deployments: Math.ceil(BENCH_SIZE.deployments * share),
    incidents: Math.ceil(BENCH_SIZE.incidents * share),
    modelVersions: Math.ceil(BENCH_SIZE.modelVersions * share),
  });
  return demoEvents(org);
}

/**
 * Where a batch's time went, from the API's own lastmile_ingest_phase_seconds; the rest of what a
 * client waited is sending and parsing the body, admission and the answer.
 */
async function phasesPerBatch(api: RunningApi, waitedMs: number): Promise<string> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const ms = new Map<string, number>();
  for (const [, phase, sum] of text.matchAll(
    /^lastmile_ingest_phase_seconds_sum\{phase="(\w+)"\} (\S+)$/gm,
  )) {
    const count = new RegExp(
      `^lastmile_ingest_phase_seconds_count\\{phase="${phase}"\\} (\\S+)$`,
      'm',
    );
    ms.set(phase, (Number(sum) / Number(text.match(count)?.[1])) * 1000);
  }
  const rest = waitedMs - INGEST_PHASES.reduce((total, phase) => total + (ms.get(phase) ?? 0), 0);
  const parts = INGEST_PHASES.map((phase) => `${phase} ${thousands(ms.get(phase) ?? 0)}`);
  return `${thousands(waitedMs)} ms waited: ${parts.join(', ')}, the rest (body, admission, answer) ${thousands(rest)}`;
}

async function main(): Promise<void> {
  const server = serverUrl();
  const apiDb = `lastmile_bench_ingest_${process.pid}`;
  const copyDb = `lastmile_bench_copy_${process.pid}`;
  await createDatabase(server, apiDb);
  const api = await startApi(databaseUrl(server, apiDb));
  const counts = emptyCounts();
  let sent = 0;
  let requests = 0;
  let seconds: number;
  try {
    const idleRss = api.rss.sample();
    // Every request body is made before the clock starts, as the COPY files are: on two cores a
    // client generating the next batch took CPU from the API and the database it is measuring.
    const bodies: { size: number; body: string }[] = [];
    for (const batch of inBatches(events(), BATCH, EVENTS)) {
      for (const event of batch) counts[event.type] += 1;
      bodies.push({ size: batch.length, body: JSON.stringify({ events: batch }) });
    }
    const started = process.hrtime.bigint();
    // IN_FLIGHT clients, each posting its next batch when the last one is answered.
    let next = 0;
    let waited = 0;
    const client = async () => {
      while (next < bodies.length) {
        const current = bodies[next];
        next += 1;
        const posted = performance.now();
        const result = await postEvents(api, current.body);
        waited += performance.now() - posted;
        if (result.inserted !== current.size)
          throw new Error(`expected ${current.size} inserted, got ${JSON.stringify(result)}`);
        sent += current.size;
        requests += 1;
        if (process.stdout.isTTY) process.stdout.write(`\r  ${thousands(sent)} events`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (process.stdout.isTTY) process.stdout.write('\r');
    const rate = sent / seconds;
    const peak = Math.max(api.rss.peakBytes, api.rss.kernelPeakBytes());
    const mix = Object.entries(counts)
      .map(([type, n]) => `${type} ${thousands(n)}`)
      .join(', ');
    console.log(
      `Ingest through POST /api/v1/events: ${thousands(sent)} events in ${requests} batches of up to ${thousands(BATCH)}, ${IN_FLIGHT} in flight`,
    );
    console.log(`  mix        ${mix}`);
    console.log(
      `  API        ${seconds.toFixed(1)} s, ${thousands(rate)} events/s (target >= 20,000)`,
    );
    console.log(
      `  API memory peak RSS ${mb(peak)} (sampled every 100 ms: ${mb(api.rss.peakBytes)}; idle ${mb(idleRss)}) (target < 300 MB)`,
    );
    console.log(`  per batch  ${await phasesPerBatch(api, waited / requests)}`);
    await api.stop();
    api.rss.stop();

    await createDatabase(server, copyDb);
    await migrateDatabase(databaseUrl(server, copyDb));
    const copy = copyBaseline(
      (function* () {
        for (const batch of inBatches(events(), BATCH, EVENTS)) yield* batch;
      })(),
      databaseUrl(server, copyDb),
    );
    const copyRate = sent / copy.seconds;
    console.log(
      `  COPY       ${copy.seconds.toFixed(1)} s, ${thousands(copyRate)} events/s (${thousands(copy.rows)} rows into the same tables by psql \\copy)`,
    );
    console.log(`  ratio      ${(rate / copyRate).toFixed(2)} of the COPY rate (target >= 0.3)`);
    console.log(`  ${await machineYardstick(server)}`);
  } finally {
    await api.stop();
    if (!flag('keep')) {
      await dropDatabase(server, apiDb);
      await dropDatabase(server, copyDb);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
