import type { SourceConfig } from '../../api/src/config/config.js';
import request from 'supertest';
import type { Collector, CollectorContext, SourceBase } from '@lastmile/collectors';
import { IngestService } from '../../api/src/ingest/ingest.service.js';
import { SourcesRepository } from '../../api/src/sources/sources.repository.js';
import type { TestApp } from '../support/app.js';

// Runs one poll of a registry collector at a time of the script's choosing, through the same
// pieces as the sync runner (stored cursors in; IngestService.write and the cursors out in one
// transaction). The runner reads the wall clock, and hand-worked metrics need each poll at a set
// time. Also: the rows and metrics the registry tests compare with hand-worked values.

export interface PollResult {
  requests: number;
  pages: number;
  items: number;
  events: number;
  cursors: number;
  inserted: number;
  updated: number;
  error?: Error;
}

export async function registerSource(t: TestApp, source: SourceBase): Promise<number> {
  const row = await t.app.get(SourcesRepository).upsert(source as SourceConfig, 'api', true);
  return row.id;
}

export async function pollAt<S extends SourceBase>(
  t: TestApp,
  collector: Collector<S>,
  source: S,
  at: string,
  env: Record<string, string | undefined> = {},
): Promise<PollResult> {
  const repository = t.app.get(SourcesRepository);
  const ingest = t.app.get(IngestService);
  const row = await repository.findByName(source.name);
  if (!row) throw new Error(`register the source "${source.name}" first`);
  const stored = new Map(
    (await repository.cursors(row.id)).map((c) => [`${c.resource}\u0000${c.scope}`, c.cursor]),
  );
  const result: PollResult = {
    requests: 0,
    pages: 0,
    items: 0,
    events: 0,
    cursors: 0,
    inserted: 0,
    updated: 0,
  };
  const context: CollectorContext = {
    cursor: <T>(resource: string, scope = '') =>
      stored.get(`${resource}\u0000${scope}`) as T | undefined,
    secret: (name) => (name ? env[name] : undefined),
    progress: (delta) => {
      result.requests += delta.requests ?? 0;
      result.pages += delta.pages ?? 0;
      result.items += delta.items ?? 0;
    },
    now: () => new Date(at),
    signal: new AbortController().signal,
  };
  try {
    for await (const batch of collector.collect(source, context)) {
      await t.dataSource.transaction(async (manager) => {
        const written = await ingest.write(manager, batch.events);
        await repository.saveCursors(
          manager,
          row.id,
          batch.cursors.map((c) => ({
            resource: c.resource,
            scope: c.scope ?? '',
            value: c.value,
          })),
        );
        result.inserted += written.inserted;
        result.updated += written.updated;
      });
      result.events += batch.events.length;
      result.cursors += batch.cursors.length;
    }
  } catch (error) {
    result.error = error as Error;
  }
  return result;
}

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString().replace('.000Z', 'Z');

/** "model version action at precision seconds", in time order. */
export async function stageEvents(t: TestApp, registry: string): Promise<string[]> {
  const rows: {
    model: string;
    version: string;
    action: string;
    at: Date;
    at_precision: string;
    precision_seconds: number | null;
  }[] = await t.dataSource.query(
    `SELECT model, version, action, at, at_precision, precision_seconds FROM model_stage_events
     WHERE registry = $1 ORDER BY at, model, version, action`,
    [registry],
  );
  return rows.map((e) =>
    [e.model, e.version, e.action, iso(e.at), e.at_precision, e.precision_seconds].join(' '),
  );
}

/** "model/version start -> end|now", by start. */
export async function intervals(t: TestApp, registry: string): Promise<string[]> {
  const rows: { model: string; version: string; started_at: Date; ended_at: Date | null }[] =
    await t.dataSource.query(
      `SELECT model, version, started_at, ended_at FROM model_production_intervals
       WHERE registry = $1 ORDER BY started_at, model, version`,
      [registry],
    );
  return rows.map(
    (i) => `${i.model}/${i.version} ${iso(i.started_at)} -> ${iso(i.ended_at) ?? 'now'}`,
  );
}

export async function versionRow(
  t: TestApp,
  registry: string,
  model: string,
  version: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await t.dataSource.query(
    `SELECT native_id, created_at, run_id, run_started_at, current_stage, aliases,
       last_updated_at, deleted_at, raw->'registry_state'->>'label' AS label
     FROM model_versions WHERE registry = $1 AND model = $2 AND version = $3`,
    [registry, model, version],
  );
  return row
    ? {
        ...row,
        created_at: iso(row.created_at),
        run_started_at: iso(row.run_started_at),
        last_updated_at: iso(row.last_updated_at),
        deleted_at: iso(row.deleted_at),
      }
    : undefined;
}

export interface ModelMetrics {
  inProduction: number[];
  current: number;
  promotions: number[];
  firstTime: number;
  total: number;
  lead: { count: number; median: number | null; mean: number | null };
  runToRegistered: { count: number; median: number | null; mean: number | null };
  iteration: { count: number; median: number | null };
}

/** The model metrics by day over Mon 2026-01-05 .. Sat 2026-01-10, from the metrics API. */
export async function modelMetrics(t: TestApp, model?: string): Promise<ModelMetrics> {
  const metric = async (name: string) =>
    (
      await request(t.http)
        .get(`/api/v1/metrics/${name}`)
        .query({
          from: '2026-01-05',
          to: '2026-01-10',
          granularity: 'day',
          ...(model ? { model } : {}),
        })
        .expect(200)
    ).body;
  const [inProduction, promotions, lead, iteration] = await Promise.all(
    [
      'models_in_production',
      'model_promotions',
      'model_release_lead_time',
      'model_iteration_time',
    ].map(metric),
  );
  const stats = (s: { count: number; median: number | null; mean: number | null }) => ({
    count: s.count,
    median: s.median,
    mean: s.mean,
  });
  return {
    inProduction: inProduction.series.map((p: { value: number }) => p.value),
    current: inProduction.summary.current,
    promotions: promotions.series.map((p: { value: number }) => p.value),
    firstTime: promotions.summary.first_time_models,
    total: promotions.summary.total,
    lead: stats(lead.summary),
    runToRegistered: stats(lead.summary.breakdown.run_to_registered),
    iteration: { count: iteration.summary.count, median: iteration.summary.median },
  };
}
