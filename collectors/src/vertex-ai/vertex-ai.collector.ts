import type { CollectedBatch, Collector, CollectorContext } from '../collector.js';
import { forEachLimited, registryBatch } from '../model-registry/registry-poll.js';
import type { ModelVersion, RegisteredModel } from '../model-registry/registry-snapshot.js';
import { ProductionRule } from '../model-registry/registry-state.js';
import { serviceAccountToken } from './service-account-token.js';
import { VertexAiClient, type VertexHttpOptions, type VertexModel } from './vertex-ai.client.js';
import {
  type VertexAiSource,
  vertexAiSourceSchema,
  vertexApiEndpoint,
} from './vertex-ai.source.js';
import { checkVertexAiSource } from './vertex-ai.check.js';

const LABEL = 'Vertex AI';

export interface VertexAiCollectorOptions extends VertexHttpOptions {
  modelsPageSize?: number;
  versionsPageSize?: number;
  /** Models whose versions are read at once. */
  concurrency?: number;
}

/** "default" marks the version a bare model name resolves to; it never means production. */
const DEFAULT_ALIAS = 'default';

export function vertexProductionRule(
  source: Pick<VertexAiSource, 'production_aliases'>,
): ProductionRule {
  const aliases = new Set(
    source.production_aliases.map((a) => a.toLowerCase()).filter((a) => a !== DEFAULT_ALIAS),
  );
  return new ProductionRule({ stages: [], aliases: (alias) => aliases.has(alias.toLowerCase()) });
}

/**
 * Polls a Vertex AI Model Registry (REST v1) and records its history by difference, as for MLflow
 * (metrics.md, "Models"): a version is in production while it holds one of the source's production
 * aliases. A model is named by its ID (the last segment of its resource name, stable through a
 * display-name change); its display name is kept as its label.
 */
export function createVertexAiCollector(
  options: VertexAiCollectorOptions = {},
): Collector<VertexAiSource> {
  return {
    kind: 'vertex_ai',
    label: LABEL,
    schema: vertexAiSourceSchema,
    modelRegistry: true,
    check: checkVertexAiSource,
    display: (source) => ({
      label: LABEL,
      fields: [
        { label: 'Project', value: `${source.project} · ${source.location}` },
        { label: 'API', value: vertexApiEndpoint(source) },
        { label: 'Production aliases', value: source.production_aliases.join(', ') },
      ],
      links: [
        {
          label: 'Model Registry',
          href: `https://console.cloud.google.com/vertex-ai/models?project=${encodeURIComponent(source.project)}`,
        },
      ],
    }),
    async *collect(source, context: CollectorContext): AsyncIterable<CollectedBatch> {
      const describe = `Vertex AI source "${source.name}"`;
      const token = await serviceAccountToken({
        describe,
        variable: source.credentials_env,
        path: context.secret(source.credentials_env),
        signal: context.signal,
        onRequest: () => context.progress({ requests: 1 }),
      });
      const client = new VertexAiClient({
        ...options,
        source,
        token,
        signal: context.signal,
        onRequest: () => context.progress({ requests: 1 }),
      });
      const listed: VertexModel[] = [];
      for await (const page of client.models()) {
        context.progress({ pages: 1, items: page.length });
        listed.push(...page);
      }
      const models: RegisteredModel[] = [];
      const versions: ModelVersion[] = [];
      await forEachLimited(listed, options.concurrency ?? 8, async (model) => {
        const own: ModelVersion[] = [];
        const aliases: { alias: string; version: string }[] = [];
        for await (const page of client.versions(model)) {
          context.progress({ pages: 1, items: page.length });
          for (const v of page) {
            for (const alias of v.aliases) aliases.push({ alias, version: v.versionId });
            own.push({
              name: model.id,
              version: v.versionId,
              creation_timestamp: v.versionCreateTime,
              last_updated_timestamp: v.versionUpdateTime,
              current_stage: null,
              run_id: null,
              status: null,
              aliases: v.aliases,
            });
          }
        }
        models.push({
          name: model.id,
          label: model.displayName,
          creation_timestamp: model.createTime,
          last_updated_timestamp: model.updateTime,
          aliases,
        });
        versions.push(...own);
      });
      yield await registryBatch(
        {
          registry: source.name,
          rule: vertexProductionRule(source),
          snapshot: { models, versions },
        },
        context,
      );
    },
  };
}

export const vertexAiCollector = createVertexAiCollector();
