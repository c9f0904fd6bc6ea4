import { PermanentDeliveryError } from './channel.types.js';

const TIMEOUT_MS = 15_000;

/**
 * POSTs a body and fails with a message that names the service and the status, never the URL:
 * a webhook URL is itself a secret.
 */
export function postOrThrow(
  url: string,
  what: string,
  body: string,
  headers: Record<string, string>,
): Promise<Response> {
  return requestOrThrow('POST', url, what, headers, body);
}

export async function requestOrThrow(
  method: 'GET' | 'POST',
  url: string,
  what: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        'User-Agent': 'lastmile-reports',
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`${what}: the request failed (${cause})`);
  }
  if (response.ok) return response;
  const text = (await response.text().catch(() => '')).slice(0, 200);
  const message = `${what}: HTTP ${response.status}${text ? ` ${text}` : ''}`;
  // 4xx other than 408 and 429 will not change on a retry.
  if (
    response.status >= 400 &&
    response.status < 500 &&
    response.status !== 408 &&
    response.status !== 429
  ) {
    throw new PermanentDeliveryError(message);
  }
  throw new Error(message);
}
