import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makeIncident, makePullRequest } from '../support/factories.js';

// Input PostgreSQL would refuse or change, sent to every route that takes it. Each case must be
// a 400 naming the field (or the route's documented 404), never a 500, and change no row.

interface HostileCase {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: unknown;
  /** Sent as is, for bodies JSON.stringify cannot spell. */
  raw?: { type: string; text: string };
  /** The field the 400 names (details[].path), or 404 for ids documented as "no such row". */
  field: string | 404;
}

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const CJK_1000 = '中'.repeat(1000);
const pr = (overrides: Record<string, unknown>) => ({
  events: [makePullRequest({ id: 'hostile-pr', number: 4242, ...overrides })],
});
const badTimes = [
  ['30 February', '2026-02-30T10:00:00Z'],
  ['29 February of a common year', '2025-02-29T10:00:00Z'],
  ['year 0000', '0000-06-01T10:00:00Z'],
  ['a +25:00 offset', '2026-03-02T10:00:00+25:00'],
  ['a -13:00 offset', '2026-03-02T10:00:00-13:00'],
  ['hour 24', '2026-03-02T24:00:00Z'],
  ['second 60', '2026-03-02T10:00:60Z'],
  ['year 10000', '10000-01-01T00:00:00Z'],
  ['nanoseconds', '2026-03-02T10:00:00.123456789Z'],
  ['no offset', '2026-03-02T10:00:00'],
] as const;

