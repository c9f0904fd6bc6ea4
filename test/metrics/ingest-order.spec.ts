import request from 'supertest';
import { METRIC_NAMES } from '../../api/src/metrics/metric.types.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { getJson, ingest } from './support/metrics-client.js';

// The same events, in one batch or in many batches of shuffled order, give identical API output:
// linking is derived from the rows, not from the order they came in.

/** mulberry32: a small seeded PRNG, so every run shuffles the same way. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(BASE + Math.round(hours) * HOUR).toISOString();

function dataset(): Record<string, unknown>[] {
  const random = prng(42);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const events: Record<string, unknown>[] = [];
  for (const repo of ['order/a', 'order/b', 'order/c']) {
    for (let n = 1; n <= 14; n++) {
      const opened = random() * 600;
      const merged = random() < 0.85 ? opened + 1 + random() * 100 : null;
      events.push({
        type: 'pull_request',
        id: `${repo}#${n}`,
        repo,
        number: n,
        author: pick(['alice', 'bob', 'dependabot[bot]', 'carol']),
        created_at: at(opened),
        merged_at: merged === null ? null : at(merged),
        merge_commit_sha: `${repo.slice(-1)}${String(n).padStart(6, '0')}`,
        commits: [{ sha: `c${repo.slice(-1)}${n}00`, authored_at: at(opened - random() * 48) }],
        reviews: [
          {
            author: pick(['alice', 'bob', 'renovate[bot]']),
            submitted_at: at(opened + random() * 30 - 5),
          },
          {
            author: 'dave',
            submitted_at: at(opened + random() * 40),
            state: pick(['APPROVED', 'PENDING', 'COMMENTED']),
          },
        ],
      });
    }
  }
  for (const repo of ['order/a', 'order/b']) {
    for (let n = 1; n <= 10; n++) {
      const started = n * 70 + random() * 20;
      events.push({
        type: 'deployment',
        id: `${repo}-deploy-${n}`,
        repo,
        environment: random() < 0.2 ? 'staging' : 'production',
        sha: `d${repo.slice(-1)}${String(n).padStart(5, '0')}`,
        status: random() < 0.25 ? 'failure' : 'success',
        started_at: at(started),
        finished_at: at(started + 1 + random() * 3),
        ...(n === 7 ? { fixes: `${repo}-deploy-6` } : {}),
      });
    }
  }
  // A service shipping order/c by commit.
  for (let n = 1; n <= 6; n++) {
    events.push({
      type: 'deployment',
      id: `svc-deploy-${n}`,
      service: 'order-svc',
      environment: 'prod',
      sha: `s${String(n).padStart(6, '0')}`,
      status: 'success',
      started_at: at(n * 110),
      finished_at: at(n * 110 + 2),
      commits: [1, 2].map((k) => `c${String((n - 1) * 2 + k).padStart(6, '0')}`),
    });
  }
  for (let n = 1; n <= 8; n++) {
    const created = random() * 750;
    events.push({
      type: 'incident',
      id: `incident-${n}`,
      ...(n % 3 === 0
        ? { team: 'order-team' }
        : pick([{ repo: 'order/a' }, { repo: 'order/b' }, { service: 'order-svc' }])),
      ...(n === 8 ? { deployment_id: 'order/a-deploy-3' } : {}),
      created_at: at(created),
      resolved_at: random() < 0.8 ? at(created + random() * 30) : null,
    });
  }
  for (const model of ['churn', 'ranker']) {
    for (let v = 1; v <= 4; v++) {
      const created = v * 150 + random() * 20;
      events.push({
        type: 'model_version',
        id: `${model}-v${v}`,
        registry: 'mlflow-prod',
        model,
        version: String(v),
        created_at: at(created),
        run_started_at: at(created - 5),
      });
      events.push({
        type: 'model_stage',
        id: `${model}-v${v}-in`,
        registry: 'mlflow-prod',
        model,
        version: String(v),
        action: 'promote',
        at: at(created + 10 + random() * 30),
      });
      if (v < 4) {
        events.push({
          type: 'model_stage',
          id: `${model}-v${v}-out`,
          registry: 'mlflow-prod',
          model,
          version: String(v),
          action: 'demote',
          at: at(created + 170),
        });
      }
    }
  }
  return events;
}

function shuffledBatches(
  events: Record<string, unknown>[],
  seed: number,
): Record<string, unknown>[][] {
  const random = prng(seed);
  const order = [...events];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < order.length;) {
    const size = 1 + Math.floor(random() * 12);
    batches.push(order.slice(i, i + size));
    i += size;
  }
  return batches;
}

/** Everything the API says about the data: every metric (org, team, day/tz) and every list. */
async function snapshot(t: TestApp): Promise<unknown> {
  const range = { from: '2026-02-23', to: '2026-04-06' };
  const out: Record<string, unknown> = {};
  for (const metric of METRIC_NAMES) {
    out[metric] = await getJson(t, `/api/v1/metrics/${metric}`, range);
    out[`${metric}:team`] = await getJson(t, `/api/v1/metrics/${metric}`, {
      ...range,
      team: 'order-team',
    });
    out[`${metric}:day`] = await getJson(t, `/api/v1/metrics/${metric}`, {
      ...range,
      granularity: 'day',
      tz: 'Asia/Kolkata',
    });
  }
  for (const list of ['pull-requests', 'deployments', 'model-promotions']) {
    out[list] = await getJson(t, `/api/v1/${list}`, { ...range, limit: '10000' });
    out[`${list}:staging`] = await getJson(t, `/api/v1/${list}`, {
      ...range,
      limit: '10000',
      environment: 'staging',
    });
  }
  return out;
}

