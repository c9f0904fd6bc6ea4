import { setTimeout as sleep } from 'node:timers/promises';
import { Octokit } from '@octokit/rest';
import { paginateGraphQL } from '@octokit/plugin-paginate-graphql';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { CollectorError, type CollectorContext } from '../collector.js';
import { createAppJwt, fetchInstallationToken } from './github-app-auth.js';
import type { GithubSource } from './github.source.js';

export interface GithubClientOptions {
  /** Milliseconds per retry unit (plugin-retry waits retryCount² units; GitHub's docs say seconds). */
  retryBaseMs?: number;
  /** Milliseconds per second of Retry-After (tests shorten it; production honours it as sent). */
  retryAfterUnitMs?: number;
  /** Milliseconds between GraphQL requests (GitHub asks for one at a time, a second apart). */
  graphqlMinTimeMs?: number;
  /** GitHub's secondary limit on GraphQL points, and the window it is counted over. */
  graphqlPointsPerWindow?: number;
  graphqlWindowMs?: number;
}

/** The `rateLimit` every GraphQL query here asks for. */
export interface RateLimit {
  cost: number;
  remaining: number;
  resetAt: string;
}

export const RATE_LIMIT_FIELDS = 'rateLimit { cost remaining resetAt }';

const RetryingOctokit = Octokit.plugin(throttling, retry, paginateGraphQL);
type Client = InstanceType<typeof RetryingOctokit>;

export type Fetched<T> =
  { notModified: true } | { notModified: false; data: T; etag?: string; next?: string };

// GitHub caps per_page at 100.
export const PER_PAGE = 100;
const BODY_ATTEMPTS = 3;
// Holding a source's lock longer than this for a rate-limit reset would starve its schedule.
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;
// GitHub's secondary limit for the GraphQL endpoint is 2,000 points a minute; pacing keeps a tenth
// in reserve for retries and for another client on the same token.
const GRAPHQL_POINTS_PER_MINUTE = 2000;
const PACING_SHARE = 0.9;

/** `https://host/api/v3` (GitHub Enterprise Server) -> `https://host/api/graphql`; else `/graphql`. */
export function graphqlEndpoint(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(trimmed)
    ? trimmed.replace(/\/api\/v3$/, '/api/graphql')
    : `${trimmed}/graphql`;
}

/**
 * Paces GraphQL queries under GitHub's limits: the primary one (points an hour, read from every
 * response's rateLimit) and the secondary one (points a minute). Queries run one at a time.
 */
class GraphqlPacer {
  private spent: { at: number; cost: number }[] = [];
  used = 0;
  remaining: number | undefined;
  resetAt: string | undefined;

  constructor(
    private readonly pointsPerWindow: number,
    private readonly windowMs: number,
    private readonly signal: AbortSignal,
    private readonly sourceName: string,
  ) {}

  async before(estimate: number): Promise<void> {
    if (this.remaining !== undefined && this.resetAt && this.remaining < estimate) {
      const wait = Date.parse(this.resetAt) - Date.now();
      if (wait > MAX_RATE_LIMIT_WAIT_S * 1000) {
        throw new CollectorError(
          `GitHub source "${this.sourceName}": the token's GraphQL points are spent until ${this.resetAt}; the next run goes on from where this one stopped.`,
          true,
        );
      }
      if (wait > 0) await sleep(wait + 1000, undefined, { signal: this.signal });
      this.remaining = undefined;
    }
    const budget = Math.max(1, Math.floor(this.pointsPerWindow * PACING_SHARE));
    for (;;) {
      const now = Date.now();
      this.spent = this.spent.filter((s) => s.at > now - this.windowMs);
      const inWindow = this.spent.reduce((sum, s) => sum + s.cost, 0);
      if (this.spent.length === 0 || inWindow + estimate <= budget) return;
      await sleep(this.spent[0].at + this.windowMs - now + 1, undefined, { signal: this.signal });
    }
  }

