import type { CollectorContext } from '@lastmile/collectors';
import {
  createMlflowCollector,
  type MlflowSource,
  mlflowSourceSchema,
} from '../../collectors/src/mlflow/index.js';
import { IngestService } from '../../api/src/ingest/ingest.service.js';
import { SourcesRepository } from '../../api/src/sources/sources.repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { MlflowStandIn } from '../support/mlflow-stand-in.js';

// Runs one MLflow poll at a time of the script's choosing, through the same pieces as the sync
// runner (stored cursors in, IngestService.write and the cursors out in one transaction). The
// runner reads the wall clock, and the hand-worked metrics below need each poll at a set time.

export const SOURCE_NAME = 'mlflow-prod';

export function mlflowSource(baseUrl: string, overrides: Partial<MlflowSource> = {}): MlflowSource {
  return mlflowSourceSchema.parse({
    kind: 'mlflow',
    name: SOURCE_NAME,
    base_url: baseUrl,
    production_stages: ['Production'],
    production_aliases: ['production', 'prod', 'champion'],
    ...overrides,
  });
}

export interface PollResult {
  requests: number;
  events: number;
  cursors: number;
  inserted: number;
  updated: number;
}

export async function registerSource(t: TestApp, source: MlflowSource): Promise<number> {
  const row = await t.app
    .get(SourcesRepository)
    .upsert({ ...source, schedule: '0 */10 * * * *' }, 'api', true);
  return row.id;
}

export async function pollAt(
  t: TestApp,
  source: MlflowSource,
  at: string,
  options: {
    env?: Record<string, string>;
    versionsPageSize?: number;
    modelsPageSize?: number;
  } = {},
): Promise<PollResult> {
  const repository = t.app.get(SourcesRepository);
  const ingest = t.app.get(IngestService);
  const row = await repository.findByName(source.name);
  if (!row) throw new Error(`register the source "${source.name}" first`);
  const stored = new Map(
    (await repository.cursors(row.id)).map((c) => [`${c.resource}\u0000${c.scope}`, c.cursor]),
  );
  const result: PollResult = { requests: 0, events: 0, cursors: 0, inserted: 0, updated: 0 };
  const context: CollectorContext = {
    cursor: <T>(resource: string, scope = '') =>
      stored.get(`${resource}\u0000${scope}`) as T | undefined,
    secret: (name) => (name ? options.env?.[name] : undefined),
    progress: (delta) => void (result.requests += delta.requests ?? 0),
    now: () => new Date(at),
    signal: new AbortController().signal,
  };
  const collector = createMlflowCollector({
    versionsPageSize: options.versionsPageSize,
    modelsPageSize: options.modelsPageSize,
  });
  for await (const batch of collector.collect(source, context)) {
    await t.dataSource.transaction(async (manager) => {
      const written = await ingest.write(manager, batch.events);
      await repository.saveCursors(
        manager,
        row.id,
        batch.cursors.map((c) => ({ resource: c.resource, scope: c.scope ?? '', value: c.value })),
      );
      result.inserted += written.inserted;
      result.updated += written.updated;
    });
    result.events += batch.events.length;
    result.cursors += batch.cursors.length;
  }
  return result;
}

/** The app on a fresh schema and a stand-in MLflow, with the source registered under SOURCE_NAME. */
export async function startMlflowTest(): Promise<{ t: TestApp; mlflow: MlflowStandIn }> {
  const t = await createTestApp();
  const mlflow = await new MlflowStandIn().start();
  await registerSource(t, mlflowSource(mlflow.url));
  return { t, mlflow };
}

export async function stopMlflowTest(t: TestApp, mlflow: MlflowStandIn): Promise<void> {
  await mlflow.stop();
  await t.close();
}