const cases: HostileCase[] = [
  // Strings: NUL and lone surrogates, in values and keys, in every kind of body.
  {
    name: 'NUL in a title',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ title: NUL }),
    field: 'events[0].title',
  },
  {
    name: 'lone surrogate in a repo',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ repo: `acme/${LONE}` }),
    field: 'events[0].repo',
  },
  {
    name: 'NUL in a review author',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ reviews: [{ author: NUL, submitted_at: '2026-03-02T12:00:00Z' }] }),
    field: 'events[0].reviews[0].author',
  },
  {
    name: 'NUL in a key',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [{ ...makeIncident(), [NUL]: 1 }] },
    field: `events[0].${NUL}`,
  },
  {
    name: 'NUL in an NDJSON line',
    method: 'post',
    path: '/api/v1/events',
    raw: { type: 'application/x-ndjson', text: JSON.stringify(makeIncident({ title: NUL })) },
    field: 'line 1.title',
  },
  {
    name: 'NUL in a decision title',
    method: 'post',
    path: '/api/v1/decisions',
    body: {
      title: NUL,
      kind: 'buy',
      effective_at: '2026-03-02T09:00:00Z',
      scope: { repos: ['acme/x'] },
    },
    field: 'title',
  },
  {
    name: 'lone surrogate in a decision vendor',
    method: 'post',
    path: '/api/v1/decisions',
    body: {
      title: 't',
      kind: 'buy',
      vendor: LONE,
      effective_at: '2026-03-02T09:00:00Z',
      scope: { repos: ['acme/x'] },
    },
    field: 'vendor',
  },
  {
    name: 'NUL in a team repo',
    method: 'put',
    path: '/api/v1/teams/platform',
    body: { repos: [`acme/${NUL}`] },
    field: 'repos[0]',
  },
  {
    name: 'NUL in a team name (path)',
    method: 'put',
    path: '/api/v1/teams/a%00b',
    body: { repos: [] },
    field: 'path',
  },
  {
    name: 'NUL in a query parameter',
    method: 'get',
    path: '/api/v1/pull-requests?team=a%00b',
    field: 'team',
  },
  {
    name: 'lone surrogate in a source name',
    method: 'post',
    path: '/api/v1/sources',
    body: { kind: 'mlflow', name: LONE, base_url: 'http://127.0.0.1:1' },
    field: 'name',
  },
  {
    name: 'NUL in a report scope',
    method: 'post',
    path: '/api/v1/reports',
    body: { week: '2026-W09', scope: { team: NUL } },
    field: 'scope.team',
  },
  // Times.
  ...badTimes.map(([what, time]): HostileCase => ({
    name: `a PR created at ${what}`,
    method: 'post',
    path: '/api/v1/events',
    body: pr({ created_at: time }),
    field: 'events[0].created_at',
  })),
  ...badTimes.map(([what, time]): HostileCase => ({
    name: `a decision effective at ${what}`,
    method: 'post',
    path: '/api/v1/decisions',
    body: { title: 't', kind: 'buy', effective_at: time, scope: { repos: ['acme/x'] } },
    field: 'effective_at',
  })),
  {
    name: 'an incident resolved on 31 April',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [makeIncident({ resolved_at: '2026-04-31T00:00:00Z' })] },
    field: 'events[0].resolved_at',
  },
  {
    name: 'a deployment finished in year 0',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [makeDeployment({ finished_at: '0000-01-01T00:00:00Z' })] },
    field: 'events[0].finished_at',
  },
  {
    name: 'metrics from 30 February',
    method: 'get',
    path: '/api/v1/metrics/deployment_frequency?from=2026-02-30',
    field: 'from',
  },
  {
    name: 'pull requests to year 0000',
    method: 'get',
    path: '/api/v1/pull-requests?to=0000-01-01T00:00:00Z',
    field: 'to',
  },
  {
    name: 'decisions from 30 February',
    method: 'get',
    path: '/api/v1/decisions?from=2026-02-30',
    field: 'from',
  },
  // Event types found on Object.prototype.
  ...['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'].map(
    (type): HostileCase => ({
      name: `event type "${type}"`,
      method: 'post',
      path: '/api/v1/events',
      body: { events: [{ type, id: 'x' }] },
      field: 'events[0].type',
    }),
  ),
  // Integers past their columns.
  {
    name: 'a PR number past int4',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ number: 2147483648 }),
    field: 'events[0].number',
  },
  {
    name: 'a PR number past 2^53',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ number: 1e20 }),
    field: 'events[0].number',
  },
  {
    name: 'a shipped PR number past int4',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [makeDeployment({ pull_requests: [2147483648] })] },
    field: 'events[0].pull_requests[0]',
  },
  {
    name: 'a precision past int4',
    method: 'post',
    path: '/api/v1/events',
    body: {
      events: [
        {
          type: 'model_stage',
          id: 's1',
          registry: 'r',
          model: 'm',
          version: '1',
          action: 'promote',
          at: '2026-03-02T10:00:00Z',
          precision_seconds: 2147483648,
        },
      ],
    },
    field: 'events[0].precision_seconds',
  },
  // Ids in paths and queries.
  {
    name: 'a source id past int4',
    method: 'get',
    path: '/api/v1/sources/99999999999',
    field: 'id',
  },
  {
    name: 'a source id past int4 (PATCH)',
    method: 'patch',
    path: '/api/v1/sources/99999999999',
    body: { schedule: '0 * * * *' },
    field: 'id',
  },
  {
    name: 'a source id past int4 (DELETE)',
    method: 'delete',
    path: '/api/v1/sources/99999999999',
    field: 'id',
  },
  {
    name: 'a source id past int4 (sync)',
    method: 'post',
    path: '/api/v1/sources/99999999999/sync',
    field: 'id',
  },
  {
    name: 'a source id that is not a number',
    method: 'get',
    path: '/api/v1/sources/1e3',
    field: 'id',
  },
  {
    name: 'a sync run id past int8',
    method: 'get',
    path: '/api/v1/sync-runs/99999999999999999999',
    field: 'id',
  },
  {
    name: 'a sync-runs source_id past int4',
    method: 'get',
    path: '/api/v1/sync-runs?source_id=99999999999',
    field: 'source_id',
  },
  {
    name: 'a sync-runs limit in exponent form',
    method: 'get',
    path: '/api/v1/sync-runs?limit=1e2',
    field: 'limit',
  },
  {
    name: 'an offset of 2^53 - 1',
    method: 'get',
    path: '/api/v1/pull-requests?offset=9007199254740991',
    field: 'offset',
  },
  {
    name: 'a deployments offset of 2^53 - 1',
    method: 'get',
    path: '/api/v1/deployments?offset=9007199254740991',
    field: 'offset',
  },
  {
    name: 'a decision id past int8',
    method: 'get',
    path: '/api/v1/decisions/99999999999999999999',
    field: 404,
  },
  {
    name: 'a report id past int8',
    method: 'get',
    path: '/api/v1/reports/99999999999999999999',
    field: 404,
  },
  // Strings too long for their index.
  {
    name: '1,000 CJK characters in an event id',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ id: CJK_1000.slice(0, 400) }),
    field: 'events[0].id',
  },
  {
    name: '1,000 CJK characters in an incident team',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [makeIncident({ team: CJK_1000 })] },
    field: 'events[0].team',
  },
  {
    name: '1,000 CJK characters in an environment',
    method: 'post',
    path: '/api/v1/events',
    body: { events: [makeDeployment({ environment: CJK_1000 })] },
    field: 'events[0].environment',
  },
  {
    name: 'a 1,000 CJK model name',
    method: 'post',
    path: '/api/v1/events',
    body: {
      events: [
        {
          type: 'model_version',
          id: 'mv',
          registry: 'r',
          model: CJK_1000,
          version: '1',
          created_at: '2026-03-02T10:00:00Z',
        },
      ],
    },
    field: 'events[0].model',
  },
  {
    name: 'a 3,000 character repo',
    method: 'post',
    path: '/api/v1/events',
    body: pr({ repo: `acme/${'r'.repeat(3000)}` }),
    field: 'events[0].repo',
  },
  {
    name: 'a 1,000 CJK team name',
    method: 'put',
    path: `/api/v1/teams/${encodeURIComponent(CJK_1000)}`,
    body: { repos: [] },
    field: 'name',
  },
  {
    name: 'a 3,000 character team name',
    method: 'put',
    path: `/api/v1/teams/${'t'.repeat(3000)}`,
    body: { repos: [] },
    field: 'name',
  },
  {
    name: 'a 1,000 CJK model in a team',
    method: 'put',
    path: '/api/v1/teams/platform',
    body: { models: [{ registry: 'r', model: CJK_1000 }] },
    field: 'models[0].model',
  },
  {
    name: 'a 3,000 character report team',
    method: 'post',
    path: '/api/v1/reports',
    body: { week: '2026-W09', scope: { team: 't'.repeat(3000) } },
    field: 'scope.team',
  },
];

