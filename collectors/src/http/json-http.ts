import { CollectorError } from '../collector.js';

export interface JsonHttpOptions {
  /** How errors name the source: e.g. 'Unity Catalog source "uc-prod"'. */
  describe: string;
  /** Headers for every request (authorization), asked before each attempt. */
  headers(): Promise<Record<string, string>>;
  /** The error for a 401 or 403: it names the variable or the permission to fix. */
  authError(status: number, path: string, message: string): CollectorError;
  signal?: AbortSignal;
  /** Called once per HTTP request sent, retries included (the run's progress). */
  onRequest?(): void;
  /** Attempts in all for a 429, a 5xx or a dropped connection (a check makes one). */
  attempts?: number;
  /** The first back-off, doubled each retry, when the answer names no Retry-After. */
  retryBaseMs?: number;
  /** Milliseconds per second of Retry-After (tests shorten it). */
  retryAfterUnitMs?: number;
  timeoutMs?: number;
}

export class HttpStatusError extends CollectorError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, status === 429 || status >= 500);
  }
}

const RETRY_AFTER_CAP_S = 120;

/**
 * GETs JSON from a REST API and retries what is worth retrying: 429 and 5xx answers (after their
 * Retry-After, else an exponential back-off) and dropped connections. 401 and 403 fail at once
 * with the caller's message; other errors carry the service's own message.
 */
export class JsonHttp {
  constructor(private readonly options: JsonHttpOptions) {}

  /** `tolerate`: statuses answered with null instead of an error (a run the caller cannot read). */
  async get(url: string, tolerate: readonly number[] = []): Promise<unknown> {
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.once(url, tolerate);
      if (outcome.kind === 'done') return outcome.body;
      if (attempt >= attempts) throw outcome.error;
      const backoff = (this.options.retryBaseMs ?? 500) * 2 ** (attempt - 1);
      await sleep(outcome.retryAfterMs ?? backoff, this.options.signal);
    }
  }

  /**
   * The pages of a list read by page token: `url(token)` asks for one (no token: the first), the
   * answer's `tokenField` names the next. A 404 ends it with nothing more when `goneIsEmpty`. A
   * token handed back twice is an error (`service` names the API in it): it would loop forever.
   */
  async *tokenPages(
    service: string,
    url: (token: string | undefined) => string,
    tokenField: string,
    goneIsEmpty = false,
  ): AsyncGenerator<unknown> {
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const address = url(token);
      const body = await this.get(address, goneIsEmpty ? [404] : []);
      if (body === null) return;
      yield body;
      const next = (body as Record<string, unknown>)[tokenField];
      token = typeof next === 'string' && next !== '' ? next : undefined;
      if (token && seen.has(token))
        throw new CollectorError(`${service}: ${new URL(address).pathname} repeated a page token.`);
      if (token) seen.add(token);
    } while (token);
  }

  private async once(
    url: string,
    tolerate: readonly number[],
  ): Promise<
    | { kind: 'done'; body: unknown }
    | { kind: 'retry'; error: CollectorError; retryAfterMs?: number }
  > {
    const path = new URL(url).pathname;
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? 30_000)];
    if (this.options.signal) signals.push(this.options.signal);
    const headers = { Accept: 'application/json', ...(await this.options.headers()) };
    this.options.onRequest?.();
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      return {
        kind: 'retry',
        error: new CollectorError(
          `${this.options.describe}: ${path} could not be reached (${(error as Error).message}).`,
          true,
          { cause: error },
        ),
      };
    }
    const text = await response.text();
    if (tolerate.includes(response.status)) return { kind: 'done', body: null };
    if (response.status === 401 || response.status === 403)
      // The status stays on the error: a source's check tells a bad token from a missing permission.
      throw Object.assign(this.options.authError(response.status, path, errorMessage(text)), {
        status: response.status,
      });
    if (!response.ok) {
      const error = new HttpStatusError(
        `${this.options.describe}: ${path} answered HTTP ${response.status}${summary(text)}.`,
        response.status,
      );
      if (!error.retryable) throw error;
      return { kind: 'retry', error, retryAfterMs: this.retryAfter(response) };
    }
    try {
      return { kind: 'done', body: JSON.parse(text) as unknown };
    } catch {
      throw new CollectorError(
        `${this.options.describe}: ${path} answered with a body that is not JSON.`,
      );
    }
  }

  private retryAfter(response: Response): number | undefined {
    const header = response.headers.get('retry-after');
    if (!header) return undefined;
    const unit = this.options.retryAfterUnitMs ?? 1000;
    const seconds = /^\d+$/.test(header.trim())
      ? Number(header)
      : (Date.parse(header) - Date.now()) / 1000;
    if (!Number.isFinite(seconds)) return undefined;
    return Math.min(Math.max(0, seconds), RETRY_AFTER_CAP_S) * unit;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/** The service's own message from a JSON error body (Databricks' and Google's shapes), if any. */
export function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as {
      message?: unknown;
      error_code?: unknown;
      error?: { message?: unknown; status?: unknown } | string;
      error_description?: unknown;
    };
    if (typeof body.message === 'string')
      return typeof body.error_code === 'string'
        ? `${body.error_code}: ${body.message}`
        : body.message;
    if (body.error && typeof body.error === 'object' && typeof body.error.message === 'string')
      return typeof body.error.status === 'string'
        ? `${body.error.status}: ${body.error.message}`
        : body.error.message;
    if (typeof body.error === 'string')
      return typeof body.error_description === 'string'
        ? `${body.error}: ${body.error_description}`
        : body.error;
  } catch {
    // not JSON: the text itself, shortened
  }
  return text.trim().slice(0, 200);
}

function summary(text: string): string {
  const message = errorMessage(text).slice(0, 300).replace(/\.+$/, '');
  return message === '' ? '' : `: ${message}`;
}
