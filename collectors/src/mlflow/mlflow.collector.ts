import type { CollectedBatch, Collector, CollectorContext } from '../collector.js';
import { MlflowClient } from './mlflow.client.js';
import { type MlflowSource, mlflowSourceSchema } from './mlflow.source.js';
import type { ModelVersion, RegisteredModel } from './mlflow.types.js';
import { diffRegistry, type PreviousRegistry, runIdsToFetch } from './registry-diff.mapper.js';
import {
  INDEX_CURSOR,
  MODEL_CURSOR,
  type ModelState,
  POLL_CURSOR,
  type PollCursor,
  type RegistryIndex,
} from './registry-state.js';

export interface MlflowCollectorOptions {
  modelsPageSize?: number;
  versionsPageSize?: number;
  /** runs/get requests in flight at once (one per new version's run). */
  runConcurrency?: number;
}

/** Reads the source's stored registry state from the run's cursors. */
export function previousRegistry(context: Pick<CollectorContext, 'cursor'>): PreviousRegistry {
  return {
    poll: context.cursor<PollCursor>(POLL_CURSOR),
    index: context.cursor<RegistryIndex>(INDEX_CURSOR),
    model: (key) => context.cursor<ModelState>(MODEL_CURSOR, key),
  };
}

/**
 * Polls an MLflow registry and records its history by difference (metrics.md, "Models"): the
 * whole registry is read, then compared with the stored state, and the events and the new state
 * are yielded as one batch at the end, so a poll that fails halfway changes nothing.
 */
export function createMlflowCollector(
  options: MlflowCollectorOptions = {},
): Collector<MlflowSource> {
  return {
    kind: 'mlflow',
    schema: mlflowSourceSchema,
    modelRegistry: true,
    display: (source) => ({
      label: 'MLflow',
      fields: [
        { label: 'Production stages', value: source.production_stages.join(', ') },
        { label: 'Production aliases', value: source.production_aliases.join(', ') },
      ],
      links: [{ label: 'Registry', href: source.base_url }],
    }),
    async *collect(source: MlflowSource, context: CollectorContext): AsyncIterable<CollectedBatch> {
      const now = context.now().getTime();
      const client = new MlflowClient({
        source,
        secret: (name) => context.secret(name),
        signal: context.signal,
        onRequest: () => context.progress({ requests: 1 }),
        modelsPageSize: options.modelsPageSize,
        versionsPageSize: options.versionsPageSize,
      });
      const models: RegisteredModel[] = [];
      for await (const page of client.registeredModels()) {
        models.push(...page.items);
        context.progress({ pages: 1, items: page.items.length });
      }
      const versions: ModelVersion[] = [];
      for await (const page of client.modelVersions()) {
        // A version whose registration failed was never usable: it is not counted as registered.
        versions.push(...page.items.filter((version) => version.status !== 'FAILED_REGISTRATION'));
        context.progress({ pages: 1, items: page.items.length });
      }
      const snapshot = { models, versions };
      const previous = previousRegistry(context);
      const runStarts = new Map<string, number | null>();
      const runIds = runIdsToFetch(previous, snapshot, now);
      await forEachLimited(runIds, options.runConcurrency ?? 8, async (runId) => {
        const run = await client.run(runId);
        runStarts.set(runId, run?.start_time ?? null);
      });
      yield diffRegistry(source, previous, snapshot, runStarts, now);
    },
  };
}

export const mlflowCollector = createMlflowCollector();

async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (!failed && next < items.length) await work(items[next++]);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
