import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors.js';
import { collectorOf, type SourceDisplay } from '@lastmile/collectors';
import {
  type AppConfig,
  cronProblem,
  formatIssuePath,
  issueDetails,
  type SourceConfig,
  sourceSchemaOf,
} from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { sourceEnvProblems } from '../config/secrets.js';
import { ProductionReclassifier } from '../ingest/production-reclassifier.service.js';
import { type SourceCheck, unsetVariable } from '@lastmile/collectors';
import { describeSchedule, nextRun } from './schedule-words.js';
import { describeSourceKinds, type SourceKind } from './source-kinds.js';
import { SourceScheduler } from './source-scheduler.service.js';
import { type SourceRow, type SyncRunRow, SourcesRepository } from './sources.repository.js';
import { SyncRunner } from './sync-runner.service.js';

export interface SourceView extends Record<string, unknown> {
  id: number;
  origin: 'config' | 'api';
  /** How the web shows it, as its kind's collector describes it. */
  display: SourceDisplay;
  /** Why the server skips this source, or null. */
  problem: string | null;
  last_sync: SyncRunRow | null;
  /** The schedule in words ("every 30 minutes") and its next run, in the config's time zone. */
  schedule_words: string;
  next_run_at: string | null;
}

/** What a write of a source answers: the source, and what would stop it syncing as it stands. */
export type SourceWritten = SourceView & { warnings: string[] };

