import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  paginate,
  RegistryStandIn,
  type ScriptFault,
  type ScriptModel,
  type ScriptVersion,
  sendJson,
} from './registry-script.js';

// A stand-in Vertex AI endpoint on 127.0.0.1 for the REST v1 methods Lastmile reads
// (projects.locations.models.list and .listVersions, as cloud.google.com/vertex-ai/docs/reference/rest
// describes them: camelCase, RFC 3339 times with nanoseconds, pageToken/nextPageToken, resource
// names under the project number, {"error": {code, message, status}}), and the OAuth 2.0 token
// endpoint a service-account key file names as its token_uri: the JWT-bearer grant (RFC 7523), its
// RS256 assertion checked against the key's public half. Models are named by numeric IDs.

const PROJECT_NUMBER = '314159265358';

export class VertexAiStandIn extends RegistryStandIn {
  /** Answer API calls with 401, as for a revoked or expired token. */
  rejectAccessTokens = false;
  /** The token endpoint refuses the grant (a disabled or deleted key). */
  refuseGrant = false;
  private readonly issued = new Set<string>();
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly clientEmail = 'lastmile-reader@acme-ml.iam.gserviceaccount.com';

  constructor(
    readonly project: string,
    readonly location: string,
  ) {
    super();
  }

  /** Writes a service-account key file whose token_uri is this stand-in's; returns its path. */
  writeKeyFile(dir: string): string {
    const path = join(dir, 'vertex-key.json');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'service_account',
        project_id: this.project,
        private_key_id: 'a1b2c3d4e5',
        private_key: this.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
        client_email: this.clientEmail,
        client_id: '100000000000000000001',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: `${this.url}/token`,
      }),
    );
    return path;
  }

  /** A new version is uploaded as the default, as Vertex AI does unless told otherwise. */
  override createVersion(
    name: string,
    options: Parameters<RegistryStandIn['createVersion']>[1] = {},
  ): string {
    const version = super.createVersion(name, { ...options, run: null });
    this.model(name).aliases.set('default', Number(version));
    return version;
  }

  rename(id: string, displayName: string): this {
    const model = this.model(id);
    model.label = displayName;
    model.updated = this.clock;
    return this;
  }

  protected sendFault(response: ServerResponse, fault: ScriptFault): void {
    const statuses: Record<number, string> = {
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      429: 'RESOURCE_EXHAUSTED',
      503: 'UNAVAILABLE',
    };
    sendJson(
      response,
      fault.status,
      fault.body ?? {
        error: {
          code: fault.status,
          message: `Stand-in fault ${fault.status}.`,
          status: statuses[fault.status] ?? 'INTERNAL',
        },
      },
      fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {},
    );
  }

  protected handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (url.pathname === '/token' && request.method === 'POST') return this.token(body, response);
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.issued.has(auth.slice(7)) || this.rejectAccessTokens)
      return sendJson(response, 401, {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          status: 'UNAUTHENTICATED',
        },
      });
    const prefix = `/v1/projects/(${this.project}|${PROJECT_NUMBER})/locations/${this.location}/models`;
    const list = new RegExp(`^${prefix}$`).exec(url.pathname);
    if (list && request.method === 'GET') return this.listModels(url.searchParams, response);
    const versions = new RegExp(`^${prefix}/([^/:]+):listVersions$`).exec(
      decodeURIComponent(url.pathname),
    );
    if (versions && request.method === 'GET')
      return this.listVersions(versions[2], url.searchParams, response);
    sendJson(response, 404, {
      error: {
        code: 404,
        message: `The requested URL ${url.pathname} was not found.`,
        status: 'NOT_FOUND',
      },
    });
  }

  private token(body: string, response: ServerResponse): void {
    this.count('POST token');
    const form = new URLSearchParams(body);
    const refuse = (description: string) =>
      sendJson(response, 400, { error: 'invalid_grant', error_description: description });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return sendJson(response, 400, {
        error: 'unsupported_grant_type',
        error_description: 'Invalid grant_type',
      });
    if (this.refuseGrant) return refuse('Invalid JWT Signature.');
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    if (!header || !claims || !signature) return refuse('Invalid JWT.');
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(this.keys.publicKey, signature, 'base64url');
    if (!valid) return refuse('Invalid JWT Signature.');
    const jwt = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string })
      .alg;
    const now = Date.now() / 1000;
    if (alg !== 'RS256') return refuse('Invalid JWT: alg');
    if (jwt.aud !== `${this.url}/token`) return refuse('Invalid JWT: aud');
    if (jwt.iss !== this.clientEmail) return refuse('Invalid JWT: iss');
    if (typeof jwt.scope !== 'string' || !jwt.scope.includes('cloud-platform'))
      return refuse('Invalid JWT: scope');
    const iat = Number(jwt.iat);
    const exp = Number(jwt.exp);
    if (!(iat <= now + 300 && exp > now && exp - iat <= 3600))
      return refuse(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    this.issued.add(token);
    sendJson(response, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  private pageSize(query: URLSearchParams): number {
    const n = Number(query.get('pageSize') ?? '100');
    return Number.isInteger(n) && n > 0 ? Math.min(n, 100) : 100;
  }

  private resource(model: ScriptModel): string {
    return `projects/${PROJECT_NUMBER}/locations/${this.location}/models/${model.name}`;
  }

  private listModels(query: URLSearchParams, response: ServerResponse): void {
    this.count('GET models');
    const { items, next } = paginate(
      this.sortedModels(),
      this.pageSize(query),
      query.get('pageToken'),
    );
    const body: Record<string, unknown> = {};
    if (items.length > 0)
      body.models = items.map((m) => {
        const defaultVersion = m.versions.find((v) => v.version === m.aliases.get('default'));
        return defaultVersion ? this.versionJson(m, defaultVersion) : this.modelJson(m);
      });
    if (next) body.nextPageToken = next;
    sendJson(response, 200, body);
  }

  private listVersions(id: string, query: URLSearchParams, response: ServerResponse): void {
    this.count('GET listVersions');
    const model = this.models.get(id);
    if (!model)
      return sendJson(response, 404, {
        error: { code: 404, message: `Model ${id} not found.`, status: 'NOT_FOUND' },
      });
    const all = [...model.versions].sort((a, b) => a.version - b.version);
    const { items, next } = paginate(all, this.pageSize(query), query.get('pageToken'));
    const body: Record<string, unknown> = {};
    if (items.length > 0) body.models = items.map((v) => this.versionJson(model, v));
    if (next) body.nextPageToken = next;
    sendJson(response, 200, body);
  }

  private modelJson(model: ScriptModel): Record<string, unknown> {
    return {
      name: this.resource(model),
      displayName: model.label,
      createTime: rfc3339(model.created),
      updateTime: rfc3339(model.updated),
      etag: `AMEw9yP${model.updated}`,
    };
  }

  private versionJson(model: ScriptModel, version: ScriptVersion): Record<string, unknown> {
    const aliases = [...model.aliases].filter(([, v]) => v === version.version).map(([a]) => a);
    return {
      ...this.modelJson(model),
      versionId: String(version.version),
      ...(aliases.length > 0 ? { versionAliases: aliases } : {}),
      versionCreateTime: rfc3339(version.created),
      versionUpdateTime: rfc3339(version.updated),
      artifactUri: `gs://acme-models/${model.name}/${version.version}`,
      containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest' },
    };
  }
}

/** RFC 3339 with nanoseconds, as Google's JSON mapping of Timestamp writes it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1456789Z');
}