describe('hostile input', () => {
  let t: TestApp;
  let tables: string[];

  beforeAll(async () => {
    t = await createTestApp();
    // Rows for the routes to change, so "no row changed" means something.
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({
        events: [
          makePullRequest({ id: 'hostile-pr', number: 4242 }),
          makeIncident(),
          makeDeployment(),
        ],
      })
      .expect(200);
    await request(t.http)
      .put('/api/v1/teams/platform')
      .set(admin)
      .send({ repos: ['acme/serving'] })
      .expect(200);
    const rows: { table_name: string }[] = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    tables = rows.map((row) => row.table_name);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every table's rows, hashed: equal before and after means no row changed. */
  async function fingerprint(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${table}" x`,
      );
      out[table] = `${row.n}:${row.h}`;
    }
    return out;
  }

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, hostile) => {
    const before = await fingerprint();
    let call = request(t.http)[hostile.method](hostile.path).set(admin);
    if (hostile.raw) call = call.set('content-type', hostile.raw.type).send(hostile.raw.text);
    else if (hostile.body !== undefined) call = call.send(hostile.body as object);
    const response = await call;
    expect(response.status).not.toBe(500);
    if (hostile.field === 404) {
      expect(response.status).toBe(404);
    } else {
      expect({ status: response.status, error: response.body.error }).toEqual({
        status: 400,
        error: 'validation_failed',
      });
      const fields = (response.body.details as { path: string }[]).map((d) => d.path);
      expect(fields).toContain(hostile.field);
    }
    expect(await fingerprint()).toEqual(before);
  });
});
