import { Gitlab } from '@gitbeaker/rest';
import { createRequesterFn, GitbeakerRequestError } from '@gitbeaker/requester-utils';
import { CollectorError, type CollectorContext } from '../collector.js';
import type { GitlabSource } from './gitlab.source.js';

export interface GitlabClientOptions {
  /** Milliseconds per second of Retry-After or of a rate-limit reset (tests shorten it). */
  retryAfterUnitMs?: number;
}

export type Fetched<T> =
  | { notModified: true; status: 304 }
  | { notModified: false; status: number; data: T; etag?: string; next?: string };

// GitLab caps per_page at 100.
export const PER_PAGE = 100;
// A 429 is asked again this many times before the run gives up and the next goes on from the cursor.
const RATE_LIMIT_RETRIES = 3;
// Holding a source's lock longer than this for a rate-limit reset would starve its schedule.
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;
const BODY_ATTEMPTS = 3;

interface RawResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * REST access for one sync of one GitLab source, through @gitbeaker/rest's requester with a request
 * handler of ours: gitbeaker's own retries 429 after a fixed quarter-millisecond back-off and never
 * reads Retry-After, and treats a 304 as an error. Ours waits as long as Retry-After (or
 * RateLimit-Reset) says, pauses before the next request when RateLimit-Remaining reaches 0, sends
 * If-None-Match where the caller has an ETag, and counts every request in the run's progress.
 */
export class GitlabClient {
  /**
   * The ETag to send with the request `get` is making: one sync makes one request at a time, and
   * gitbeaker's requester takes no per-request headers.
   */
  private pendingEtag: string | undefined;
  /** When the quota is spent, the time (ms) it resets. */
  private resetAt: number | undefined;
  private readonly api: InstanceType<typeof Gitlab>;
  readonly baseUrl: string;

  constructor(
    readonly source: GitlabSource,
    private readonly context: CollectorContext,
    private readonly options: GitlabClientOptions = {},
  ) {
    this.baseUrl = source.base_url.replace(/\/+$/, '');
    const token = context.secret(source.token_env);
    if (!token) {
      throw new CollectorError(
        `GitLab source "${source.name}" needs a token: the environment variable ${source.token_env} is not set.`,
      );
    }
    this.api = new Gitlab({
      host: this.baseUrl,
      // Personal, group and project access tokens are all sent as PRIVATE-TOKEN.
      token,
      // Our handler asks GitLab's own headers when to wait, so gitbeaker's client-side limiter is off.
      rateLimits: {},
      requesterFn: createRequesterFn(
        (_serviceOptions, requestOptions) => Promise.resolve(requestOptions),
        (endpoint, requestOptions) =>
          this.handle(endpoint, requestOptions as unknown as HandlerOptions) as Promise<never>,
      ),
    });
  }

  /** The API root requests are made against (`<base_url>/api/v4`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/v4`;
  }

  /**
   * A GET by API path (`projects/…`) or by an absolute URL (a `Link` next page), conditional when
   * an ETag is given: a 304 reads nothing.
   */
  async get<T>(path: string, etag?: string): Promise<Fetched<T>> {
    const url = new URL(path, `${this.apiUrl}/`);
    const endpoint = url.origin + url.pathname;
    const searchParams = Object.fromEntries(url.searchParams);
    for (let attempt = 1; ; attempt++) {
      this.pendingEtag = etag;
      let response: RawResponse;
      try {
        // Our handler answers, so the requester's result is a RawResponse.
        response = (await this.api.requester.get(endpoint, { searchParams })) as RawResponse;
      } catch (error) {
        throw this.describe(error, url.pathname);
      } finally {
        this.pendingEtag = undefined;
      }
      if (response.status === 304) return { notModified: true, status: 304 };
      // A connection dropped mid-body leaves no JSON where JSON was promised: ask again.
      if (response.body === undefined) {
        if (attempt < BODY_ATTEMPTS) continue;
        throw new CollectorError(
          `GitLab source "${this.source.name}": ${url.pathname} kept returning a truncated body.`,
          true,
        );
      }
      return {
        notModified: false,
        status: response.status,
        data: response.body as T,
        etag: response.headers.etag,
        next: nextLink(response.headers.link),
      };
    }
  }

  /**
   * Pages of a list as the URL orders it, following `Link: rel="next"` (offset and keyset
   * pagination both send it); the first page is conditional on `etag`. The caller stops early by
   * returning from its loop.
   */
  async *pages<T>(
    path: string,
    etag?: string,
  ): AsyncGenerator<{ items: T[]; etag?: string; first: boolean }, { notModified: boolean }> {
    let next: string | undefined = path;
    let first = true;
    while (next) {
      const page: Fetched<unknown> = await this.get<unknown>(next, first ? etag : undefined);
      if (page.notModified) return { notModified: true };
      if (!Array.isArray(page.data)) {
        throw new CollectorError(
          `GitLab source "${this.source.name}": ${next} did not return a list.`,
          true,
        );
      }
      this.context.progress({ pages: 1 });
      yield { items: page.data as T[], etag: page.etag, first };
      first = false;
      next = page.next;
    }
    return { notModified: false };
  }

