import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Collector, type CollectorContext, collectorOf } from '@lastmile/collectors';
import { ConflictError, NotFoundError } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { sourceEnvProblems } from '../config/secrets.js';
import { IngestService } from '../ingest/ingest.service.js';
import { PrometheusService } from '../observability/prometheus.service.js';
import { SourceLockService, type HeldLock } from './source-lock.service.js';
import { type SourceRow, SourcesRepository } from './sources.repository.js';

export const COLLECTORS = Symbol('COLLECTORS');
/** The source kinds are the config's: the registered collectors, or those a test passed in. */
export const collectorsProvider = {
  provide: COLLECTORS,
  useFactory: (config: AppConfig) => config.collectors,
  inject: [APP_CONFIG],
};

export type SyncTrigger = 'schedule' | 'manual' | 'webhook' | 'start';

interface Progress {
  items: number;
  pages: number;
  requests: number;
  points: number;
  pointsRemaining: number | null;
  estimatedFinish: string | null;
}

const PROGRESS_FLUSH_MS = 1000;

/**
 * Runs a source's collector: takes the source's lock, records the run, and writes each batch's
 * events and cursors in one transaction, so a crash loses and duplicates nothing.
 */
@Injectable()
export class SyncRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sync');
  private readonly running = new Map<string, { done: Promise<void>; abort: AbortController }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SourcesRepository,
    private readonly locks: SourceLockService,
    private readonly ingest: IngestService,
    private readonly prometheus: PrometheusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(COLLECTORS) private readonly collectors: readonly Collector[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A run still marked running whose lock nobody holds belonged to a process that died.
    const stale: { id: string; source_id: number }[] = await this.dataSource.query(
      `SELECT id, source_id FROM sync_runs WHERE status = 'running'`,
    );
    for (const run of stale) {
      const lock = await this.locks.tryLock(run.source_id);
      if (!lock) continue;
      try {
        await this.repository.finishRun(
          run.id,
          'failed',
          'The server stopped during this run; the next run continues from the last committed cursor.',
        );
      } finally {
        await lock.release();
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort();
    await Promise.allSettled([...this.running.values()].map((run) => run.done));
  }

  /** Starts a run in the background; returns its id. 409 when the source is already syncing. */
  async start(
    sourceId: number,
    trigger: SyncTrigger,
  ): Promise<{ runId: string; done: Promise<void> }> {
    const source = await this.repository.find(sourceId);
    if (!source) throw new NotFoundError(`There is no source ${sourceId}.`);
    if (source.problem)
      throw new ConflictError(`Source "${source.name}" is skipped until fixed: ${source.problem}`);
    const lock = await this.locks.tryLock(source.id);
    if (!lock)
      throw new ConflictError(`Source "${source.name}" is already syncing; see /api/v1/sync-runs.`);
    let runId: string;
    try {
      runId = await this.repository.createRun(source.id, trigger);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const abort = new AbortController();
    const done = this.execute(source, runId, lock, abort.signal).finally(() =>
      this.running.delete(runId),
    );
    this.running.set(runId, { done, abort });
    return { runId, done };
  }

  /** Runs to the end (scheduler, tests); resolves with the run id, whatever its outcome. */
  async runNow(sourceId: number, trigger: SyncTrigger = 'manual'): Promise<string | null> {
    try {
      const { runId, done } = await this.start(sourceId, trigger);
      await done;
      return runId;
    } catch (error) {
      if (error instanceof ConflictError) return null;
      throw error;
    }
  }

  private async execute(
    source: SourceRow,
    runId: string,
    lock: HeldLock,
    signal: AbortSignal,
  ): Promise<void> {
    const progress: Progress = {
      items: 0,
      pages: 0,
      requests: 0,
      points: 0,
      pointsRemaining: null,
      estimatedFinish: null,
    };
    let flushed = 0;
    const flush = async () => {
      flushed = Date.now();
      await this.repository.updateProgress(runId, progress);
    };
    try {
      const collector = collectorOf(this.collectors, source.kind);
      if (!collector) throw new Error(`No collector handles sources of kind "${source.kind}".`);
      const stored = await this.repository.cursors(source.id);
      const cursors = new Map(stored.map((c) => [`${c.resource}\u0000${c.scope}`, c.cursor]));
      const context: CollectorContext = {
        cursor: <T>(resource: string, scope = '') =>
          cursors.get(`${resource}\u0000${scope}`) as T | undefined,
        // Only what the source may read: never a server secret, whatever its stored config says.
        secret: (name) =>
          name &&
          sourceEnvProblems({ name_env: name }, this.config.file, source.origin).length === 0
            ? this.config.secret(name)
            : undefined,
        progress: (delta) => {
          progress.items += delta.items ?? 0;
          progress.pages += delta.pages ?? 0;
          progress.requests += delta.requests ?? 0;
          progress.points += delta.points ?? 0;
          if (delta.pointsRemaining !== undefined) progress.pointsRemaining = delta.pointsRemaining;
          if (delta.estimatedFinish !== undefined) progress.estimatedFinish = delta.estimatedFinish;
          if (Date.now() - flushed > PROGRESS_FLUSH_MS) void flush().catch(() => undefined);
        },
        now: () => new Date(),
        signal,
      };
      for await (const batch of collector.collect(source.config, context)) {
        if (signal.aborted)
          throw new Error('The sync was stopped because the server is shutting down.');
        const events = batch.events.map((event) =>
          event.source ? event : { ...event, source: source.name },
        );
        const updates = batch.cursors.map((c) => ({
          resource: c.resource,
          scope: c.scope ?? '',
          value: c.value,
        }));
        await this.dataSource.transaction(async (manager) => {
          await this.ingest.write(manager, events);
          await this.repository.saveCursors(manager, source.id, updates);
          await this.repository.updateProgress(runId, progress, manager);
        });
        for (const update of updates)
          cursors.set(`${update.resource}\u0000${update.scope}`, update.value);
      }
      await flush();
      await this.repository.finishRun(runId, 'succeeded', null);
      this.prometheus.syncRuns.inc({ source: source.name, status: 'succeeded' });
      this.logger.log(
        `sync of "${source.name}" succeeded: ${progress.items} items, ${progress.pages} pages, ${progress.requests} requests${progress.points > 0 ? `, ${progress.points} GraphQL points (${progress.pointsRemaining} left)` : ''}`,
      );
    } catch (error) {
      // An upstream's error may echo the request, token included: scrubbed before it is stored.
      const message = this.config.secrets.scrub((error as Error).message || String(error));
      await flush().catch(() => undefined);
      await this.repository.finishRun(runId, 'failed', message).catch(() => undefined);
      this.prometheus.syncRuns.inc({ source: source.name, status: 'failed' });
      this.prometheus.errors.inc({ where: 'sync' });
      this.logger.warn(`sync of "${source.name}" failed: ${message}`);
    } finally {
      await lock.release();
    }
  }
}
