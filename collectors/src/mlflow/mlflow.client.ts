import { CollectorError } from '../collector.js';
import {
  MlflowResponseError,
  parseModelVersionsPage,
  parseRegisteredModelsPage,
  parseRun,
} from './mlflow-response.parser.js';
import type { MlflowSource, ModelVersion, Page, RegisteredModel, RunInfo } from './mlflow.types.js';

export interface MlflowClientOptions {
  source: MlflowSource;
  secret(name: string | undefined): string | undefined;
  signal?: AbortSignal;
  /** Called once per HTTP request made (the run's progress). */
  onRequest?(): void;
  /** registered-models/search caps max_results at 1,000 in open-source MLflow. */
  modelsPageSize?: number;
  /** model-versions/search allows more; 1,000 keeps each response small for any backend. */
  versionsPageSize?: number;
  timeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A small typed client for the registry endpoints Lastmile reads (no usable MLflow client exists
 * on npm). Open-source MLflow or Databricks; a bearer token or basic auth, named by environment
 * variable in the source.
 */
export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(private readonly options: MlflowClientOptions) {
    this.base = `${options.source.base_url.replace(/\/+$/, '')}/api/2.0/mlflow/`;
    this.authorization = authorizationOf(options.source, (name) => options.secret(name));
  }

  async *registeredModels(): AsyncGenerator<Page<RegisteredModel>> {
    yield* this.paginate(
      'registered-models/search',
      this.options.modelsPageSize ?? 1000,
      parseRegisteredModelsPage,
    );
  }

  async *modelVersions(): AsyncGenerator<Page<ModelVersion>> {
    yield* this.paginate(
      'model-versions/search',
      this.options.versionsPageSize ?? 1000,
      parseModelVersionsPage,
    );
  }

  /** A run's start; null when the run is gone (deleted for good, or on another tracking server). */
  async run(runId: string): Promise<RunInfo | null> {
    const body = await this.get('runs/get', { run_id: runId }, true);
    return body === null ? null : parseRun(body);
  }

  private async *paginate<T>(
    endpoint: string,
    pageSize: number,
    parse: (body: unknown) => Page<T>,
  ): AsyncGenerator<Page<T>> {
    let token: string | null = null;
    const seen = new Set<string>();
    do {
      const query: Record<string, string> = { max_results: String(pageSize) };
      if (token) query.page_token = token;
      const page = parse(await this.get(endpoint, query, false));
      yield page;
      token = page.next_page_token;
      // A server that hands back a token it already gave would loop forever.
      if (token && seen.has(token))
        throw new MlflowResponseError(endpoint, 'next_page_token', 'repeats an earlier page');
      if (token) seen.add(token);
    } while (token);
  }

  private async get(
    endpoint: string,
    query: Record<string, string>,
    notFoundIsNull: boolean,
  ): Promise<unknown> {
    const url = `${this.base}${endpoint}?${new URLSearchParams(query).toString()}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.authorization) headers.Authorization = this.authorization;
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS)];
    if (this.options.signal) signals.push(this.options.signal);
    this.options.onRequest?.();
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.any(signals) });
    } catch (error) {
      throw new CollectorError(
        `MLflow source "${this.options.source.name}": ${endpoint} could not be reached at ${this.options.source.base_url} (${(error as Error).message}).`,
        true,
      );
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw this.authError(response.status);
    if (response.status === 404 && notFoundIsNull) return null;
    if (!response.ok) {
      throw new CollectorError(
        `MLflow source "${this.options.source.name}": ${endpoint} answered HTTP ${response.status}${errorSummary(text)}.`,
        response.status === 429 || response.status >= 500,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MlflowResponseError(endpoint, '(body)', 'is not JSON');
    }
  }

  private authError(status: number): CollectorError {
    const { source } = this.options;
    const variables = credentialVariables(source);
    const what = status === 401 ? 'rejected the credentials' : 'refused access';
    const hint =
      variables.length > 0
        ? `check the value of ${variables.join(' and ')}`
        : 'the source has no credentials: set "token_env" (or "username_env" and "password_env") to the variable holding them';
    return new CollectorError(`MLflow source "${source.name}" ${what} (HTTP ${status}): ${hint}.`);
  }
}

function credentialVariables(source: MlflowSource): string[] {
  if (source.token_env) return [source.token_env];
  return [source.username_env, source.password_env].filter(
    (name): name is string => name !== undefined,
  );
}

function authorizationOf(
  source: MlflowSource,
  secret: (name: string | undefined) => string | undefined,
): string | undefined {
  const missing = (name: string) =>
    new CollectorError(
      `MLflow source "${source.name}": the environment variable ${name} is not set.`,
    );
  if (source.token_env) {
    const token = secret(source.token_env);
    if (!token) throw missing(source.token_env);
    return `Bearer ${token}`;
  }
  if (source.username_env || source.password_env) {
    const username = secret(source.username_env);
    const password = secret(source.password_env);
    if (!username) throw missing(source.username_env ?? 'username_env');
    if (!password) throw missing(source.password_env ?? 'password_env');
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return undefined;
}

/** MLflow's error body is {"error_code", "message"}; anything else is shown truncated. */
function errorSummary(text: string): string {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.message === 'string') {
      return `: ${typeof body.error_code === 'string' ? `${body.error_code}: ` : ''}${body.message.slice(0, 300).replace(/\.+$/, '')}`;
    }
  } catch {
    // not JSON: fall through
  }
  return text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`;
}