async function loaded(batches: Record<string, unknown>[][]): Promise<unknown> {
  const t = await createTestApp();
  try {
    await request(t.http)
      .put('/api/v1/teams/order-team')
      .set(admin)
      .send({ repos: ['order/a', 'order/b'] })
      .expect(200);
    for (const batch of batches) await ingest(t, batch);
    return await snapshot(t);
  } finally {
    await t.close();
  }
}

describe('ingestion order does not change the answers', () => {
  const events = dataset();
  let reference: unknown;
  beforeAll(async () => {
    reference = await loaded([events]);
  });

  it('the reference data links PRs, incidents and models (so the comparison means something)', () => {
    const ref = reference as Record<string, { summary: Record<string, number>; items: unknown[] }>;
    expect(ref.lead_time_for_changes.summary.count).toBeGreaterThan(5);
    expect(ref.change_failure_rate.summary.failures).toBeGreaterThan(0);
    expect(ref.model_iteration_time.summary.count).toBeGreaterThan(2);
    expect(
      ref['pull-requests'].items.some(
        (row) => (row as { deployment_source: string | null }).deployment_source !== null,
      ),
    ).toBe(true);
  });

  it.each([7, 1234, 99_999])(
    'shuffled (seed %i) into many batches: identical output',
    async (seed) => {
      expect(await loaded(shuffledBatches(events, seed))).toEqual(reference);
    },
  );

  it('earlier versions of the events, replaced later, leave no trace', async () => {
    // Times moved by up to two days, statuses flipped, shipped lists and fixes dropped; then the
    // final versions arrive, shuffled too.
    const random = prng(5);
    const shift = (time: unknown) =>
      typeof time === 'string'
        ? new Date(Date.parse(time) + (random() - 0.5) * 96 * HOUR).toISOString()
        : time;
    const earlier = events.map((event) => ({
      ...event,
      ...(event.type === 'pull_request'
        ? { merged_at: shift(event.merged_at), merge_commit_sha: 'e0e0e0e0' }
        : {}),
      ...(event.type === 'deployment'
        ? {
            started_at: shift(event.started_at),
            finished_at: shift(event.finished_at),
            status: event.status === 'success' ? 'failure' : 'success',
            commits: [],
            fixes: null,
          }
        : {}),
      ...(event.type === 'incident'
        ? { created_at: shift(event.created_at), deployment_id: null }
        : {}),
      ...(event.type === 'model_stage' ? { at: shift(event.at) } : {}),
    }));
    const batches = [...shuffledBatches(earlier, 11), ...shuffledBatches(events, 12)];
    expect(await loaded(batches)).toEqual(reference);
  });
});
