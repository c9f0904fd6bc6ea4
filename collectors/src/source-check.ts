// What a source's check found: each step (its credentials' variables, reaching the service, the
// service accepting them, what the source reads) with whether it worked and a sentence a person
// can act on. A kind's check lives beside its collector (github/github.check.ts, ...).

export interface CheckStep {
  /** 'credentials' | 'reach' | 'auth' | 'access' (a kind may add its own). */
  step: string;
  ok: boolean;
  message: string;
}

export interface SourceCheck {
  ok: boolean;
  steps: CheckStep[];
}

export interface CheckContext {
  /** Reads a secret by the environment variable name the source refers to. */
  secret(name: string | undefined): string | undefined;
  signal?: AbortSignal;
}

export const CHECK_TIMEOUT_MS = 10_000;

export const checkOf = (steps: CheckStep[]): SourceCheck => ({
  ok: steps.every((step) => step.ok),
  steps,
});

/** A named variable that holds no value: the sentence every kind's check gives. */
export const unsetVariable = (name: string): string =>
  `${name} is not set in the server's environment`;

/** Why a request never got an answer, in words: DNS, refused, timed out, TLS, ... */
export function unreachable(host: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // The AWS SDK turns an error it does not recognise as one (another realm's) into its text alone.
  const code =
    cause?.code ??
    (error as { code?: string }).code ??
    /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET)\b/.exec(String((error as Error).message))?.[1];
  const name = (error as { name?: string }).name;
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'DNS lookup failed'
      : code === 'ECONNREFUSED'
        ? 'the connection was refused'
        : code === 'ECONNRESET'
          ? 'the connection was reset'
          : name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT'
            ? `no answer within ${CHECK_TIMEOUT_MS / 1000} s`
            : code?.startsWith('ERR_TLS') || code?.includes('CERT')
              ? `TLS failed (${code})`
              : (cause?.message ?? (error as Error).message);
  return `cannot reach ${host}: ${why}`;
}

/** A GET that gives up after CHECK_TIMEOUT_MS, or when the caller's signal aborts. */
export function checkFetch(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  const timeout = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  return fetch(url, {
    headers,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
}

/**
 * A collector client's failure, sorted for a check: the HTTP status it carries (`status`), or,
 * when no answer came, the connection error underneath (`cause`).
 */
export function failureOf(error: unknown): { status?: number; unreachable?: unknown } {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return { status };
  return { unreachable: (error as { cause?: unknown }).cause ?? error };
}

/** The caller's signal, and CHECK_TIMEOUT_MS. */
export const checkSignal = (signal: AbortSignal | undefined): AbortSignal =>
  signal
    ? AbortSignal.any([signal, AbortSignal.timeout(CHECK_TIMEOUT_MS)])
    : AbortSignal.timeout(CHECK_TIMEOUT_MS);

/**
 * The check after its probe request failed: the service was not reached, or it refused the
 * credentials (401), or it answered but the source's resource is out of reach (`access` says why,
 * from the status). Each step that worked before the failure is listed as such.
 */
export function failedProbe(
  steps: CheckStep[],
  error: unknown,
  probe: {
    host: string;
    /** The service as the messages name it: "GitLab", "Databricks", ... */
    service: string;
    /** What the service was sent: "token", "access token". */
    credential: string;
    access: (status: number) => string;
  },
): SourceCheck {
  const failure = failureOf(error);
  if (failure.status === undefined) {
    steps.push({ step: 'reach', ok: false, message: unreachable(probe.host, failure.unreachable) });
    return checkOf(steps);
  }
  steps.push({ step: 'reach', ok: true, message: `${probe.host} answered` });
  if (failure.status === 401) {
    steps.push({
      step: 'auth',
      ok: false,
      message: `401 from ${probe.service}: the ${probe.credential} is invalid or expired`,
    });
    return checkOf(steps);
  }
  steps.push({
    step: 'auth',
    ok: true,
    message: `${probe.service} accepted the ${probe.credential}`,
  });
  steps.push({ step: 'access', ok: false, message: probe.access(failure.status) });
  return checkOf(steps);
}
