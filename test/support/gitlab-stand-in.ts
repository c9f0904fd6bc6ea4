import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for GitLab's REST API v4 on 127.0.0.1, shaped from GitLab's REST reference
// (projects, group projects, merge requests with their commits, approvals and notes, deployments
// with their merge requests, pipelines, releases, issues, repository compare): offset pagination
// with Link and X-Page headers, keyset pagination (`pagination=keyset`, `id_after`) on a group's
// projects, weak ETags answered with 304 to If-None-Match, RateLimit-* headers, a 401 for a wrong
// token, and faults on request (a 429 with Retry-After, any status). It counts every request, so
// tests measure what a sync costs.

type Json = Record<string, any>;

export interface GitlabProjectState {
  project: Json;
  mergeRequests: Json[];
  commits: Map<number, Json[]>;
  approvals: Map<number, Json>;
  notes: Map<number, Json[]>;
  deployments: Json[];
  /** Per deployment id, the iids of the MRs it shipped. */
  deploymentMergeRequests: Map<number, number[]>;
  pipelines: Json[];
  releases: Json[];
  issues: Json[];
  /** The repository's commits oldest first (for compare). */
  history: string[];
}

export type Fault =
  | { kind: 'status'; status: number; match: RegExp; times: number }
  | { kind: 'rate-limited'; retryAfter: number; match: RegExp; times: number };

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export const user = (id: number, username: string, extra: Json = {}): Json => ({
  id,
  username,
  name: username,
  state: 'active',
  locked: false,
  avatar_url: `https://gitlab.example.com/uploads/-/system/user/avatar/${id}/avatar.png`,
  web_url: `https://gitlab.example.com/${username}`,
  ...extra,
});

export function emptyProject(id: number, path: string, defaultBranch = 'main'): GitlabProjectState {
  return {
    project: {
      id,
      description: null,
      name: path.split('/').pop(),
      name_with_namespace: path.split('/').join(' / '),
      path: path.split('/').pop(),
      path_with_namespace: path,
      created_at: '2025-01-10T10:00:00.000Z',
      default_branch: defaultBranch,
      archived: false,
      visibility: 'private',
      web_url: `https://gitlab.example.com/${path}`,
      namespace: { full_path: path.split('/').slice(0, -1).join('/') },
    },
    mergeRequests: [],
    commits: new Map(),
    approvals: new Map(),
    notes: new Map(),
    deployments: [],
    deploymentMergeRequests: new Map(),
    pipelines: [],
    releases: [],
    issues: [],
    history: [],
  };
}

const time = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : 0);

function ordered(items: Json[], field: string, sort: string | null, tie = 'id'): Json[] {
  const sorted = [...items].sort(
    (a, b) => time(a[field]) - time(b[field]) || Number(a[tie] ?? 0) - Number(b[tie] ?? 0),
  );
  return sort === 'asc' ? sorted : sorted.reverse();
}

export class GitlabStandIn {
  projects = new Map<string, GitlabProjectState>();
  groups = new Map<string, string[]>();
  token = 'glpat-stand-in-token';
  faults: Fault[] = [];
  requests: RecordedRequest[] = [];
  /** GitLab caps per_page at 100; a smaller cap here makes short lists paginate. */
  maxPerPage = 100;
  /** An instance that does not offer keyset pagination on group projects answers 405. */
  keysetOnGroupProjects = true;
  /** RateLimit-Remaining to send, counting down; 0 with `resetInSeconds` tells clients to wait. */
  rateLimit = { limit: 2000, remaining: 2000, resetInSeconds: 60 };
  /** How many responses said RateLimit-Remaining: 0. */
  spentResponses = 0;
  url = '';
  private server: Server | undefined;

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

  add(state: GitlabProjectState): GitlabProjectState {
    this.projects.set(state.project.path_with_namespace, state);
    return state;
  }

  project(path: string): GitlabProjectState {
    const state = this.projects.get(path);
    if (!state) throw new Error(`stand-in has no project ${path}`);
    return state;
  }

  count(filter?: RegExp): { total: number; notModified: number } {
    const hits = this.requests.filter((r) => !filter || filter.test(r.path));
    return { total: hits.length, notModified: hits.filter((r) => r.status === 304).length };
  }