  account(rateLimit: RateLimit | undefined): void {
    if (!rateLimit) return;
    this.spent.push({ at: Date.now(), cost: rateLimit.cost });
    this.used += rateLimit.cost;
    this.remaining = rateLimit.remaining;
    this.resetAt = rateLimit.resetAt;
  }
}

/** REST access for one sync of one source: auth, throttling, retries, ETags, Link pagination. */
export class GithubClient {
  private constructor(
    private readonly octokit: Client,
    private readonly source: GithubSource,
    private readonly context: CollectorContext,
    readonly baseUrl: string,
    private readonly pacer: GraphqlPacer,
  ) {}

  /** The API a sync uses for PRs and deployments (api.md: `api`, default auto). */
  get api(): 'graphql' | 'rest' | 'auto' {
    return this.source.api ?? 'auto';
  }

  /** GraphQL points this sync used, and what the token has left (from the last response). */
  get points(): { used: number; remaining?: number; resetAt?: string } {
    return { used: this.pacer.used, remaining: this.pacer.remaining, resetAt: this.pacer.resetAt };
  }

  static async create(
    source: GithubSource,
    context: CollectorContext,
    options: GithubClientOptions = {},
  ): Promise<GithubClient> {
    const baseUrl = (source.base_url ?? 'https://api.github.com').replace(/\/+$/, '');
    const auth = await resolveToken(source, context, baseUrl);
    const retryAfterUnitMs = options.retryAfterUnitMs ?? 1000;
    const octokit = new RetryingOctokit({
      auth,
      baseUrl,
      userAgent: 'lastmile',
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      // Counted at the fetch, so retries and rate-limit waits show in the run's progress too.
      request: { signal: context.signal, fetch: countingFetch(context) },
      retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      throttle: {
        retryAfterBaseValue: retryAfterUnitMs,
        // GraphQL queries wait in this group: one at a time, a set time apart.
        ...(options.graphqlMinTimeMs !== undefined
          ? {
              write: new Bottleneck.Group({
                maxConcurrent: 1,
                minTime: options.graphqlMinTimeMs,
              }),
            }
          : {}),
        // Primary limit: wait for the reset once if it is near, else fail and let the next run go on
        // from the cursor; secondary limit: honour Retry-After, three times.
        onRateLimit: (after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
          retryCount < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
        onSecondaryRateLimit: (
          _after: number,
          _options: unknown,
          _octokit: unknown,
          retryCount: number,
        ) => retryCount < 3,
      },
    });
    const pacer = new GraphqlPacer(
      options.graphqlPointsPerWindow ?? GRAPHQL_POINTS_PER_MINUTE,
      options.graphqlWindowMs ?? 60_000,
      context.signal,
      source.name,
    );
    return new GithubClient(octokit, source, context, baseUrl, pacer);
  }

  /**
   * One GraphQL query (it must ask for RATE_LIMIT_FIELDS), paced by the points of the last query
   * of the same kind. A secondary-limit 403 waits its Retry-After and asks again (the throttling
   * plugin), like a REST request.
   */
  async graphql<T extends { rateLimit?: RateLimit }>(
    query: string,
    variables: Record<string, unknown>,
    estimate = 1,
  ): Promise<T> {
    await this.pacer.before(estimate);
    let data: T;
    try {
      data = await this.octokit.graphql<T>(query, variables);
    } catch (error) {
      throw this.describeGraphql(error);
    }
    this.account(data.rateLimit);
    return data;
  }

  /**
   * The pages of the one connection of `query` that carries `pageInfo` outside a list (the
   * paginate-graphql plugin's convention: a `$cursor` variable), from `variables.cursor` on.
   */
  async *graphqlPages<T extends { rateLimit?: RateLimit }>(
    query: string,
    variables: Record<string, unknown>,
    estimate = 1,
  ): AsyncGenerator<T> {
    await this.pacer.before(estimate);
    // @octokit/graphql posts to graphqlEndpoint(baseUrl), /api/graphql on Enterprise Server.
    const pages = this.octokit.graphql.paginate.iterator<T>(query, variables);
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      let page: IteratorResult<T>;
      try {
        page = await iterator.next();
      } catch (error) {
        throw this.describeGraphql(error);
      }
      if (page.done) return;
      this.account(page.value.rateLimit);
      this.context.progress({ pages: 1 });
      yield page.value;
      await this.pacer.before(page.value.rateLimit?.cost ?? estimate);
    }
  }

