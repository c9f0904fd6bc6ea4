import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in MLflow tracking server on 127.0.0.1 for the registry endpoints Lastmile reads, shaped
// as mlflow/protos/model_registry.proto and the REST docs define them: snake_case fields, int64
// times as epoch-millisecond JSON numbers, empty lists and unset fields omitted, an opaque
// page_token, next_page_token omitted on the last page, {"error_code", "message"} errors.
// A test script drives it through time (`at`) and changes the registry as a user would.

interface StandInVersion {
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  run_id?: string;
  source: string;
  status: 'READY' | 'FAILED_REGISTRATION';
}

interface StandInModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  versions: StandInVersion[];
  nextVersion: number;
  aliases: Map<string, number>;
}

interface StandInRun {
  start_time: number;
  lifecycle_stage: 'active' | 'deleted';
}

export type Endpoint = 'registered-models/search' | 'model-versions/search' | 'runs/get';

export interface Fault {
  endpoint: Endpoint;
  /** Which call of the endpoint fails, counting from now (1 = the next one). */
  nth?: number;
  status?: number;
  /** A raw body to answer with, or a change to the real JSON body (a malformed response). */
  body?: string;
  transform?: (body: Record<string, unknown>) => unknown;
}

export type StandInAuth = { token: string } | { username: string; password: string };

const MAX_RESULTS = {
  'registered-models/search': { default: 100, max: 1000 },
  'model-versions/search': { default: 10_000, max: 200_000 },
};

export class MlflowStandIn {
  /** The registry's clock (epoch ms): what it stamps on creations and updates. */
  clock = Date.parse('2026-01-05T09:00:00Z');
  readonly requests: Record<Endpoint, number> = {
    'registered-models/search': 0,
    'model-versions/search': 0,
    'runs/get': 0,
  };
  private readonly models = new Map<string, StandInModel>();
  private readonly runs = new Map<string, StandInRun>();
  private faults: (Fault & { remaining: number })[] = [];
  private server: Server | undefined;
  private runCounter = 0;

