import { CollectorError } from '../collector.js';
import { JsonHttp, type JsonHttpOptions } from '../http/json-http.js';
import { vertexApiEndpoint, type VertexAiSource } from './vertex-ai.source.js';

// The Vertex AI REST v1 payloads Lastmile reads (cloud.google.com/vertex-ai/docs/reference/rest,
// projects.locations.models list and listVersions): camelCase fields, times as RFC 3339 strings,
// a pageToken with nextPageToken absent on the last page, {"error": {code, message, status}}.

export interface VertexModel {
  /** projects/{project}/locations/{location}/models/{model id} */
  name: string;
  id: string;
  displayName: string;
  createTime: number;
  updateTime: number | null;
}

export interface VertexVersion {
  versionId: string;
  aliases: string[];
  versionCreateTime: number;
  versionUpdateTime: number;
}

export type VertexHttpOptions = Pick<
  JsonHttpOptions,
  'attempts' | 'retryBaseMs' | 'retryAfterUnitMs' | 'timeoutMs'
>;

export interface VertexClientOptions extends VertexHttpOptions {
  source: VertexAiSource;
  token: string;
  signal?: AbortSignal;
  onRequest?(): void;
  modelsPageSize?: number;
  versionsPageSize?: number;
}

export class VertexAiClient {
  private readonly http: JsonHttp;
  private readonly base: string;

  constructor(private readonly options: VertexClientOptions) {
    const { source } = options;
    this.base = `${vertexApiEndpoint(source)}/v1/`;
    this.http = new JsonHttp({
      describe: `Vertex AI source "${source.name}"`,
      headers: () => Promise.resolve({ Authorization: `Bearer ${options.token}` }),
      authError: (status, path, message) => authError(source, status, path, message),
      signal: options.signal,
      onRequest: () => options.onRequest?.(),
      attempts: options.attempts,
      retryBaseMs: options.retryBaseMs,
      retryAfterUnitMs: options.retryAfterUnitMs,
      timeoutMs: options.timeoutMs,
    });
  }

  /** models.list: each model (its default version's fields aside). */
  async *models(): AsyncGenerator<VertexModel[]> {
    const { project, location } = this.options.source;
    const parent = `projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/models`;
    for await (const body of this.pages(parent, this.options.modelsPageSize ?? 100, false))
      yield list(body).map(parseModel);
  }

  /** models.listVersions: every version of a model; empty when the model was deleted meanwhile. */
  async *versions(model: VertexModel): AsyncGenerator<VertexVersion[]> {
    const path = `${model.name.split('/').map(encodeURIComponent).join('/')}:listVersions`;
    for await (const body of this.pages(path, this.options.versionsPageSize ?? 100, true))
      yield list(body).map(parseVersion);
  }

  private pages(path: string, pageSize: number, goneIsEmpty: boolean): AsyncGenerator<unknown> {
    return this.http.tokenPages(
      'Vertex AI',
      (token) => {
        const query = new URLSearchParams({ pageSize: String(pageSize) });
        if (token) query.set('pageToken', token);
        return `${this.base}${path}?${query.toString()}`;
      },
      'nextPageToken',
      goneIsEmpty,
    );
  }
}

function authError(
  source: VertexAiSource,
  status: number,
  path: string,
  message: string,
): CollectorError {
  const said = message ? `: ${message}` : '';
  if (status === 401)
    return new CollectorError(
      `Vertex AI source "${source.name}" rejected the access token (HTTP 401${said}): check the service-account key file named by ${source.credentials_env}.`,
    );
  return new CollectorError(
    `Vertex AI source "${source.name}" refused ${path} (HTTP 403${said}): the service account in the key file named by ${source.credentials_env} needs aiplatform.models.list and aiplatform.models.get on project ${source.project} (e.g. roles/aiplatform.viewer).`,
  );
}

function list(body: unknown): Record<string, unknown>[] {
  const value = (body as { models?: unknown } | null)?.models;
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new CollectorError('Vertex AI: "models" in the response is not a list.');
  return value as Record<string, unknown>[];
}

const time = (value: unknown): number | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
};

function parseModel(raw: Record<string, unknown>): VertexModel {
  const name = raw.name;
  const created = time(raw.createTime);
  if (typeof name !== 'string' || !/\/models\/[^/]+$/.test(name) || created === null)
    throw new CollectorError('Vertex AI: a model has no resource name or createTime.');
  const id = name.slice(name.lastIndexOf('/') + 1).replace(/@.*$/, '');
  return {
    name: name.replace(/@.*$/, ''),
    id,
    displayName: typeof raw.displayName === 'string' ? raw.displayName : id,
    createTime: created,
    updateTime: time(raw.updateTime),
  };
}

function parseVersion(raw: Record<string, unknown>): VertexVersion {
  const versionId = raw.versionId;
  const created = time(raw.versionCreateTime);
  if (typeof versionId !== 'string' || created === null)
    throw new CollectorError('Vertex AI: a model version has no versionId or versionCreateTime.');
  return {
    versionId,
    aliases: Array.isArray(raw.versionAliases)
      ? raw.versionAliases.filter((a): a is string => typeof a === 'string')
      : [],
    versionCreateTime: created,
    versionUpdateTime: time(raw.versionUpdateTime) ?? created,
  };
}