  private account(rateLimit: RateLimit | undefined): void {
    this.pacer.account(rateLimit);
    if (rateLimit) {
      this.context.progress({
        points: rateLimit.cost,
        pointsRemaining: rateLimit.remaining,
        pointsResetAt: rateLimit.resetAt,
      });
    }
  }

  /** Tells the run when it should finish: `left` more queries like the last one, at its pace. */
  estimateFinish(left: { queries: number; points: number }, msPerQuery: number): void {
    const { remaining, resetAt } = this.pacer;
    let at = Date.now() + left.queries * msPerQuery;
    // Points beyond what the token has left wait for the reset, an hour's worth per 5,000.
    if (remaining !== undefined && resetAt && left.points > remaining) {
      const hours = (left.points - remaining) / 5000;
      at = Math.max(at, Date.parse(resetAt) + hours * 3600_000);
    }
    this.context.progress({ estimatedFinish: new Date(at).toISOString() });
  }

  private describeGraphql(error: unknown): Error {
    const errors = (error as { errors?: { type?: string; message?: string }[] }).errors;
    const notFound = errors?.find((e) => e.type === 'NOT_FOUND');
    if (notFound) {
      return new CollectorError(
        `GitHub source "${this.source.name}": ${notFound.message ?? 'an object was not found'} at ${this.baseUrl}. Check its name and that the token can read it.`,
      );
    }
    if (errors && errors.length > 0) {
      return new CollectorError(
        `GitHub source "${this.source.name}": the GraphQL query failed: ${errors.map((e) => e.message).join('; ')}`,
        true,
      );
    }
    const described = this.describe(error, graphqlEndpoint(this.baseUrl));
    return Object.assign(described, { status: (error as { status?: number }).status });
  }

