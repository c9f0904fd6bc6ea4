import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the server itself (not the product's metrics). */
@Injectable()
export class PrometheusService {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'lastmile_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'lastmile_events_ingested_total',
    help: 'Events inserted or updated, from the ingest API, collectors and webhooks',
    registers: [this.registry],
  });
  /** Where a batch's time goes, from validation to linking; `lock` is the wait for the batch
   * ahead of it to commit. Outside these are reading and parsing the body, and admission. */
  readonly ingestPhase = new Histogram({
    name: 'lastmile_ingest_phase_seconds',
    help: 'Time of each ingest phase per batch: validate, prepare, lock, write, link',
    labelNames: ['phase'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly syncRuns = new Counter({
    name: 'lastmile_sync_runs_total',
    help: 'Finished sync runs by source and status',
    labelNames: ['source', 'status'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'lastmile_errors_total',
    help: 'Errors by where they happened (http 5xx, sync, delivery)',
    labelNames: ['where'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