  constructor(private readonly auth?: StandInAuth) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('The stand-in is not started.');
    return `http://127.0.0.1:${address.port}`;
  }

  get totalRequests(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ----- the script's verbs -----

  at(time: string | number): this {
    this.clock = typeof time === 'number' ? time : Date.parse(time);
    return this;
  }

  createModel(name: string): this {
    if (this.models.has(name)) throw new Error(`RESOURCE_ALREADY_EXISTS: ${name}`);
    this.models.set(name, {
      name,
      creation_timestamp: this.clock,
      last_updated_timestamp: this.clock,
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
    });
    return this;
  }

  /** Registers a version; with a run started `runStartedAt` (ms or ISO), or `run: null` for none. */
  createVersion(
    name: string,
    options: { runStartedAt?: string | number; runId?: string; run?: null; failed?: boolean } = {},
  ): string {
    const model = this.model(name);
    let runId: string | undefined;
    if (options.run !== null) {
      runId = options.runId ?? `run${String(++this.runCounter).padStart(6, '0')}`;
      if (!this.runs.has(runId)) {
        const start =
          options.runStartedAt === undefined
            ? this.clock - 3_600_000
            : typeof options.runStartedAt === 'number'
              ? options.runStartedAt
              : Date.parse(options.runStartedAt);
        this.runs.set(runId, { start_time: start, lifecycle_stage: 'active' });
      }
    }
    const version = model.nextVersion++;
    model.versions.push({
      version,
      creation_timestamp: this.clock,
      last_updated_timestamp: this.clock,
      current_stage: 'None',
      run_id: runId,
      source: runId ? `runs:/${runId}/model` : `s3://models/${name}/${version}`,
      status: options.failed ? 'FAILED_REGISTRATION' : 'READY',
    });
    model.last_updated_timestamp = this.clock;
    return String(version);
  }

  transitionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions = false,
  ): this {
    const model = this.model(name);
    const target = this.version(model, version);
    if (archiveExistingVersions && stage !== 'None' && stage !== 'Archived') {
      for (const other of model.versions) {
        if (other !== target && other.current_stage === stage) {
          other.current_stage = 'Archived';
          other.last_updated_timestamp = this.clock;
        }
      }
    }
    target.current_stage = stage;
    target.last_updated_timestamp = this.clock;
    return this;
  }

  setAlias(name: string, alias: string, version: string): this {
    const model = this.model(name);
    this.version(model, version);
    model.aliases.set(alias, Number(version));
    return this;
  }

  deleteAlias(name: string, alias: string): this {
    this.model(name).aliases.delete(alias);
    return this;
  }

  deleteVersion(name: string, version: string): this {
    const model = this.model(name);
    const target = this.version(model, version);
    model.versions = model.versions.filter((v) => v !== target);
    // MLflow drops the aliases that pointed at a deleted version.
    for (const [alias, v] of model.aliases) if (v === target.version) model.aliases.delete(alias);
    return this;
  }

  deleteModel(name: string): this {
    this.model(name);
    this.models.delete(name);
    return this;
  }

  /** Renaming keeps the creation time, versions and aliases, and touches the update times. */
  renameModel(name: string, newName: string): this {
    const model = this.model(name);
    if (this.models.has(newName)) throw new Error(`RESOURCE_ALREADY_EXISTS: ${newName}`);
    this.models.delete(name);
    model.name = newName;
    model.last_updated_timestamp = this.clock;
    for (const version of model.versions) version.last_updated_timestamp = this.clock;
    this.models.set(newName, model);
    return this;
  }

  /** `soft`: marked deleted, still readable (MLflow's delete-run); else gone for good (gc). */
  deleteRun(runId: string, soft = false): this {
    if (soft) this.runs.get(runId)!.lifecycle_stage = 'deleted';
    else this.runs.delete(runId);
    return this;
  }

  runOf(name: string, version: string): string | undefined {
    return this.version(this.model(name), version).run_id;
  }

  fail(fault: Fault): this {
    this.faults.push({ ...fault, remaining: fault.nth ?? 1 });
    return this;
  }

  /** Bulk registry for benchmarks, without the per-call overhead. */
  seed(models: number, versionsPerModel: number): void {
    for (let m = 0; m < models; m++) {
      const name = `model-${String(m).padStart(5, '0')}`;
      this.createModel(name);
      for (let v = 0; v < versionsPerModel; v++) this.createVersion(name);
      if (m % 4 === 0) this.transitionStage(name, String(versionsPerModel), 'Production');
      if (m % 4 === 1) this.setAlias(name, 'champion', String(versionsPerModel));
    }
  }

  private model(name: string): StandInModel {
    const model = this.models.get(name);
    if (!model) throw new Error(`RESOURCE_DOES_NOT_EXIST: registered model ${name}`);
    return model;
  }

  private version(model: StandInModel, version: string): StandInVersion {
    const found = model.versions.find((v) => v.version === Number(version));
    if (!found) throw new Error(`RESOURCE_DOES_NOT_EXIST: ${model.name} version ${version}`);
    return found;
  }

  // ----- HTTP -----

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const endpoint = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, '') as Endpoint;
    if (!(endpoint in this.requests) || request.method !== 'GET') {
      return send(response, 404, {
        error_code: 'ENDPOINT_NOT_FOUND',
        message: `No ${request.method} ${url.pathname}`,
      });
    }
    this.requests[endpoint]++;
    if (!this.authorized(request.headers.authorization)) {
      response.setHeader('WWW-Authenticate', 'Basic realm="mlflow"');
      return send(response, 401, {
        error_code: 'UNAUTHENTICATED',
        message: 'You are not authenticated. Please provide valid credentials.',
      });
    }
    const fault = this.faults.find((f) => f.endpoint === endpoint && --f.remaining === 0);
    if (fault) this.faults = this.faults.filter((f) => f !== fault);
    if (fault?.body !== undefined || (fault && !fault.transform)) {
      response.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' });
      response.end(
        fault.body ?? JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'Stand-in failure' }),
      );
      return;
    }
    const [status, body] = this.answer(endpoint, url.searchParams);
    send(response, status, fault?.transform ? fault.transform(body) : body);
  }

  private authorized(header: string | undefined): boolean {
    if (!this.auth) return true;
    if ('token' in this.auth) return header === `Bearer ${this.auth.token}`;
    return (
      header ===
      `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`
    );
  }

  private answer(endpoint: Endpoint, query: URLSearchParams): [number, Record<string, unknown>] {
    if (endpoint === 'runs/get') {
      const runId = query.get('run_id') ?? '';
      const run = this.runs.get(runId);
      if (!run)
        return [
          404,
          { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run '${runId}' not found.` },
        ];
      return [
        200,
        {
          run: {
            info: {
              run_id: runId,
              run_uuid: runId,
              experiment_id: '1',
              status: 'FINISHED',
              start_time: run.start_time,
              end_time: run.start_time + 60_000,
              artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
              lifecycle_stage: run.lifecycle_stage,
            },
            data: {},
            inputs: {},
          },
        },
      ];
    }
    const limits = MAX_RESULTS[endpoint];
    const maxResults = query.has('max_results') ? Number(query.get('max_results')) : limits.default;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limits.max) {
      return [
        400,
        {
          error_code: 'INVALID_PARAMETER_VALUE',
          message: `Invalid value for max_results: it must be at most ${limits.max}.`,
        },
      ];
    }
    let offset = 0;
    const token = query.get('page_token');
    if (token) {
      try {
        offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number })
          .offset;
      } catch {
        return [400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page token' }];
      }
    }
    const all: Record<string, unknown>[] =
      endpoint === 'registered-models/search'
        ? this.registeredModelsJson()
        : this.modelVersionsJson();
    const items = all.slice(offset, offset + maxResults);
    const key = endpoint === 'registered-models/search' ? 'registered_models' : 'model_versions';
    const body: Record<string, unknown> = {};
    if (items.length > 0) body[key] = items;
    if (offset + maxResults < all.length) {
      body.next_page_token = Buffer.from(JSON.stringify({ offset: offset + maxResults })).toString(
        'base64',
      );
    }
    return [200, body];
  }

  private registeredModelsJson(): Record<string, unknown>[] {
    return [...this.models.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((model) => {
        const json: Record<string, unknown> = {
          name: model.name,
          creation_timestamp: model.creation_timestamp,
          last_updated_timestamp: model.last_updated_timestamp,
        };
        const latest = new Map<string, StandInVersion>();
        for (const version of model.versions) latest.set(version.current_stage, version);
        if (latest.size > 0)
          json.latest_versions = [...latest.values()].map((v) => this.versionJson(model, v));
        if (model.aliases.size > 0)
          json.aliases = [...model.aliases].map(([alias, version]) => ({
            alias,
            version: String(version),
          }));
        return json;
      });
  }

  private modelVersionsJson(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const model of [...this.models.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      for (const version of [...model.versions].sort((a, b) => b.version - a.version))
        out.push(this.versionJson(model, version));
    }
    return out;
  }

  private versionJson(model: StandInModel, version: StandInVersion): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: model.name,
      version: String(version.version),
      creation_timestamp: version.creation_timestamp,
      last_updated_timestamp: version.last_updated_timestamp,
      current_stage: version.current_stage,
      source: version.source,
      status: version.status,
    };
    if (version.run_id) json.run_id = version.run_id;
    const aliases = [...model.aliases]
      .filter(([, v]) => v === version.version)
      .map(([alias]) => alias);
    if (aliases.length > 0) json.aliases = aliases;
    return json;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * Headers for an MLflow webhook delivery, signed as mlflow/webhooks/delivery.py does:
 * HMAC-SHA256 over "<delivery id>.<unix seconds>.<body>", base64, as "v1,<signature>".
 */
export function mlflowWebhookHeaders(
  secret: string,
  body: string,
  options: { deliveryId?: string; timestamp?: number } = {},
): Record<string, string> {
  const deliveryId = options.deliveryId ?? randomUUID();
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest('base64');
  return {
    'Content-Type': 'application/json',
    'X-MLflow-Delivery-Id': deliveryId,
    'X-MLflow-Timestamp': timestamp,
    'X-MLflow-Signature': `v1,${signature}`,
  };
}

/** A delivery body as MLflow sends it: {entity, action, timestamp, data}. */
export function mlflowWebhookBody(
  entity: string,
  action: string,
  at: string,
  data: Record<string, unknown>,
): string {
  return JSON.stringify({ entity, action, timestamp: at, data });
}
