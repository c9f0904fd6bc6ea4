import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// What the registry stand-ins (Unity Catalog, SageMaker, Vertex AI) have in common: a clock the
// test script moves, models with numbered versions, aliases and (SageMaker's) approval statuses,
// runs, injected faults, and an HTTP server on 127.0.0.1. Each stand-in renders this state in its
// own service's wire format.

export interface ScriptVersion {
  version: number;
  created: number;
  updated: number;
  /** SageMaker's ModelApprovalStatus. */
  approval: 'Approved' | 'Rejected' | 'PendingManualApproval';
  runId?: string;
  failed?: boolean;
}

export interface ScriptModel {
  name: string;
  /** Vertex AI's display name. */
  label: string;
  created: number;
  updated: number;
  versions: ScriptVersion[];
  nextVersion: number;
  aliases: Map<string, number>;
}

export interface ScriptRun {
  start: number;
  /** The caller may not read it (another team's experiment). */
  readable: boolean;
}

export interface ScriptFault {
  /** Matched against "<METHOD> <path>" (or the AWS target). */
  match: RegExp;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  retryAfter?: string;
  body?: Record<string, unknown>;
}

export abstract class RegistryStandIn {
  clock = Date.parse('2026-01-05T09:00:00Z');
  readonly models = new Map<string, ScriptModel>();
  readonly runs = new Map<string, ScriptRun>();
  /** Requests by "<METHOD> <route>", and in all. */
  readonly requests = new Map<string, number>();
  totalRequests = 0;
  private faults: (ScriptFault & { remaining: number })[] = [];
  private server: Server | undefined;
  private runCounter = 0;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('The stand-in is not started.');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.totalRequests++;
        const body = Buffer.concat(chunks).toString('utf8');
        const fault = this.takeFault(this.faultKey(request, body));
        if (fault) return this.sendFault(response, fault);
        void Promise.resolve(this.handle(request, body, response)).catch((error: Error) => {
          response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ message: error.message }));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  protected abstract handle(
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): void | Promise<void>;

  /** What a fault's `match` is tested against. */
  protected faultKey(request: IncomingMessage, _body: string): string {
    return `${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`;
  }

  /** A fault in the service's own error shape. */
  protected abstract sendFault(response: ServerResponse, fault: ScriptFault): void;

  protected count(route: string): void {
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
  }

  /** Faults not yet served (a test checks its fault was met). */
  get pendingFaults(): number {
    return this.faults.length;
  }

  fail(fault: ScriptFault): this {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  private takeFault(key: string): ScriptFault | undefined {
    const fault = this.faults.find((f) => f.match.test(key));
    if (!fault) return undefined;
    if (--fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  // ----- the script's verbs -----

  at(time: string | number): this {
    this.clock = typeof time === 'number' ? time : Date.parse(time);
    return this;
  }

  createModel(name: string, label = name): this {
    if (this.models.has(name)) throw new Error(`already exists: ${name}`);
    this.models.set(name, {
      name,
      label,
      created: this.clock,
      updated: this.clock,
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
    });
    return this;
  }

  /** Registers a version; its run started `runStartedAt`, `run: null` for none, `unreadable`. */
  createVersion(
    name: string,
    options: {
      runStartedAt?: string | number;
      run?: null;
      unreadableRun?: boolean;
      failed?: boolean;
      approval?: ScriptVersion['approval'];
    } = {},
  ): string {
    const model = this.model(name);
    let runId: string | undefined;
    if (options.run !== null) {
      runId = `run${String(++this.runCounter).padStart(6, '0')}`;
      const start =
        options.runStartedAt === undefined
          ? this.clock - 3_600_000
          : typeof options.runStartedAt === 'number'
            ? options.runStartedAt
            : Date.parse(options.runStartedAt);
      this.runs.set(runId, { start, readable: !options.unreadableRun });
    }
    const version = model.nextVersion++;
    model.versions.push({
      version,
      created: this.clock,
      updated: this.clock,
      approval: options.approval ?? 'PendingManualApproval',
      runId,
      failed: options.failed,
    });
    model.updated = this.clock;
    return String(version);
  }

  setApproval(name: string, version: string, approval: ScriptVersion['approval']): this {
    const target = this.version(this.model(name), version);
    target.approval = approval;
    target.updated = this.clock;
    return this;
  }

  /** An alias names one version of its model: setting it elsewhere moves it. */
  setAlias(name: string, alias: string, version: string): this {
    const model = this.model(name);
    const target = this.version(model, version);
    model.aliases.set(alias, Number(version));
    target.updated = this.clock;
    model.updated = this.clock;
    return this;
  }

  deleteAlias(name: string, alias: string): this {
    const model = this.model(name);
    const was = model.aliases.get(alias);
    model.aliases.delete(alias);
    const target = model.versions.find((v) => v.version === was);
    if (target) target.updated = this.clock;
    return this;
  }

  deleteVersion(name: string, version: string): this {
    const model = this.model(name);
    const target = this.version(model, version);
    model.versions = model.versions.filter((v) => v !== target);
    // The registries drop the aliases that pointed at a deleted version.
    for (const [alias, v] of model.aliases) if (v === target.version) model.aliases.delete(alias);
    return this;
  }

  deleteModel(name: string): this {
    this.model(name);
    this.models.delete(name);
    return this;
  }

  renameModel(name: string, newName: string): this {
    const model = this.model(name);
    this.models.delete(name);
    model.name = newName;
    model.updated = this.clock;
    this.models.set(newName, model);
    return this;
  }

  /** Bulk registry for benchmarks: every 4th model's last version in production. */
  seed(models: number, versionsPerModel: number, production: (m: ScriptModel) => void): void {
    for (let m = 0; m < models; m++) {
      const name = this.seedName(m);
      this.createModel(name);
      for (let v = 0; v < versionsPerModel; v++) this.createVersion(name);
      if (m % 4 === 0) production(this.models.get(name)!);
    }
  }

  protected seedName(m: number): string {
    return `model-${String(m).padStart(5, '0')}`;
  }

  model(name: string): ScriptModel {
    const model = this.models.get(name);
    if (!model) throw new Error(`no model ${name}`);
    return model;
  }

  version(model: ScriptModel, version: string): ScriptVersion {
    const found = model.versions.find((v) => v.version === Number(version));
    if (!found) throw new Error(`no version ${model.name}/${version}`);
    return found;
  }

  /** Sorted by name, as the services list them. */
  protected sortedModels(): ScriptModel[] {
    return [...this.models.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

/** Offset pagination behind an opaque token, as each service's page_token is to its client. */
export function paginate<T>(
  all: readonly T[],
  pageSize: number,
  token: string | null | undefined,
): { items: T[]; next: string | undefined } {
  const offset = token
    ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number }).o
    : 0;
  const items = all.slice(offset, offset + pageSize);
  const next =
    offset + pageSize < all.length
      ? Buffer.from(JSON.stringify({ o: offset + pageSize })).toString('base64url')
      : undefined;
  return { items, next };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
