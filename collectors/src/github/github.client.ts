import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { CollectorError, type CollectorContext } from '../collector.js';
import { createAppJwt, fetchInstallationToken } from './github-app-auth.js';
import type { GithubSource } from './github.source.js';

export interface GithubClientOptions {
  /** Milliseconds per retry unit (plugin-retry waits retryCount² units; GitHub's docs say seconds). */
  retryBaseMs?: number;
  /** Milliseconds per second of Retry-After (tests shorten it; production honours it as sent). */
  retryAfterUnitMs?: number;
}

const RetryingOctokit = Octokit.plugin(throttling, retry);
type Client = InstanceType<typeof RetryingOctokit>;

export type Fetched<T> =
  { notModified: true } | { notModified: false; data: T; etag?: string; next?: string };

// GitHub caps per_page at 100.
export const PER_PAGE = 100;
const BODY_ATTEMPTS = 3;
// Holding a source's lock longer than this for a rate-limit reset would starve its schedule.
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;

/** REST access for one sync of one source: auth, throttling, retries, ETags, Link pagination. */
export class GithubClient {
  private constructor(
    private readonly octokit: Client,
    private readonly source: GithubSource,
    private readonly context: CollectorContext,
    readonly baseUrl: string,
  ) {}

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
    return new GithubClient(octokit, source, context, baseUrl);
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
