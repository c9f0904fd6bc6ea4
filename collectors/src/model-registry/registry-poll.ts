import type { CollectedBatch, CollectorContext } from '../collector.js';
import {
  diffRegistry,
  previousRegistry,
  type RegistrySnapshot,
  runIdsToFetch,
} from './registry-diff.mapper.js';
import type { ProductionRule } from './registry-state.js';

export interface RegistryPoll {
  /** The registry's name in events: the source's. */
  registry: string;
  rule: ProductionRule;
  /** The whole registry as this poll read it. */
  snapshot: RegistrySnapshot;
  /** A run's start (epoch ms), or null when it is gone or unreadable; absent: no runs to read. */
  runStart?(runId: string): Promise<number | null>;
  /** runStart calls in flight at once. */
  runConcurrency?: number;
}

/**
 * One poll of a model registry, by difference from the state kept in the cursors (metrics.md,
 * "Models"): the first poll takes the present state, later ones record what changed, and the
 * events and the new state come as one batch, so a poll that fails halfway changes nothing. Run
 * starts are read once per version, for versions not seen before.
 */
export async function registryBatch(
  poll: RegistryPoll,
  context: Pick<CollectorContext, 'cursor' | 'now'>,
): Promise<CollectedBatch> {
  const now = context.now().getTime();
  const previous = previousRegistry(context);
  const runStarts = new Map<string, number | null>();
  if (poll.runStart) {
    const runStart = (runId: string) => poll.runStart!(runId);
    const runIds = runIdsToFetch(previous, poll.snapshot, now);
    await forEachLimited(runIds, poll.runConcurrency ?? 8, async (runId) => {
      runStarts.set(runId, await runStart(runId));
    });
  }
  return diffRegistry(poll.registry, poll.rule, previous, poll.snapshot, runStarts, now);
}

/** Runs `work` over the items, `limit` at a time; the first failure stops the rest. */
export async function forEachLimited<T>(
  items: readonly T[],
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
