import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  paginate,
  RegistryStandIn,
  type ScriptFault,
  type ScriptModel,
  type ScriptVersion,
  sendJson,
} from './registry-script.js';

// A stand-in Databricks workspace on 127.0.0.1 for the Unity Catalog REST API 2.1 endpoints
// Lastmile reads, shaped as docs.databricks.com/api ("Registered Models", "Model Versions") and
// MLflow's runs/get describe them: int64 times as epoch-millisecond JSON numbers, empty fields
// omitted, an opaque page_token with next_page_token absent on the last page, aliases only on a
// model read with include_aliases=true (the lists carry none), {"error_code", "message"} errors.
// Models are named "catalog.schema.model".

const MODELS = '/api/2.1/unity-catalog/models';

export class DatabricksUcStandIn extends RegistryStandIn {
  /** The server's page length when max_results is absent or larger (the docs' configured value). */
  maxPage = 1000;
  /** Each list starts with an empty page that still carries a token, as the docs allow. */
  emptyFirstPage = false;

  constructor(readonly token: string) {
    super();
  }

  protected override seedName(m: number): string {
    return `main.ml.model_${String(m).padStart(5, '0')}`;
  }

  protected sendFault(response: ServerResponse, fault: ScriptFault): void {
    const headers: Record<string, string> = fault.retryAfter
      ? { 'Retry-After': fault.retryAfter }
      : {};
    const codes: Record<number, string> = {
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      429: 'REQUEST_LIMIT_EXCEEDED',
      503: 'TEMPORARILY_UNAVAILABLE',
    };
    sendJson(
      response,
      fault.status,
      fault.body ?? {
        error_code: codes[fault.status] ?? 'INTERNAL_ERROR',
        message: `Stand-in fault ${fault.status}.`,
      },
      headers,
    );
  }

  protected handle(request: IncomingMessage, _body: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return sendJson(response, 401, {
        error_code: 'UNAUTHENTICATED',
        message: 'Invalid access token.',
      });
    }
    const path = decodeURIComponent(url.pathname);
    if (request.method !== 'GET')
      return sendJson(response, 405, { error_code: 'BAD_REQUEST', message: 'Method not allowed' });
    if (path === MODELS) return this.listModels(url.searchParams, response);
    const versions = path.match(/^\/api\/2\.1\/unity-catalog\/models\/([^/]+)\/versions$/);
    if (versions) return this.listVersions(versions[1], url.searchParams, response);
    const model = path.match(/^\/api\/2\.1\/unity-catalog\/models\/([^/]+)$/);
    if (model) return this.getModel(model[1], url.searchParams, response);
    if (path === '/api/2.0/mlflow/runs/get') return this.getRun(url.searchParams, response);
    sendJson(response, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API ${path}` });
  }

  private pageSize(query: URLSearchParams): number | string {
    if (!query.has('max_results')) return this.maxPage;
    const n = Number(query.get('max_results'));
    if (!Number.isInteger(n) || n < 0) return 'max_results must be a non-negative integer';
    return n === 0 ? this.maxPage : Math.min(n, this.maxPage);
  }

  private page<T>(
    all: readonly T[],
    query: URLSearchParams,
    field: string,
    toJson: (item: T) => Record<string, unknown>,
    response: ServerResponse,
  ): void {
    const size = this.pageSize(query);
    if (typeof size === 'string')
      return sendJson(response, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: size });
    const token = query.get('page_token');
    if (this.emptyFirstPage && !token)
      return sendJson(response, 200, {
        next_page_token: Buffer.from(JSON.stringify({ o: 0 })).toString('base64url'),
      });
    const { items, next } = paginate(all, size, token);
    const body: Record<string, unknown> = {};
    if (items.length > 0) body[field] = items.map(toJson);
    if (next) body.next_page_token = next;
    sendJson(response, 200, body);
  }

  private listModels(query: URLSearchParams, response: ServerResponse): void {
    this.count('GET models');
    const catalog = query.get('catalog_name');
    const schema = query.get('schema_name');
    if ((catalog === null) !== (schema === null))
      return sendJson(response, 400, {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'catalog_name and schema_name must be specified together.',
      });
    const all = this.sortedModels().filter(
      (m) => catalog === null || m.name.startsWith(`${catalog}.${schema}.`),
    );
    this.page(all, query, 'registered_models', (m) => this.modelJson(m, false), response);
  }

  private getModel(fullName: string, query: URLSearchParams, response: ServerResponse): void {
    this.count('GET model');
    const model = this.models.get(fullName);
    if (!model)
      return sendJson(response, 404, {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `Registered model '${fullName}' does not exist.`,
      });
    sendJson(response, 200, this.modelJson(model, query.get('include_aliases') === 'true'));
  }

  private listVersions(fullName: string, query: URLSearchParams, response: ServerResponse): void {
    this.count('GET versions');
    const model = this.models.get(fullName);
    if (!model)
      return sendJson(response, 404, {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `Registered model '${fullName}' does not exist.`,
      });
    const all = [...model.versions].sort((a, b) => b.version - a.version);
    this.page(all, query, 'model_versions', (v) => this.versionJson(model, v), response);
  }

  private getRun(query: URLSearchParams, response: ServerResponse): void {
    this.count('GET runs/get');
    const runId = query.get('run_id') ?? '';
    const run = this.runs.get(runId);
    if (!run)
      return sendJson(response, 404, {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `Run '${runId}' not found.`,
      });
    if (!run.readable)
      return sendJson(response, 403, {
        error_code: 'PERMISSION_DENIED',
        message: `User does not have permission to 'View' experiment with id 4242`,
      });
    sendJson(response, 200, {
      run: {
        info: {
          run_id: runId,
          run_uuid: runId,
          experiment_id: '4242',
          status: 'FINISHED',
          start_time: run.start,
          end_time: run.start + 60_000,
          lifecycle_stage: 'active',
        },
        data: {},
      },
    });
  }

  private modelJson(model: ScriptModel, withAliases: boolean): Record<string, unknown> {
    const [catalog, schema, name] = model.name.split('.');
    const json: Record<string, unknown> = {
      name,
      catalog_name: catalog,
      schema_name: schema,
      full_name: model.name,
      owner: 'ml-platform@example.com',
      storage_location: `s3://uc-models/${model.name.replaceAll('.', '/')}`,
      metastore_id: '11111111-2222-3333-4444-555555555555',
      created_at: model.created,
      created_by: 'ml-platform@example.com',
      updated_at: model.updated,
      updated_by: 'ml-platform@example.com',
    };
    if (withAliases && model.aliases.size > 0)
      json.aliases = [...model.aliases].map(([alias, version]) => ({
        alias_name: alias,
        version_num: version,
      }));
    return json;
  }

  private versionJson(model: ScriptModel, version: ScriptVersion): Record<string, unknown> {
    const [catalog, schema, name] = model.name.split('.');
    const json: Record<string, unknown> = {
      model_name: name,
      catalog_name: catalog,
      schema_name: schema,
      version: version.version,
      source: `dbfs:/databricks/mlflow-tracking/4242/${version.runId ?? 'none'}/artifacts/model`,
      status: version.failed ? 'FAILED_REGISTRATION' : 'READY',
      storage_location: `s3://uc-models/${model.name.replaceAll('.', '/')}/versions/${version.version}`,
      created_at: version.created,
      created_by: 'ml-platform@example.com',
      updated_at: version.updated,
      updated_by: 'ml-platform@example.com',
      id: `${model.name}/${version.version}`,
    };
    if (version.runId) {
      json.run_id = version.runId;
      json.run_workspace_id = 1234567890;
    }
    return json;
  }
}
