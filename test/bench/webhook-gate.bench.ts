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
// API's memory. N deliveries of 2 MB with a wrong signature: first each stopping halfway and
// holding its connection open (the slow sender: what the server holds), then all sent whole at
// once (what passes through it). Beside them, the same posts to a tokened route, refused unread.
// Prints the API's resident memory at rest and at its peak in each; a figure, not an assertion.
// Target (issue 25): no unauthenticated request can make the server buffer more than a few KB.

const DELIVERIES = option('deliveries', 48);
const SECRET = 'bench-webhook-secret-0123456789';
const SIZE = 2 * 1024 * 1024 - 100;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function deliver(url: URL, body: string, whole: boolean, path = '/api/v1/webhooks/github') {
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    path,
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

/** A fresh API (so one phase's garbage is not the next one's figure) with a GitHub source. */
async function phase(
  server: string,
  label: string,
  work: (url: URL, body: string) => Promise<string>,
): Promise<void> {
  const name = `lastmile_bench_gate_${Date.now().toString(36)}`;
  await createDatabase(server, name);
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
    await new Promise((r) => setTimeout(r, 1000));
    const idle = api.rss.sample();
    api.rss.peakBytes = idle;
    const result = await work(new URL(api.url), body);
    const health = (await fetch(`${api.url}/api/health`)).status;
    process.stdout.write(
      `  ${label.padEnd(15)} ${result}; resident memory idle ${mib(idle)}, peak +${mib(api.rss.peakBytes - idle)}; /api/health then ${health}\n`,
    );
  } finally {
    await api.stop();
    await dropDatabase(server, name);
  }
}

async function main(): Promise<void> {
  const server = serverUrl();
  process.env.GITHUB_HOOK_SECRET = SECRET;
  process.env.GITHUB_TOKEN ??= 'unused';
  process.stdout.write(
    `${DELIVERIES} deliveries of ${mib(SIZE)} at once (${mib(DELIVERIES * SIZE)} in all), each phase on a fresh API:\n`,
  );
  const tally = (statuses: number[]) =>
    JSON.stringify(
      statuses.reduce<Record<number, number>>((c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }), {}),
    );
  // For comparison: a tokened route refuses the same posts unread; what remains is what answering
  // that many connections costs.
  await phase(server, 'refused unread', async (url, body) => {
    const statuses = await Promise.all(
      Array.from(
        { length: DELIVERIES },
        () => deliver(url, body, true, '/api/v1/decisions').status,
      ),
    );
    return `POST /api/v1/decisions without a token: ${tally(statuses)}`;
  });
  await phase(server, 'held halfway', async (url, body) => {
    const held = Array.from({ length: DELIVERIES }, () => deliver(url, body, false));
    await new Promise((r) => setTimeout(r, 3000));
    for (const { req } of held) req.destroy();
    return 'badly signed, half of each sent and held open 3 s';
  });
  await phase(server, 'sent whole', async (url, body) => {
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: DELIVERIES }, () => deliver(url, body, true).status),
    );
    return `badly signed: ${tally(statuses)} in ${((performance.now() - started) / 1000).toFixed(2)} s`;
  });
}

await main();