@Injectable()
export class SourcesService implements OnApplicationBootstrap {
  private readonly schema: ReturnType<typeof sourceSchemaOf>;
  /** GET /api/v1/source-kinds, from the schemas: made at start, so a field no form takes stops it. */
  readonly kinds: SourceKind[];
  private readonly logger = new Logger('sources');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SourcesRepository,
    private readonly scheduler: SourceScheduler,
    private readonly runner: SyncRunner,
    private readonly reclassifier: ProductionReclassifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.schema = sourceSchemaOf(config.collectors);
    this.kinds = describeSourceKinds(config.collectors);
  }

  private modelRegistry = (source: SourceConfig): boolean =>
    collectorOf(this.config.collectors, source.kind)?.modelRegistry ?? false;

  /**
   * Schedules every stored source. One the server cannot run (its stored configuration fails
   * today's rules, or its schedule never fires) is logged, marked with its problem and skipped:
   * it never stops the start.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.repository.syncFromConfig(this.config.file.sources, this.modelRegistry);
    // The config file's patterns may have changed since the deployments were stored.
    this.reclassifier.start();
    for (const source of await this.repository.list()) {
      let problem = this.storedProblem(source);
      if (!problem) {
        try {
          this.scheduler.schedule(source);
        } catch (error) {
          problem = `schedule: ${(error as Error).message.split('\n')[0]}`;
        }
      }
      if (problem) {
        this.logger.warn(`source "${source.name}" is skipped: ${problem}`);
        this.scheduler.unschedule(source.id);
      }
      if (problem !== (source.problem ?? undefined))
        await this.repository.setProblem(source.id, problem ?? null);
    }
  }

  async list(): Promise<SourceView[]> {
    const sources = await this.repository.list();
    return Promise.all(sources.map((source) => this.view(source)));
  }

  async get(id: number): Promise<SourceView> {
    return this.view(await this.require(id));
  }

  async create(body: unknown): Promise<SourceWritten> {
    const config = this.parseSource(body);
    if (await this.repository.findByName(config.name)) {
      throw new ConflictError(`A source named "${config.name}" exists already.`);
    }
    const row = await this.storeAndSchedule((manager) =>
      this.repository.insert(config, this.modelRegistry(config), manager),
    );
    this.reclassifier.start();
    return { ...(await this.view(row)), warnings: this.warnings(config) };
  }

  /**
   * Changes a source in place; a new name renames it (its stored events follow). Renaming onto
   * another source's name is a 409, as is any change to a source declared in the config file.
   */
  async update(id: number, body: unknown): Promise<SourceWritten> {
    const existing = await this.require(id);
    this.refuseConfigSource(existing, 'change');
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new ValidationFailedError([{ path: '(body)', message: 'must be a JSON object' }]);
    const patch = body as Record<string, unknown>;
    if (Object.hasOwn(patch, 'kind') && patch.kind !== existing.kind)
      throw new ValidationFailedError([
        {
          path: 'kind',
          message: `cannot change (this source is "${existing.kind}"): add a new source of the other kind`,
        },
      ]);
    const merged: Record<string, unknown> = {
      ...existing.config,
      ...patch,
      kind: existing.kind,
      name: patch.name ?? existing.name,
    };
    // null takes a field out: an optional one is unset, one with a default takes it again.
    for (const [key, value] of Object.entries(patch)) if (value === null) delete merged[key];
    const config = this.parseSource(merged);
    if (config.name !== existing.name) {
      const taken = await this.repository.findByName(config.name);
      if (taken) {
        throw new ConflictError(
          `A source named "${config.name}" exists already (id ${taken.id}${taken.origin === 'config' ? `, declared in ${this.configFile()}` : ''}); pick another name.`,
        );
      }
      if (this.modelRegistry(existing.config)) {
        // Its name is the registry's name in every stored model, team and decision scope.
        throw new ConflictError(
          `A model registry source's name is its registry's name in stored models, teams and decisions; "${existing.name}" cannot be renamed. Add a new source instead.`,
        );
      }
    }
    const row = await this.storeAndSchedule((manager) =>
      this.repository.update(existing.id, existing.name, config, manager),
    );
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

  /**
   * Writes a source and schedules it in one step: if the schedule cannot be set, the write is
   * rolled back; if the commit fails, the schedule is taken back.
   */
  private async storeAndSchedule(
    write: (manager: EntityManager) => Promise<SourceRow>,
  ): Promise<SourceRow> {
    let scheduled: SourceRow | undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const row = await write(manager);
        this.scheduler.schedule(row);
        scheduled = row;
        return row;
      });
    } catch (error) {
      if (scheduled) this.scheduler.unschedule(scheduled.id);
      throw error;
    }
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
    const run = await this.repository.findRun(id);
    if (!run) throw new NotFoundError(`There is no sync run ${id}.`);
    return run;
  }

  private async require(id: number): Promise<SourceRow> {
    const source = await this.repository.find(id);
    if (!source) throw new NotFoundError(`There is no source ${id}.`);
    return source;
  }

  private configFile(): string {
    return this.config.configPath ? `the config file ${this.config.configPath}` : 'the config file';
  }

  private refuseConfigSource(source: SourceRow, verb: string): void {
    if (source.origin === 'config') {
      throw new ConflictError(
        `Source "${source.name}" is declared in ${this.configFile()}; ${verb} it there.`,
      );
    }
  }

  /** A source from a request: the schema, then what it may read and when it runs. */
  private parseSource(body: unknown): SourceConfig {
    const config = parseSource(this.schema, body);
    const problems = sourceEnvProblems(config, this.config.file, 'api');
    const schedule = scheduleProblem(config, this.config.file.timezone);
    if (schedule) problems.push({ path: 'schedule', message: schedule });
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return config;
  }

  /** Why a stored source cannot run today, or undefined. */
  private storedProblem(source: SourceRow): string | undefined {
    const parsed = this.schema.safeParse(source.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `${formatIssuePath(issue.path) || '(config)'}: ${issue.message}`;
    }
    const [envProblem] = sourceEnvProblems(parsed.data, this.config.file, source.origin);
    if (envProblem) return `${envProblem.path}: ${envProblem.message}`;
    const schedule = scheduleProblem(parsed.data, this.config.file.timezone);
    return schedule ? `schedule: ${schedule}` : undefined;
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
    // A row stored before its kind's schema filled in defaults may carry no schedule at all.
    const schedule: unknown = source.config.schedule;
    // The config holds only environment variable names, never secret values.
    return {
      id: source.id,
      origin: source.origin,
      ...source.config,
      display,
      problem: source.problem ?? null,
      last_sync: lastSync ?? null,
      schedule_words: typeof schedule === 'string' ? describeSchedule(schedule) : 'not scheduled',
      next_run_at:
        typeof schedule === 'string'
          ? (nextRun(schedule, this.config.file.timezone)?.toISOString() ?? null)
          : null,
    };
  }
}

function parseSource(schema: ReturnType<typeof sourceSchemaOf>, body: unknown): SourceConfig {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationFailedError(issueDetails(parsed.error));
  }
  return parsed.data;
}

/** Why a source's schedule (when its kind has one) never runs, or undefined. */
function scheduleProblem(config: SourceConfig, timeZone: string): string | undefined {
  return typeof config.schedule === 'string' ? cronProblem(config.schedule, timeZone) : undefined;
}
