import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { LastmileEvent } from '@lastmile/collectors';
import { PayloadTooLargeError, ValidationFailedError } from '../common/errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { LinkingService } from '../linking/linking.service.js';
import { PrometheusService } from '../observability/prometheus.service.js';
import { type AffectedScope, IngestRepository, type UpsertCounts } from './ingest.repository.js';
import { validateEvents } from './event.schema.js';

export const MAX_EVENTS_PER_BATCH = 10_000;

export interface IngestResult extends UpsertCounts {
  accepted: number;
}

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
    const { events: valid, errors } = validateEvents(events, pathOf);
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return this.dataSource.transaction((manager) => this.write(manager, valid));
  }

  /** Writes already-valid events inside the caller's transaction (collectors, webhooks). */
  async write(manager: EntityManager, events: LastmileEvent[]): Promise<IngestResult> {
    // Batches are parsed and validated side by side; they write and link one at a time.
    await this.linking.lock(manager);
    const latest = new Map<string, LastmileEvent>();
    // Within one batch, a later version of the same event replaces an earlier one.
    for (const event of events)
      latest.set(`${event.type}\u0000${event.source ?? 'api'}\u0000${event.id}`, event);
    const byType = groupByType([...latest.values()]);
    const affected: AffectedScope = {
      pullRequestIds: [],
      deploymentIds: [],
      incidentIds: [],
      repos: new Set(),
      models: new Set(),
    };
    const counts = [
      await this.repository.upsertPullRequests(manager, byType.pull_request, affected),
      await this.repository.upsertDeployments(
        manager,
        byType.deployment,
        affected,
        this.config.file.production_environment,
      ),
      await this.repository.upsertIncidents(manager, byType.incident, affected),
      await this.repository.upsertModelVersions(manager, byType.model_version, affected),
      await this.repository.upsertModelStages(manager, byType.model_stage, affected),
    ];
    await this.linking.relink(manager, affected);
    const total = counts.reduce(
      (sum, c) => ({
        inserted: sum.inserted + c.inserted,
        updated: sum.updated + c.updated,
        unchanged: sum.unchanged + c.unchanged,
      }),
      { inserted: 0, updated: 0, unchanged: 0 },
    );
    // Duplicates inside the batch count as unchanged: they were accepted and changed nothing more.
    total.unchanged += events.length - latest.size;
    this.prometheus.eventsIngested.inc(total.inserted + total.updated);
    return { accepted: events.length, ...total };
  }
}

type EventsByType = { [K in LastmileEvent['type']]: Extract<LastmileEvent, { type: K }>[] };

function groupByType(events: LastmileEvent[]): EventsByType {
  const groups: EventsByType = {
    pull_request: [],
    deployment: [],
    incident: [],
    model_version: [],
    model_stage: [],
  };
  for (const event of events) (groups[event.type] as LastmileEvent[]).push(event);
  return groups;
}
