import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors.js';
import { collectorOf, type SourceDisplay } from '@lastmile/collectors';
import {
  type AppConfig,
  formatIssuePath,
  type SourceConfig,
  sourceSchemaOf,
} from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ProductionReclassifier } from '../ingest/production-reclassifier.service.js';
import { type SourceCheck, unsetVariable } from '@lastmile/collectors';
import { describeSchedule, nextRun } from './schedule-words.js';
import { SourceScheduler } from './source-scheduler.service.js';
import { type SourceRow, type SyncRunRow, SourcesRepository } from './sources.repository.js';
import { SyncRunner } from './sync-runner.service.js';

export interface SourceView extends Record<string, unknown> {
  id: number;
  origin: 'config' | 'api';
  /** How the web shows it, as its kind's collector describes it. */
  display: SourceDisplay;
  last_sync: SyncRunRow | null;
  /** The schedule in words ("every 30 minutes") and its next run, in the config's time zone. */
  schedule_words: string;
  next_run_at: string;
}

/** What a write of a source answers: the source, and what would stop it syncing as it stands. */
export type SourceWritten = SourceView & { warnings: string[] };

@Injectable()
export class SourcesService implements OnApplicationBootstrap {
  private readonly schema: ReturnType<typeof sourceSchemaOf>;

  constructor(
    private readonly repository: SourcesRepository,
    private readonly scheduler: SourceScheduler,
    private readonly runner: SyncRunner,
    private readonly reclassifier: ProductionReclassifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.schema = sourceSchemaOf(config.collectors);
  }

  private modelRegistry = (source: SourceConfig): boolean =>
    collectorOf(this.config.collectors, source.kind)?.modelRegistry ?? false;

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.syncFromConfig(this.config.file.sources, this.modelRegistry);
    // The config file's patterns may have changed since the deployments were stored.
    this.reclassifier.start();
    for (const source of await this.repository.list()) this.scheduler.schedule(source);
  }

  async list(): Promise<SourceView[]> {
    const sources = await this.repository.list();
    return Promise.all(sources.map((source) => this.view(source)));
  }

  async get(id: number): Promise<SourceView> {
    return this.view(await this.require(id));
  }

  async create(body: unknown): Promise<SourceWritten> {
    const config = parseSource(this.schema, body);
    if (await this.repository.findByName(config.name)) {
      throw new ConflictError(`A source named "${config.name}" exists already.`);
    }
    const row = await this.repository.upsert(config, 'api', this.modelRegistry(config));
    this.scheduler.schedule(row);
    this.reclassifier.start();
    return { ...(await this.view(row)), warnings: this.warnings(config) };
  }

  async update(id: number, body: unknown): Promise<SourceWritten> {
    const existing = await this.require(id);
    this.refuseConfigSource(existing, 'change');
    const patch = (body ?? {}) as Record<string, unknown>;
    const config = parseSource(this.schema, {
      ...existing.config,
      ...patch,
      kind: existing.kind,
      name: patch.name ?? existing.name,
    });
    const row = await this.repository.upsert(config, 'api', this.modelRegistry(config));
    this.scheduler.schedule(row);
    // Its pattern or its name may have changed: its deployments may follow another pattern now.
    this.reclassifier.start();
    return { ...(await this.view(row)), warnings: this.warnings(config) };
  }

  /** Runs the kind's check (beside its collector): variables set, service reached, access. */
  async test(id: number): Promise<SourceCheck> {
    const source = await this.require(id);
    const collector = collectorOf(this.config.collectors, source.kind);
    if (!collector?.check) {
      return {
        ok: false,
        steps: [
          {
            step: 'check',
            ok: false,
            message: `sources of kind "${source.kind}" have no check yet: sync it to see whether it works`,
          },
        ],
      };
    }
    return collector.check(source.config, { secret: (name) => this.config.secret(name) });
  }

  /**
   * Each environment variable the source names (a `*_env` key) that holds nothing: the source is
   * kept, since the variable may be set before the next start, but it cannot sync until then.
   */
  private warnings(config: SourceConfig): string[] {
    return Object.entries(config)
      .filter(([key, value]) => key.endsWith('_env') && typeof value === 'string')
      .filter(([, name]) => !this.config.secret(name as string))
      .map(([, name]) => unsetVariable(name as string));
  }

  async remove(id: number): Promise<void> {
    const existing = await this.require(id);
    this.refuseConfigSource(existing, 'remove');
    this.scheduler.unschedule(id);
    await this.repository.remove(id);
    // Its deployments stay, and follow the config file's pattern from now on.
    this.reclassifier.start();
  }

  async sync(id: number): Promise<{ run_id: string }> {
    const { runId } = await this.runner.start(id, 'manual');
    return { run_id: runId };
  }

  listRuns(sourceId: number | undefined, limit: number): Promise<SyncRunRow[]> {
    return this.repository.listRuns({ sourceId, limit });
  }

  async getRun(id: string): Promise<SyncRunRow> {
    const run = /^\d+$/.test(id) ? await this.repository.findRun(id) : undefined;
    if (!run) throw new NotFoundError(`There is no sync run ${id}.`);
    return run;
  }

  private async require(id: number): Promise<SourceRow> {
    const source = await this.repository.find(id);
    if (!source) throw new NotFoundError(`There is no source ${id}.`);
    return source;
  }

  private refuseConfigSource(source: SourceRow, verb: string): void {
    if (source.origin === 'config') {
      throw new ConflictError(
        `Source "${source.name}" is declared in the config file; ${verb} it there.`,
      );
    }
  }

  private async view(source: SourceRow): Promise<SourceView> {
    const [lastSync] = await this.repository.listRuns({ sourceId: source.id, limit: 1 });
    const collector = collectorOf(this.config.collectors, source.kind);
    // A source stored by a build that knew a kind this one does not is still listed.
    const display = collector?.display(source.config) ?? {
      label: source.kind,
      fields: [],
      links: [],
    };
    // The config holds only environment variable names, never secret values.
    return {
      id: source.id,
      origin: source.origin,
      ...source.config,
      display,
      last_sync: lastSync ?? null,
      schedule_words: describeSchedule(source.config.schedule),
      next_run_at: nextRun(source.config.schedule, this.config.file.timezone).toISOString(),
    };
  }
}

function parseSource(schema: ReturnType<typeof sourceSchemaOf>, body: unknown): SourceConfig {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationFailedError(
      parsed.error.issues.map((issue) => ({
        path: formatIssuePath(issue.path) || '(body)',
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}