  /** A GET by path or absolute URL, conditional when an ETag is given (a 304 costs no quota). */
  async get<T>(url: string, etag?: string, accept?: string): Promise<Fetched<T>> {
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        response = await this.octokit.request({
          method: 'GET',
          url,
          headers: { ...(etag ? { 'if-none-match': etag } : {}), ...(accept ? { accept } : {}) },
        });
      } catch (error) {
        if ((error as { status?: number }).status === 304) return { notModified: true };
        const described = this.describe(error, url);
        throw Object.assign(described, { status: (error as { status?: number }).status });
      }
      const data = response.data as unknown;
      // A connection dropped mid-body leaves a truncated text where JSON was promised: ask again.
      if (typeof data === 'string' && accept === undefined) {
        if (attempt < BODY_ATTEMPTS) continue;
        throw new CollectorError(
          `GitHub source "${this.source.name}": ${url} kept returning a truncated body.`,
          true,
        );
      }
      return {
        notModified: false,
        data: data as T,
        etag: response.headers.etag,
        next: nextLink(response.headers.link),
      };
    }
  }

  /**
   * Pages of a list, newest first as the URL asks; the first page is conditional on `etag`. The
   * caller stops early by returning from its loop.
   */
  async *pages<T>(
    url: string,
    etag?: string,
    extract: (data: unknown) => T[] = (data) => data as T[],
  ): AsyncGenerator<{ items: T[]; etag?: string; first: boolean }, { notModified: boolean }> {
    let next: string | undefined = url;
    let first = true;
    while (next) {
      const page: Fetched<unknown> = await this.get<unknown>(next, first ? etag : undefined);
      if (page.notModified) return { notModified: true };
      const items = extract(page.data);
      if (!Array.isArray(items)) {
        throw new CollectorError(
          `GitHub source "${this.source.name}": ${next} did not return a list.`,
          true,
        );
      }
      this.context.progress({ pages: 1 });
      yield { items, etag: page.etag, first };
      first = false;
      next = page.next;
    }
    return { notModified: false };
  }

  private describe(error: unknown, url: string): Error {
    const status = (error as { status?: number }).status;
    const name = this.source.name;
    if (status === 401) {
      const variable = this.source.token_env ?? this.source.app_private_key_env;
      return new CollectorError(
        `GitHub rejected the credentials of source "${name}" (401): check the token in the environment variable ${variable}.`,
      );
    }
    if (status === 404) {
      const repo = url.match(/\/repos\/([^/]+\/[^/?]+)/)?.[1];
      const what = repo ? `the repository "${repo}"` : url;
      return new CollectorError(
        `GitHub source "${name}": ${what} was not found at ${this.baseUrl} (404 on ${url}). Check its name and that the token can read it.`,
      );
    }
    const headers =
      (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
    if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') {
      const reset = new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString();
      return new CollectorError(
        `GitHub source "${name}": the token's rate limit is spent until ${reset}; the next run goes on from where this one stopped.`,
        true,
      );
    }
    if (status === 403) {
      return new CollectorError(
        `GitHub source "${name}": ${url} was refused (403: ${(error as Error).message}). The token may lack a scope or the rate limit is spent.`,
        true,
      );
    }
    if ((error as Error).name === 'AbortError') return error as Error;
    return new CollectorError(
      `GitHub source "${name}": ${url} failed: ${rootMessage(error)}`,
      true,
    );
  }
}

/**
 * What the network said: fetch wraps it as "fetch failed" with the socket's error as its cause, and
 * Octokit finds that cause only when it is an `Error` of its own realm (not under a test VM).
 */
interface Caused {
  message?: string;
  cause?: unknown;
}
function rootMessage(error: unknown): string {
  let current = error as Caused;
  while (typeof current.cause === 'object' && current.cause !== null) current = current.cause;
  return current.message ?? String(error);
}

function countingFetch(context: CollectorContext): typeof fetch {
  return (input, init) => {
    context.progress({ requests: 1 });
    return fetch(input, init);
  };
}

function nextLink(link: string | undefined): string | undefined {
  return link?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
}

async function resolveToken(
  source: GithubSource,
  context: CollectorContext,
  baseUrl: string,
): Promise<string> {
  if (source.app_id_env) {
    const appId = context.secret(source.app_id_env);
    const key = context.secret(source.app_private_key_env);
    if (!appId || !key) {
      throw new CollectorError(
        `GitHub source "${source.name}" uses a GitHub App, but ${!appId ? source.app_id_env : (source.app_private_key_env ?? 'app_private_key_env')} is not set.`,
      );
    }
    const [owner, repo] = (source.repos?.[0] ?? source.org ?? '').split('/');
    try {
      return await fetchInstallationToken({
        baseUrl,
        jwt: createAppJwt(appId, key.replace(/\\n/g, '\n'), context.now()),
        installationId: context.secret(source.app_installation_id_env),
        owner: owner ?? '',
        repo,
        signal: context.signal,
        fetch: countingFetch(context),
      });
    } catch (error) {
      throw new CollectorError(
        `GitHub source "${source.name}": the GitHub App (${source.app_id_env}, ${source.app_private_key_env}) could not authenticate: ${(error as Error).message}.`,
      );
    }
  }
  const token = context.secret(source.token_env);
  if (!token) {
    throw new CollectorError(
      `GitHub source "${source.name}" needs a token: the environment variable ${source.token_env} is not set.`,
    );
  }
  return token;
}