  /** Every page of a list (no watermark), e.g. an MR's commits or notes. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.pages<T>(path)) items.push(...page.items);
    return items;
  }

  /** gitbeaker's request handler, replaced: see the class comment. */
  private async handle(endpoint: string, options: HandlerOptions): Promise<RawResponse> {
    const prefix = options.prefixUrl.endsWith('/') ? options.prefixUrl : `${options.prefixUrl}/`;
    const url = new URL(endpoint, prefix);
    url.search = options.searchParams ?? '';
    const etag = this.pendingEtag;
    const headers: Record<string, string> = { ...options.headers, 'user-agent': 'lastmile' };
    if (etag) headers['if-none-match'] = etag;
    for (let retry = 0; ; retry++) {
      await this.waitForQuota();
      this.context.progress({ requests: 1 });
      const response = await fetch(url, {
        method: options.method,
        headers,
        body: options.body,
        signal: this.context.signal,
      });
      const received = Object.fromEntries(response.headers.entries());
      this.noteQuota(received);
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 304, body: null, headers: received };
      }
      if (response.ok) {
        const text = await response.text().catch(() => undefined);
        let body: unknown;
        try {
          body = text === undefined || text === '' ? null : JSON.parse(text);
        } catch {
          body = undefined;
        }
        return { status: response.status, body, headers: received };
      }
      if (response.status === 429 && retry < RATE_LIMIT_RETRIES) {
        await response.body?.cancel();
        const wait = retryAfterSeconds(received, Date.now()) ?? 2 ** retry;
        if (wait > MAX_RATE_LIMIT_WAIT_S) throw this.spent(wait);
        await sleep(wait * this.unitMs, this.context.signal);
        continue;
      }
      const text = await response.text().catch(() => '');
      let description = text;
      try {
        const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
        const message = parsed.message ?? parsed.error ?? text;
        description = typeof message === 'string' ? message : JSON.stringify(message);
      } catch {
        // Not JSON: the text is the description.
      }
      throw new GitbeakerRequestError(description, {
        cause: {
          description,
          request: new Request(url, { method: options.method }),
          response: new Response(null, { status: response.status, headers: response.headers }),
        },
      });
    }
  }

  private get unitMs(): number {
    return this.options.retryAfterUnitMs ?? 1000;
  }

  /** RateLimit-Remaining 0 with a RateLimit-Reset: the next request waits for the reset. */
  private noteQuota(headers: Record<string, string>): void {
    if (headers['ratelimit-remaining'] !== '0') return;
    const reset = Number(headers['ratelimit-reset']);
    if (Number.isFinite(reset)) this.resetAt = reset * 1000;
  }

  private async waitForQuota(): Promise<void> {
    if (this.resetAt === undefined) return;
    const seconds = Math.max(0, (this.resetAt - Date.now()) / 1000);
    this.resetAt = undefined;
    if (seconds > MAX_RATE_LIMIT_WAIT_S) throw this.spent(seconds);
    if (seconds > 0) await sleep(seconds * this.unitMs, this.context.signal);
  }

  private spent(seconds: number): CollectorError {
    const until = new Date(Date.now() + seconds * 1000).toISOString();
    return new CollectorError(
      `GitLab source "${this.source.name}": the rate limit is spent until ${until}; the next run goes on from where this one stopped.`,
      true,
    );
  }

  private describe(error: unknown, path: string): Error {
    if (error instanceof CollectorError) return error;
    if ((error as Error).name === 'AbortError') return error as Error;
    const status = statusOf(error);
    const name = this.source.name;
    if (status === 401) {
      return Object.assign(
        new CollectorError(
          `GitLab rejected the token of source "${name}" (401): check the token in the environment variable ${this.source.token_env}.`,
        ),
        { status },
      );
    }
    if (status === 403) {
      return Object.assign(
        new CollectorError(
          `GitLab source "${name}": ${path} was refused (403). The token needs the read_api scope and at least the Reporter role.`,
        ),
        { status },
      );
    }
    if (status === 404) {
      const project = path.match(/\/projects\/([^/]+)/)?.[1];
      const what = project ? `the project "${decodeURIComponent(project)}"` : path;
      return Object.assign(
        new CollectorError(
          `GitLab source "${name}": ${what} was not found at ${this.baseUrl} (404 on ${path}). Check its path and that the token can read it.`,
        ),
        { status },
      );
    }
    const message = status
      ? `${status}: ${(error as Error).message}`
      : rootMessage(error as { message?: string; cause?: unknown });
    return Object.assign(
      new CollectorError(`GitLab source "${name}": ${path} failed: ${message}`, true, {
        cause: error,
      }),
      { status },
    );
  }
}

interface HandlerOptions {
  prefixUrl: string;
  searchParams?: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The HTTP status of a failed request, from gitbeaker's error or ours. */
export function statusOf(error: unknown): number | undefined {
  const cause = (error as { cause?: { response?: { status?: number } } }).cause;
  return cause?.response?.status ?? (error as { status?: number }).status;
}

/** Retry-After in seconds (or as an HTTP date); else the time to RateLimit-Reset. */
export function retryAfterSeconds(
  headers: Record<string, string>,
  now: number,
): number | undefined {
  const after = headers['retry-after'];
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const at = Date.parse(after);
    if (Number.isFinite(at)) return Math.max(0, (at - now) / 1000);
  }
  const reset = Number(headers['ratelimit-reset']);
  if (Number.isFinite(reset) && headers['ratelimit-reset'] !== undefined)
    return Math.max(0, reset - now / 1000);
  return undefined;
}

function nextLink(link: string | undefined): string | undefined {
  return link?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
}

interface Caused {
  message?: string;
  cause?: unknown;
}
function rootMessage(error: Caused): string {
  let current: Caused = error;
  while (typeof current.cause === 'object' && current.cause !== null) current = current.cause;
  return current.message ?? 'no response';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A project's path as GitLab takes it in a URL (`group%2Fsub%2Fproject`). */
export const projectPath = (path: string) => `projects/${encodeURIComponent(path)}`;
