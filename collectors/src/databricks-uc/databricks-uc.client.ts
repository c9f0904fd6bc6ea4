import { CollectorError } from '../collector.js';
import { JsonHttp, type JsonHttpOptions } from '../http/json-http.js';
import type { DatabricksUcSource } from './databricks-uc.source.js';

// The Unity Catalog REST API 2.1 payloads Lastmile reads (docs.databricks.com/api, "Registered
// Models" and "Model Versions"): int64 times as epoch-millisecond numbers, empty fields omitted,
// an opaque page_token, and a next_page_token absent on the last page. A page may be empty and
// still carry a token.

export interface UcAlias {
  alias_name: string;
  version_num: number;
}

export interface UcRegisteredModel {
  full_name: string;
  catalog_name: string;
  schema_name: string;
  created_at: number;
  updated_at: number | null;
  aliases: UcAlias[];
}

export interface UcModelVersion {
  version: string;
  created_at: number;
  updated_at: number;
  run_id: string | null;
  /** PENDING_REGISTRATION, FAILED_REGISTRATION or READY. */
  status: string | null;
}

export type UcHttpOptions = Pick<
  JsonHttpOptions,
  'attempts' | 'retryBaseMs' | 'retryAfterUnitMs' | 'timeoutMs'
>;

export interface UcClientOptions extends UcHttpOptions {
  source: DatabricksUcSource;
  token: string;
  signal?: AbortSignal;
  onRequest?(): void;
  modelsPageSize?: number;
  versionsPageSize?: number;
}

export class DatabricksUcClient {
  private readonly http: JsonHttp;
  private readonly base: string;

  constructor(private readonly options: UcClientOptions) {
    const { source } = options;
    this.base = source.host.replace(/\/+$/, '');
    this.http = new JsonHttp({
      describe: `Unity Catalog source "${source.name}"`,
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

  /** The registered models of the metastore, or of one schema ("catalog.schema"), page by page. */
  async *models(schema?: string): AsyncGenerator<UcRegisteredModel[]> {
    const query: Record<string, string> = {
      max_results: String(this.options.modelsPageSize ?? 1000),
    };
    if (schema) {
      const [catalog, name] = schema.split('.');
      query.catalog_name = catalog;
      query.schema_name = name;
    }
    for await (const body of this.pages('/api/2.1/unity-catalog/models', query))
      yield list(body, 'registered_models').map(parseModel);
  }

  /** A model with its aliases (the list leaves them out); null when it was deleted meanwhile. */
  async model(fullName: string): Promise<UcRegisteredModel | null> {
    const body = await this.http.get(
      `${this.base}/api/2.1/unity-catalog/models/${encodeURIComponent(fullName)}?include_aliases=true`,
      [404],
    );
    return body === null ? null : parseModel(body);
  }

  /** A model's versions, page by page (the list carries no aliases). */
  async *versions(fullName: string): AsyncGenerator<UcModelVersion[]> {
    const path = `/api/2.1/unity-catalog/models/${encodeURIComponent(fullName)}/versions`;
    const query = { max_results: String(this.options.versionsPageSize ?? 1000) };
    for await (const body of this.pages(path, query, true))
      yield list(body, 'model_versions').map(parseVersion);
  }

  /**
   * A run's start from the workspace's MLflow (runs/get); null when the run is gone or the
   * caller may not read its experiment.
   */
  async runStart(runId: string): Promise<number | null> {
    const body = (await this.http.get(
      `${this.base}/api/2.0/mlflow/runs/get?${new URLSearchParams({ run_id: runId }).toString()}`,
      [400, 403, 404],
    )) as { run?: { info?: { start_time?: unknown } } } | null;
    const start = body?.run?.info?.start_time;
    const value = typeof start === 'string' ? Number(start) : start;
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  private pages(
    path: string,
    query: Record<string, string>,
    goneIsEmpty = false,
  ): AsyncGenerator<unknown> {
    return this.http.tokenPages(
      'Unity Catalog',
      (token) =>
        `${this.base}${path}?${new URLSearchParams(token ? { ...query, page_token: token } : query).toString()}`,
      'next_page_token',
      goneIsEmpty,
    );
  }
}

function authError(
  source: DatabricksUcSource,
  status: number,
  path: string,
  message: string,
): CollectorError {
  const said = message ? ` (${message})` : '';
  if (status === 401)
    return new CollectorError(
      `Unity Catalog source "${source.name}" rejected the token (HTTP 401${said}): check the token in the environment variable ${source.token_env}.`,
    );
  return new CollectorError(
    `Unity Catalog source "${source.name}" refused ${path} (HTTP 403${said}): the principal of the token in ${source.token_env} needs USE CATALOG and USE SCHEMA on the models' catalogs and schemas, and EXECUTE on the models.`,
  );
}

function list(body: unknown, field: string): Record<string, unknown>[] {
  const value = (body as Record<string, unknown> | null)?.[field];
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new CollectorError(`Unity Catalog: "${field}" in the response is not a list.`);
  return value as Record<string, unknown>[];
}

const int64 = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

function parseModel(raw: unknown): UcRegisteredModel {
  const body = raw as Record<string, unknown>;
  const fullName = body.full_name;
  const created = int64(body.created_at);
  if (typeof fullName !== 'string' || created === null)
    throw new CollectorError('Unity Catalog: a registered model has no full_name or created_at.');
  const aliases = Array.isArray(body.aliases) ? (body.aliases as Record<string, unknown>[]) : [];
  return {
    full_name: fullName,
    catalog_name:
      typeof body.catalog_name === 'string' ? body.catalog_name : fullName.split('.')[0],
    schema_name: typeof body.schema_name === 'string' ? body.schema_name : fullName.split('.')[1],
    created_at: created,
    updated_at: int64(body.updated_at),
    aliases: aliases
      .filter((a) => typeof a.alias_name === 'string' && int64(a.version_num) !== null)
      .map((a) => ({ alias_name: a.alias_name as string, version_num: int64(a.version_num)! })),
  };
}

function parseVersion(raw: Record<string, unknown>): UcModelVersion {
  const version = int64(raw.version);
  const created = int64(raw.created_at);
  if (version === null || created === null)
    throw new CollectorError('Unity Catalog: a model version has no version or created_at.');
  return {
    version: String(version),
    created_at: created,
    updated_at: int64(raw.updated_at) ?? created,
    run_id: typeof raw.run_id === 'string' && raw.run_id !== '' ? raw.run_id : null,
    status: typeof raw.status === 'string' ? raw.status : null,
  };
}
