import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { LastmileEvent } from '@lastmile/collectors';
import { PayloadTooLargeError, ValidationFailedError } from '../common/errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LinkingService } from '../linking/linking.service.js';
import { PrometheusService } from '../observability/prometheus.service.js';
import {
  type AffectedScope,
  IngestRepository,
  type PreparedBatch,
  prepareBatch,
} from './ingest.repository.js';
import { storableProblems, validateEvents } from './event.schema.js';
import type { IngestResult } from './ingest.contract.js';

export const MAX_EVENTS_PER_BATCH = 10_000;

/** The phases of a batch timed in lastmile_ingest_phase_seconds, in the order they run. */
export const INGEST_PHASES = ['validate', 'prepare', 'lock', 'write', 'link'] as const;

export type { IngestResult } from './ingest.contract.js';

@Injectable()
export class IngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: IngestRepository,
    private readonly linking: LinkingService,
    private readonly prometheus: PrometheusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Validates a whole request body's events; one bad event rejects them all. */
  async ingestUntrusted(
    events: unknown[],
    pathOf?: (index: number) => string,
  ): Promise<IngestResult> {
    if (events.length > MAX_EVENTS_PER_BATCH) {
      throw new PayloadTooLargeError(
        `A batch holds at most ${MAX_EVENTS_PER_BATCH.toLocaleString('en')} events; this one has ${events.length.toLocaleString('en')}. Split it.`,
      );
    }
    const { events: valid, errors } = this.timed('validate', () => validateEvents(events, pathOf));
    if (errors.length > 0) throw new ValidationFailedError(errors);
    // Built before the transaction: a batch sent beside another builds its rows while the other
    // holds the linking lock.
    const batch = this.timed('prepare', () => prepareBatch(valid));
    return this.dataSource.transaction((manager) => this.writePrepared(manager, batch));
  }

  /** Writes already-valid events inside the caller's transaction (collectors, webhooks). */
  async write(manager: EntityManager, events: LastmileEvent[]): Promise<IngestResult> {
    return this.writePrepared(manager, prepareBatch(events));
  }

  /**
   * Writes what a webhook mapped from a payload, inside the caller's transaction, when it meets
   * the ingest API's rules; else a 400 naming each field, and nothing is written. `payload` names
   * it in the message ('The signed "push" payload'), `event` in each field's path.
   */
  async writeDelivered(
    manager: EntityManager,
    events: LastmileEvent[],
    described: { payload: string; event: string },
  ): Promise<IngestResult> {
    const errors = storableProblems(events, (index) => `${described.event} event ${index}`);
    if (errors.length > 0)
      throw new ValidationFailedError(
        errors,
        `${described.payload} holds values that cannot be stored; nothing was written.`,
      );
    return this.write(manager, events);
  }

  private async writePrepared(manager: EntityManager, batch: PreparedBatch): Promise<IngestResult> {
    // Batches are parsed, validated and built side by side; they write and link one at a time.
    await this.timed('lock', () => this.linking.lock(manager));
    const affected: AffectedScope = {
      pullRequestIds: [],
      deploymentIds: [],
      incidentIds: [],
      repos: new Set(),
      models: new Set(),
    };
    const counts = await this.timed('write', async () => [
      await this.repository.upsertPullRequests(manager, batch.pullRequests, affected),
      await this.repository.upsertDeployments(manager, batch.deployments, affected, this.config),
      await this.repository.upsertIncidents(manager, batch.incidents, affected),
      await this.repository.upsertModelVersions(manager, batch.modelVersions, affected),
      await this.repository.upsertModelStages(manager, batch.modelStages, affected),
    ]);
    await this.timed('link', () => this.linking.relink(manager, affected));
    const total = counts.reduce(
      (sum, c) => ({
        inserted: sum.inserted + c.inserted,
        updated: sum.updated + c.updated,
        unchanged: sum.unchanged + c.unchanged,
      }),
      { inserted: 0, updated: 0, unchanged: 0 },
    );
    // Duplicates inside the batch count as unchanged: they were accepted and changed nothing more.
    total.unchanged += batch.duplicates;
    this.prometheus.eventsIngested.inc(total.inserted + total.updated);
    return { accepted: batch.size, ...total };
  }

  /** Runs one phase of a batch and records its time (lastmile_ingest_phase_seconds). */
  private timed<T>(phase: (typeof INGEST_PHASES)[number], work: () => T): T {
    const done = this.prometheus.ingestPhase.startTimer({ phase });
    const result = work();
    if (result instanceof Promise) return result.finally(done) as T;
    done();
    return result;
  }
}
