import { request as httpRequest } from 'node:http';
import {
  ADMIN_TOKEN,
  createDatabase,
  databaseUrl,
  dropDatabase,
  option,
  serverUrl,
  startApi,
} from './bench-support.js';

// `npm run bench:webhook-gate [-- --deliveries N]`: what strangers' webhook deliveries cost the
// API's memory. N deliveries of 2 MB with a wrong signature are sent at once, first whole, then
// each stopping halfway and holding its connection open (the slow sender). Prints the API's
// resident memory before and at its peak; a figure, not an assertion.
// Target (issue 25): no unauthenticated request can make the server buffer more than a few KB.

const DELIVERIES = option('deliveries', 48);
const SECRET = 'bench-webhook-secret-0123456789';
const SIZE = 2 * 1024 * 1024 - 100;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function deliver(url: URL, body: string, whole: boolean) {
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    path: '/api/v1/webhooks/github',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-github-event': 'ping',
      'x-github-delivery': `bench-${Math.random()}`,
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    },
  });
  const status = new Promise<number>((done) => {
    req.on('response', (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', () => done(0));
  });
  if (whole) req.end(body);
  else req.write(body.slice(0, body.length / 2));
  return { req, status };
}

async function main(): Promise<void> {
  const server = serverUrl();
  const name = `lastmile_bench_gate_${Date.now().toString(36)}`;
  await createDatabase(server, name);
  process.env.GITHUB_HOOK_SECRET = SECRET;
  process.env.GITHUB_TOKEN ??= 'unused';
  const api = await startApi(databaseUrl(server, name));
  try {
    const created = await fetch(`${api.url}/api/v1/sources`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        kind: 'github',
        name: 'bench-hooks',
        token_env: 'GITHUB_TOKEN',
        repos: ['bench/repo'],
        webhook_secret_env: 'GITHUB_HOOK_SECRET',
      }),
    });
    if (!created.ok) throw new Error(`POST /api/v1/sources answered ${created.status}`);
    const body = `{"pad":"${'x'.repeat(SIZE - 10)}"}`;
    const url = new URL(api.url);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = api.rss.sample();
    api.rss.peakBytes = idle;
    process.stdout.write(
      `${DELIVERIES} badly signed deliveries of ${mib(SIZE)} (${mib(DELIVERIES * SIZE)} in all); API resident memory idle ${mib(idle)}\n`,
    );
    let started = performance.now();
    const whole = await Promise.all(
      Array.from({ length: DELIVERIES }, () => deliver(url, body, true).status),
    );
    const seconds = (performance.now() - started) / 1000;
    const counts = whole.reduce<Record<number, number>>(
      (c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }),
      {},
    );
    process.stdout.write(
      `  sent whole:     answers ${JSON.stringify(counts)} in ${seconds.toFixed(2)} s; peak ${mib(api.rss.peakBytes)} (+${mib(api.rss.peakBytes - idle)})\n`,
    );
    const before = api.rss.sample();
    api.rss.peakBytes = before;
    started = performance.now();
    const held = Array.from({ length: DELIVERIES }, () => deliver(url, body, false));
    await new Promise((r) => setTimeout(r, 3000));
    process.stdout.write(
      `  held halfway:   ${DELIVERIES} connections open for 3 s; peak ${mib(api.rss.peakBytes)} (+${mib(api.rss.peakBytes - before)})\n`,
    );
    for (const { req } of held) req.destroy();
    const health = await fetch(`${api.url}/api/health`);
    process.stdout.write(`  afterwards:     /api/health answers ${health.status}\n`);
  } finally {
    await api.stop();
    await dropDatabase(server, name);
  }
}

await main();
