import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CollectorError } from '../collector.js';
import { errorMessage } from '../http/json-http.js';

// An OAuth 2.0 access token for a service account by the JWT-bearer flow (RFC 7523), as Google
// documents it for server-to-server use: an RS256 assertion signed with the key file's private key,
// posted to the key file's own token_uri. Signed here with node:crypto, so the token request goes
// where the key file says (a private endpoint, or a test's stand-in), which google-auth-library
// does not do.

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri: string;
}

export interface TokenRequest {
  /** For messages: e.g. 'Vertex AI source "vertex"'. */
  describe: string;
  /** The variable naming the key file. */
  variable: string;
  path: string | undefined;
  signal?: AbortSignal;
  onRequest?(): void;
}

export async function serviceAccountToken(request: TokenRequest): Promise<string> {
  const { describe, variable } = request;
  if (!request.path)
    throw new CollectorError(
      `${describe}: the environment variable ${variable} is not set (it holds the path of a service-account key file).`,
    );
  const key = await readKey(request.path, describe, variable);
  const now = Math.floor(Date.now() / 1000);
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    ...(key.private_key_id ? { kid: key.private_key_id } : {}),
  };
  const claims = {
    iss: key.client_email,
    scope: SCOPE,
    aud: key.token_uri,
    iat: now,
    exp: now + 3600,
  };
  const unsigned = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
  } catch (error) {
    throw new CollectorError(
      `${describe}: the private_key in the key file named by ${variable} cannot sign (${(error as Error).message}).`,
    );
  }
  request.onRequest?.();
  let response: Response;
  try {
    response = await fetch(key.token_uri, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: `${unsigned}.${signature}`,
      }).toString(),
      signal: request.signal,
    });
  } catch (error) {
    throw new CollectorError(
      `${describe}: the token endpoint ${key.token_uri} could not be reached (${(error as Error).message}).`,
      true,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw Object.assign(
      new CollectorError(
        `${describe}: ${key.token_uri} refused the service account ${key.client_email} (HTTP ${response.status}: ${errorMessage(text)}): check the key file named by ${variable}.`,
        response.status >= 500,
      ),
      { status: response.status },
    );
  const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string' || token === '')
    throw new CollectorError(`${describe}: ${key.token_uri} answered with no access_token.`);
  return token;
}

async function readKey(
  path: string,
  describe: string,
  variable: string,
): Promise<ServiceAccountKey> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new CollectorError(
      `${describe}: cannot read the key file "${path}" named by ${variable} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  let key: Partial<ServiceAccountKey> & { type?: string };
  try {
    key = JSON.parse(raw) as typeof key;
  } catch {
    throw new CollectorError(`${describe}: the key file named by ${variable} is not JSON.`);
  }
  const missing = (['client_email', 'private_key', 'token_uri'] as const).filter(
    (field) => typeof key[field] !== 'string' || key[field] === '',
  );
  if (missing.length > 0 || (key.type !== undefined && key.type !== 'service_account'))
    throw new CollectorError(
      `${describe}: the file named by ${variable} is not a service-account key (${missing.length > 0 ? `no ${missing.join(', ')}` : `type "${key.type}"`}).`,
    );
  return key as ServiceAccountKey;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
