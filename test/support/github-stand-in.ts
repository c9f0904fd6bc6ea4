import { createHash, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commitChain, GithubGraphql } from './github-graphql-stand-in.js';
import { type Json, recordedRepos, type RepoState } from './github-recordings.js';

export {
  CONFORMANCE_DIR,
  emptyRepo,
  recordedRepos,
  restDeployment,
  type RepoState,
} from './github-recordings.js';

// A local stand-in for GitHub's REST API on 127.0.0.1: the recorded panjf2000/ants payloads (and
// facebook/OpenBIC's deployments) served at their URLs, with Link pagination, ETags (a 304 is not
// counted against the rate limit, as on GitHub), rate-limit headers, and faults on request. It
// counts every request, so tests and the benchmark measure what a sync costs. GraphQL queries
// (POST /graphql, /api/graphql on Enterprise Server) run against GitHub's schema over the same data
// (github-graphql-stand-in.ts); they are recorded as `/graphql#<operation name>`.

/** A fault answers `times` requests matching `match`, after letting `skip` of them through. */
export type Fault = (
  | { kind: 'status'; status: number; match: RegExp; times: number }
  | { kind: 'secondary'; retryAfter: number; match: RegExp; times: number }
  /** The primary limit spent: 403 with x-ratelimit-remaining 0 until `resetInSeconds`. */
  | { kind: 'exhausted'; resetInSeconds: number; match: RegExp; times: number }
  | { kind: 'drop'; match: RegExp; times: number }
  /** Holds the request until `release` settles; `onHold` tells the test it arrived. */
  | { kind: 'hold'; match: RegExp; times: number; onHold: () => void; release: Promise<void> }
) & { skip?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

const time = (value: string | null | undefined) => (value ? Date.parse(value) : 0);

function sortBy(items: Json[], field: string, direction: string): Json[] {
  const sorted = [...items].sort(
    (a, b) => time(a[field]) - time(b[field]) || (a.id ?? a.number) - (b.id ?? b.number),
  );
  return direction === 'asc' ? sorted : sorted.reverse();
}

export class GithubStandIn {
  repos: Map<string, RepoState>;
  orgs = new Map<string, string[]>();
  token = 'stand-in-token';
  /** A GitHub App's id and public key: installation tokens go to JWTs it signed. */
  app: { id: string; publicKey: string } | undefined;
  faults: Fault[] = [];
  requests: RecordedRequest[] = [];
  /** GitHub caps per_page at 100; a smaller cap here makes short lists paginate. */
  maxPerPage = 100;
  graphql = new GithubGraphql(() => this.repos);
  /**
   * GitHub's secondary limit on GraphQL points (2,000 a minute); a query beyond it is refused with
   * a 403 and Retry-After, as GitHub does. Tests shrink the window to see pacing within seconds.
   */
  graphqlSecondary = { points: 2000, windowMs: 60_000 };
  private graphqlSpent: { at: number; cost: number }[] = [];
  url = '';
  private server: Server | undefined;
  private remaining = 5000;

  constructor(repos: Map<string, RepoState> = recordedRepos()) {
    this.repos = repos;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => this.server?.close(() => done()) ?? done());
  }

  repo(name: string): RepoState {
    const repo = this.repos.get(name);
    if (!repo) throw new Error(`stand-in has no repository ${name}`);
    return repo;
  }

  /** Requests counted since the last reset, and how many of them were answered 304. */
  count(filter?: RegExp): { total: number; notModified: number } {
    const hits = this.requests.filter((r) => !filter || filter.test(r.path));
    return { total: hits.length, notModified: hits.filter((r) => r.status === 304).length };
  }

  resetCount(): void {
    this.requests = [];
    this.graphql.queries = [];
  }

  /** GraphQL points charged since the last reset. */
  points(): number {
    return this.graphql.queries.reduce((sum, q) => sum + q.cost, 0);
  }

  private handle(req: IncomingMessage, res: ServerResponse, requestBody?: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const isGraphql = req.method === 'POST' && /^(\/api)?\/graphql$/.test(url.pathname);
    if (isGraphql && requestBody === undefined) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString()));
      return;
    }
    let parsed: { query?: string; variables?: Record<string, unknown>; operationName?: string } =
      {};
    if (isGraphql) {
      try {
        parsed = JSON.parse(requestBody!);
      } catch {
        parsed = {};
      }
    }
    const target = isGraphql
      ? `${url.pathname}#${parsed.query?.match(/^\s*query\s+(\w+)/)?.[1] ?? ''}`
      : url.pathname + url.search;
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? 'GET', path: target, status });
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(target));
    if (fault && (fault.skip ?? 0) > 0) fault.skip!--;
    else if (fault) {
      fault.times--;
      if (fault.kind === 'hold') {
        fault.onHold();
        void fault.release.then(() => this.handle(req, res, requestBody));
        return;
      }
      if (fault.kind === 'drop') {
        record(200);
        const body = JSON.stringify(this.route(url, req)?.body ?? []);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        // Half the promised body, then the connection drops.
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setImmediate(() => res.socket?.destroy());
        return;
      }
      if (fault.kind === 'exhausted') {
        record(403);
        res.writeHead(403, {
          'content-type': 'application/json; charset=utf-8',
          ...this.rateHeaders(false),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + fault.resetInSeconds),
        });
        return void res.end(
          JSON.stringify({ message: 'API rate limit exceeded for installation.' }),
        );
      }
      if (fault.kind === 'secondary') {
        record(403);
        return this.send(
          res,
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
          {
            'retry-after': String(fault.retryAfter),
          },
        );
      }
      record(fault.status);
      return this.send(res, fault.status, {
        message: fault.status === 401 ? 'Bad credentials' : 'Server Error',
      });
    }
    const auth = req.headers.authorization ?? '';
    const isAppRoute = url.pathname.startsWith('/app/') || url.pathname.endsWith('/installation');
    if (!isAppRoute && auth.replace(/^(token|bearer)\s+/i, '') !== this.token) {
      record(401);
      return this.send(res, 401, { message: 'Bad credentials' });
    }
    if (isGraphql) return this.answerGraphql(res, parsed, record);
    const routed = this.route(url, req);
    if (!routed) {
      record(404);
      return this.send(res, 404, { message: 'Not Found' });
    }
    let body: unknown = routed.body;
    const headers: Record<string, string> = {};
    if (Array.isArray(routed.list) || routed.list) {
      const all = routed.list as Json[];
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.maxPerPage);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) => {
        const target = new URL(url);
        target.searchParams.set('page', String(p));
        return `<${target.toString()}>; rel="${rel}"`;
      };
      const links = [];
      if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
      if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
      if (links.length > 0) headers.link = links.join(', ');
      body = routed.wrap ? routed.wrap(slice, all.length) : slice;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      record(304);
      res.writeHead(304, { etag, ...this.rateHeaders(false) });
      return void res.end();
    }
    record(200);
    if (typeof body === 'string') {
      res.writeHead(200, {
        'content-type': 'application/vnd.github.sha; charset=utf-8',
        etag,
        ...this.rateHeaders(true),
      });
      return void res.end(body);
    }
    this.send(res, 200, body, { etag, ...headers });
  }

  private answerGraphql(
    res: ServerResponse,
    request: { query?: string; variables?: Record<string, unknown>; operationName?: string },
    record: (status: number) => void,
  ): void {
    const now = Date.now();
    this.graphqlSpent = this.graphqlSpent.filter(
      (s) => s.at > now - this.graphqlSecondary.windowMs,
    );
    const spent = this.graphqlSpent.reduce((sum, s) => sum + s.cost, 0);
    if (spent >= this.graphqlSecondary.points) {
      record(403);
      return this.send(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
        { 'retry-after': String(Math.ceil(this.graphqlSecondary.windowMs / 1000)) },
      );
    }
    let outcome;
    try {
      outcome = this.graphql.run(request);
    } catch (error) {
      record(500);
      return this.send(res, 500, { message: (error as Error).message });
    }
    this.graphqlSpent.push({ at: now, cost: outcome.cost });
    record(200);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.graphql.points.remaining),
      'x-ratelimit-used': String(this.graphql.points.used),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'graphql',
    });
    res.end(JSON.stringify(outcome.body));
  }

  private rateHeaders(counted: boolean): Record<string, string> {
    if (counted) this.remaining = Math.max(0, this.remaining - 1);
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(5000 - this.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    };
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...this.rateHeaders(status !== 304),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private route(
    url: URL,
    req: IncomingMessage,
  ):
    | { body?: unknown; list?: Json[]; wrap?: (items: Json[], total: number) => unknown }
    | undefined {
    const q = url.searchParams;
    // GitHub Enterprise Server serves the same API under /api/v3.
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v3(?=\/)/, '');
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && (m = path.match(/^\/app\/installations\/(\d+)\/access_tokens$/))) {
      return this.validAppJwt(req.headers.authorization)
        ? { body: { token: this.token, expires_at: '2099-01-01T00:00:00Z' } }
        : undefined;
    }
    if ((m = path.match(/^\/orgs\/([^/]+)\/repos$/))) {
      const names = this.orgs.get(m[1]!);
      return names
        ? { list: names.map((full) => ({ full_name: full, name: full.split('/')[1] })) }
        : undefined;
    }
    if (!(m = path.match(/^\/repos\/([^/]+\/[^/]+)(\/.*)?$/))) return undefined;
    const repo = this.repos.get(m[1]!);
    if (!repo) return undefined;
    const rest = m[2] ?? '';
    const since = q.get('since');
    const sinceFilter = (items: Json[]) =>
      since ? items.filter((c) => time(c.updated_at) >= Date.parse(since)) : items;
    // GET /repos/{owner}/{repo}: the repository itself (the fields a check reads).
    if (rest === '')
      return {
        body: {
          id: 1,
          name: m[1]!.split('/')[1],
          full_name: m[1],
          private: false,
          default_branch: 'main',
        },
      };
    if (rest === '/installation')
      return this.validAppJwt(req.headers.authorization) ? { body: { id: 1 } } : undefined;
    if (rest === '/pulls') {
      const state = q.get('state') ?? 'open';
      const pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
      return {
        list: sortBy(pulls, `${q.get('sort') ?? 'created'}_at`, q.get('direction') ?? 'desc'),
      };
    }
    if ((m = rest.match(/^\/pulls\/(\d+)\/(commits|reviews)$/))) {
      return { list: (m[2] === 'commits' ? repo.commits : repo.reviews).get(Number(m[1])) ?? [] };
    }
    if (rest === '/issues/comments' || rest === '/pulls/comments') {
      const comments = rest === '/issues/comments' ? repo.issueComments : repo.reviewComments;
      return {
        list: sortBy(
          sinceFilter(comments),
          `${q.get('sort') ?? 'created'}_at`,
          q.get('direction') ?? 'asc',
        ),
      };
    }
    if (rest === '/issues') {
      const labels = q.get('labels')?.split(',') ?? [];
      const state = q.get('state') ?? 'open';
      const issues = sinceFilter(repo.issues)
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => (i.labels ?? []).some((x: Json) => x.name === l)));
      return {
        list: sortBy(issues, `${q.get('sort') ?? 'created'}_at`, q.get('direction') ?? 'desc'),
      };
    }
    if (rest === '/deployments') return { list: sortBy(repo.deployments, 'created_at', 'desc') };
    if ((m = rest.match(/^\/deployments\/(\d+)$/)))
      return this.item(repo.deployments.find((d) => d.id === Number(m![1])));
    if ((m = rest.match(/^\/deployments\/(\d+)\/statuses$/))) {
      return { list: sortBy(repo.statuses.get(Number(m[1])) ?? [], 'created_at', 'desc') };
    }
    if (rest === '/actions/runs') {
      return {
        list: sortBy(repo.runs, 'created_at', 'desc'),
        wrap: (items, total) => ({ total_count: total, workflow_runs: items }),
      };
    }
    if ((m = rest.match(/^\/actions\/runs\/(\d+)$/)))
      return this.item(repo.runs.find((r) => r.id === Number(m![1])));
    if (rest === '/releases') return { list: sortBy(repo.releases, 'created_at', 'desc') };
    if ((m = rest.match(/^\/releases\/(\d+)$/)))
      return this.item(repo.releases.find((r) => r.id === Number(m![1])));
    if ((m = rest.match(/^\/commits\/(.+)$/))) {
      const release = repo.releases.find((r) => r.tag_name === m![1]);
      return release ? { body: release.sha ?? release.target_commitish } : undefined;
    }
    if ((m = rest.match(/^\/compare\/([^.]+)\.\.\.(.+)$/))) {
      const known = repo.compare.get(`${m[1]}...${m[2]}`);
      if (known === null) return undefined; // a base that no longer exists
      const chain = commitChain(repo);
      const [base, head] = [chain.indexOf(m[1]!), chain.indexOf(m[2]!)];
      // Otherwise what the stand-in's linear history holds between them, oldest first.
      const shas = known ?? (base >= 0 && head > base ? chain.slice(base + 1, head + 1) : [m[2]!]);
      return {
        list: shas.map((sha) => ({ sha })),
        wrap: (items, total) => ({ total_commits: total, commits: items }),
      };
    }
    return undefined;
  }

  private validAppJwt(header: string | undefined): boolean {
    const [head, payload, signature] = (header ?? '').replace(/^Bearer /, '').split('.');
    if (!this.app || !head || !payload || !signature) return false;
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${payload}`),
      this.app.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return signed && claims.iss === this.app.id && claims.exp > claims.iat;
  }

  private item(found: Json | undefined) {
    return found ? { body: found } : undefined;
  }
}
