import type { CollectedBatch, Collector, CollectorContext } from '../collector.js';
import { registryBatch } from '../model-registry/registry-poll.js';
import { ProductionRule } from '../model-registry/registry-state.js';
import { checkMlflowSource } from './mlflow.check.js';
import { MlflowClient } from './mlflow.client.js';
import { type MlflowSource, mlflowSourceSchema } from './mlflow.source.js';
import type { ModelVersion, RegisteredModel } from './mlflow.types.js';

const LABEL = 'MLflow';

export interface MlflowCollectorOptions {
  modelsPageSize?: number;
  versionsPageSize?: number;
  /** runs/get requests in flight at once (one per new version's run). */
  runConcurrency?: number;
}

/** A version is in production in an MLflow stage or holding an alias the source names. */
export function mlflowProductionRule(
  source: Pick<MlflowSource, 'production_stages' | 'production_aliases'>,
): ProductionRule {
  return new ProductionRule({
    stages: source.production_stages,
    aliases: source.production_aliases,
  });
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
    label: LABEL,
    schema: mlflowSourceSchema,
    modelRegistry: true,
    display: (source) => ({
      label: LABEL,
      fields: [
        { label: 'Production stages', value: source.production_stages.join(', ') },
        { label: 'Production aliases', value: source.production_aliases.join(', ') },
      ],
      links: [{ label: 'Registry', href: source.base_url }],
    }),
    check: checkMlflowSource,
    async *collect(source: MlflowSource, context: CollectorContext): AsyncIterable<CollectedBatch> {
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
      yield await registryBatch(
        {
          registry: source.name,
          rule: mlflowProductionRule(source),
          snapshot: { models, versions },
          runStart: async (runId) => (await client.run(runId))?.start_time ?? null,
          runConcurrency: options.runConcurrency,
        },
        context,
      );
    },
  };
}

export const mlflowCollector = createMlflowCollector();