  resetCount(): void {
    this.requests = [];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const full = url.pathname + url.search;
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? 'GET', path: full, status });
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(full));
    if (fault) {
      fault.times--;
      if (fault.kind === 'rate-limited') {
        record(429);
        // GitLab's rate limiter answers in plain text with Retry-After and the RateLimit headers.
        res.writeHead(429, {
          'content-type': 'text/plain',
          'retry-after': String(fault.retryAfter),
          ...this.rateHeaders(0, fault.retryAfter),
        });
        return void res.end('Retry later\n');
      }
      record(fault.status);
      return this.send(res, fault.status, { message: `${fault.status} Error` });
    }
    const bearer = (req.headers.authorization ?? '').replace(/^bearer\s+/i, '');
    const token = (req.headers['private-token'] as string | undefined) ?? bearer;
    if (token !== this.token) {
      record(401);
      return this.send(res, 401, { message: '401 Unauthorized' });
    }
    const routed = this.route(url);
    if (routed === undefined) {
      record(404);
      return this.send(res, 404, { message: '404 Not Found' });
    }
    if ('status' in routed) {
      record(routed.status);
      return this.send(res, routed.status, routed.body);
    }
    let body: unknown = routed.body;
    const headers: Record<string, string> = {};
    if (routed.list) {
      const paged = routed.keyset
        ? this.keysetPage(url, routed.list)
        : this.offsetPage(url, routed.list);
      body = paged.items;
      Object.assign(headers, paged.headers);
    }
    const text = JSON.stringify(body);
    const etag = `W/"${createHash('md5').update(text).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      record(304);
      res.writeHead(304, { etag, ...this.rateHeaders() });
      return void res.end();
    }
    record(200);
    this.send(res, 200, body, { etag, ...headers });
  }

  private rateHeaders(remaining?: number, resetIn?: number): Record<string, string> {
    // A window spent by the previous response has reset by the time a client that waited asks.
    if (remaining === undefined && this.rateLimit.remaining === 0)
      this.rateLimit.remaining = this.rateLimit.limit;
    if (remaining === undefined) this.rateLimit.remaining--;
    const left = remaining ?? this.rateLimit.remaining;
    if (left === 0) this.spentResponses++;
    const reset = Math.floor(Date.now() / 1000) + (resetIn ?? this.rateLimit.resetInSeconds);
    return {
      'ratelimit-limit': String(this.rateLimit.limit),
      'ratelimit-observed': String(this.rateLimit.limit - left),
      'ratelimit-remaining': String(left),
      'ratelimit-reset': String(reset),
      'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
    };
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...this.rateHeaders(),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private perPage(url: URL): number {
    return Math.min(Number(url.searchParams.get('per_page') ?? 20), this.maxPerPage);
  }

  private offsetPage(url: URL, all: Json[]): { items: Json[]; headers: Record<string, string> } {
    const perPage = this.perPage(url);
    const page = Number(url.searchParams.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(p));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < pages) links.push(link(page + 1, 'next'));
    links.push(link(1, 'first'), link(pages, 'last'));
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      headers: {
        link: links.join(', '),
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(all.length),
        'x-total-pages': String(pages),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
      },
    };
  }

  /** Keyset by id ascending: the next page's link carries `id_after` the page's last id. */
  private keysetPage(url: URL, all: Json[]): { items: Json[]; headers: Record<string, string> } {
    const perPage = this.perPage(url);
    const after = Number(url.searchParams.get('id_after') ?? 0);
    const rest = all.filter((item) => item.id > after).sort((a, b) => a.id - b.id);
    const items = rest.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (rest.length > perPage) {
      const next = new URL(url);
      next.searchParams.set('id_after', String(items[items.length - 1].id));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return { items, headers };
  }

  private findProject(id: string): GitlabProjectState | undefined {
    const decoded = decodeURIComponent(id);
    return [...this.projects.values()].find(
      (p) => String(p.project.id) === decoded || p.project.path_with_namespace === decoded,
    );
  }

  private route(
    url: URL,
  ):
    | { body?: unknown; list?: Json[]; keyset?: boolean }
    | { status: number; body: unknown }
    | undefined {
    const q = url.searchParams;
    // Project and group paths arrive URL-encoded (`acme%2Fml`) and stay one segment.
    const parts = url.pathname.replace(/^\/api\/v4\//, '').split('/');
    if (parts[0] === 'groups' && parts[2] === 'projects' && parts.length === 3) {
      const group = decodeURIComponent(parts[1]);
      const paths = this.groups.get(group);
      if (!paths) return undefined;
      const list = paths.map((p) => this.project(p).project);
      if (q.get('pagination') === 'keyset') {
        if (!this.keysetOnGroupProjects || q.get('order_by') !== 'id')
          return {
            status: 405,
            body: { error: 'Keyset pagination is not yet available for this type of request' },
          };
        return { list, keyset: true };
      }
      return { list: [...list].sort((a, b) => a.id - b.id) };
    }
    if (parts[0] !== 'projects' || !parts[1]) return undefined;
    const state = this.findProject(parts[1]);
    if (!state) return undefined;
    const [, , resource, id, sub] = parts;
    switch (resource) {
      case undefined:
        return { body: state.project };
      case 'merge_requests': {
        if (id === undefined) {
          const list = state.mergeRequests.filter(
            (mr) => !q.get('state') || q.get('state') === 'all' || mr.state === q.get('state'),
          );
          return { list: ordered(list, q.get('order_by') ?? 'created_at', q.get('sort'), 'iid') };
        }
        const iid = Number(id);
        if (!state.mergeRequests.some((mr) => mr.iid === iid)) return undefined;
        if (sub === 'commits') return { list: state.commits.get(iid) ?? [] };
        if (sub === 'approvals')
          return {
            body: {
              id: iid,
              iid,
              project_id: state.project.id,
              approved: (state.approvals.get(iid)?.approved_by ?? []).length > 0,
              approved_by: [],
              ...state.approvals.get(iid),
            },
          };
        if (sub === 'notes')
          return {
            list: ordered(
              state.notes.get(iid) ?? [],
              q.get('order_by') ?? 'created_at',
              q.get('sort') ?? 'desc',
            ),
          };
        return sub === undefined
          ? { body: state.mergeRequests.find((mr) => mr.iid === iid) }
          : undefined;
      }
      case 'deployments': {
        if (id === undefined) {
          const list = state.deployments.filter(
            (d) => !q.get('environment') || d.environment.name === q.get('environment'),
          );
          return { list: ordered(list, q.get('order_by') ?? 'id', q.get('sort') ?? 'asc') };
        }
        const deployment = state.deployments.find((d) => d.id === Number(id));
        if (!deployment) return undefined;
        if (sub === 'merge_requests') {
          const iids = state.deploymentMergeRequests.get(deployment.id) ?? [];
          return { list: state.mergeRequests.filter((mr) => iids.includes(mr.iid)) };
        }
        return sub === undefined ? { body: deployment } : undefined;
      }
      case 'pipelines': {
        if (id !== undefined) return { body: state.pipelines.find((p) => p.id === Number(id)) };
        const list = state.pipelines.filter((p) => !q.get('ref') || p.ref === q.get('ref'));
        return { list: ordered(list, q.get('order_by') ?? 'id', q.get('sort') ?? 'desc') };
      }
      case 'releases':
        return {
          list: ordered(
            state.releases,
            q.get('order_by') ?? 'released_at',
            q.get('sort') ?? 'desc',
            'tag_name',
          ),
        };
      case 'issues': {
        const list = state.issues.filter(
          (i) =>
            (!q.get('issue_type') || i.issue_type === q.get('issue_type')) &&
            (!q.get('state') || q.get('state') === 'all' || i.state === q.get('state')),
        );
        return { list: ordered(list, q.get('order_by') ?? 'created_at', q.get('sort'), 'iid') };
      }
      case 'repository':
        if (id === 'compare') {
          const from = state.history.indexOf(q.get('from') ?? '');
          const to = state.history.indexOf(q.get('to') ?? '');
          if (from < 0 || to < 0) return { status: 404, body: { message: '404 Commit Not Found' } };
          const commits = state.history
            .slice(from + 1, to + 1)
            .map((sha) => ({ id: sha, short_id: sha.slice(0, 8), title: `commit ${sha}` }));
          return {
            body: {
              commit: commits[commits.length - 1] ?? null,
              commits,
              diffs: [],
              compare_timeout: false,
              compare_same_ref: from === to,
            },
          };
        }
        return undefined;
      default:
        return undefined;
    }
  }
}
