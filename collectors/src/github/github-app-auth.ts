import { createSign } from 'node:crypto';

// GitHub App authentication without another dependency: an RS256 JWT signed with node:crypto, then
// an installation access token (valid one hour, so one per sync is enough).

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** The app's JWT: issued 60 s in the past against clock drift, expiring within GitHub's 10 min. */
export function createAppJwt(appId: string, privateKeyPem: string, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000) - 60;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: issuedAt, exp: issuedAt + 540, iss: appId }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${base64url(signer.sign(privateKeyPem))}`;
}

export interface InstallationTokenRequest {
  baseUrl: string;
  jwt: string;
  /** When unknown, looked up from the first repository or the organisation. */
  installationId?: string;
  owner: string;
  repo?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

async function appRequest(
  request: InstallationTokenRequest,
  url: string,
  method: string,
): Promise<Response> {
  return (request.fetch ?? fetch)(url, {
    method,
    headers: {
      authorization: `Bearer ${request.jwt}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'lastmile',
    },
    signal: request.signal,
  });
}

export async function fetchInstallationToken(request: InstallationTokenRequest): Promise<string> {
  const base = request.baseUrl.replace(/\/+$/, '');
  let installationId = request.installationId;
  if (!installationId) {
    const lookup = request.repo
      ? `${base}/repos/${request.owner}/${request.repo}/installation`
      : `${base}/orgs/${request.owner}/installation`;
    const response = await appRequest(request, lookup, 'GET');
    if (!response.ok) throw new Error(`finding the app's installation failed (${response.status})`);
    installationId = String(((await response.json()) as { id: number }).id);
  }
  const response = await appRequest(
    request,
    `${base}/app/installations/${installationId}/access_tokens`,
    'POST',
  );
  if (!response.ok) throw new Error(`creating an installation token failed (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}
