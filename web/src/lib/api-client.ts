import { getToken } from './settings';

/** An API answer that is not 2xx, with the api.md error body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path?: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export type QueryParams = Record<string, string | number | undefined | null>;

export function withQuery(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = getToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function failure(response: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; details?: ApiError['details'] } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON (a proxy's page, say): the status alone has to do.
  }
  const fallback =
    response.status === 401
      ? 'The API asked for a token. Open Settings and paste the admin token.'
      : `The API answered ${response.status} ${response.statusText}.`;
  return new ApiError(
    response.status,
    body.error ?? 'http_error',
    body.message ?? fallback,
    body.details ?? [],
  );
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      'The API is not reachable. Is the server running (npm start)?',
    );
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function apiGet<T>(
  path: string,
  params?: QueryParams,
  signal?: AbortSignal,
): Promise<T> {
  const response = await send(withQuery(path, params), {
    headers: headers({ Accept: 'application/json' }),
    signal,
  });
  return (await response.json()) as T;
}

export async function apiText(path: string, signal?: AbortSignal): Promise<string> {
  const response = await send(path, { headers: headers(), signal });
  return response.text();
}

export async function apiSend<T>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await send(path, {
    method,
    headers: headers({ Accept: 'application/json', 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
