import {
  CollectorError,
  type CollectedBatch,
  type Collector,
  type CollectorContext,
} from '../collector.js';
import { forEachLimited, registryBatch } from '../model-registry/registry-poll.js';
import type { ModelVersion, RegisteredModel } from '../model-registry/registry-snapshot.js';
import { ProductionRule } from '../model-registry/registry-state.js';
import {
  DatabricksUcClient,
  type UcHttpOptions,
  type UcRegisteredModel,
} from './databricks-uc.client.js';
import { type DatabricksUcSource, databricksUcSourceSchema } from './databricks-uc.source.js';
import { checkDatabricksUcSource } from './databricks-uc.check.js';

const LABEL = 'Databricks Unity Catalog';

export interface DatabricksUcCollectorOptions extends UcHttpOptions {
  modelsPageSize?: number;
  versionsPageSize?: number;
  /** Models read at once (each: its aliases, then its versions). */
  concurrency?: number;
}

/**
 * Polls a Unity Catalog model registry (REST API 2.1) and records its history by difference, as
 * for MLflow (metrics.md, "Models"). Unity Catalog has aliases and no stages: a version is in
 * production while it holds one of the source's production aliases. Models are named by their
 * three-level full name.
 */
export function createDatabricksUcCollector(
  options: DatabricksUcCollectorOptions = {},
): Collector<DatabricksUcSource> {
  return {
    kind: 'databricks_uc',
    label: LABEL,
    schema: databricksUcSourceSchema,
    modelRegistry: true,
    check: checkDatabricksUcSource,
    display: (source) => ({
      label: LABEL,
      fields: [
        {
          label: 'Models in',
          value:
            [...(source.catalogs ?? []), ...(source.schemas ?? [])].join(', ') ||
            'every catalog the token can read',
        },
        { label: 'Production aliases', value: source.production_aliases.join(', ') },
      ],
      links: [{ label: 'Workspace', href: source.host }],
    }),
    async *collect(source, context: CollectorContext): AsyncIterable<CollectedBatch> {
      const token = context.secret(source.token_env);
      if (!token)
        throw new CollectorError(
          `Unity Catalog source "${source.name}": the environment variable ${source.token_env} is not set.`,
        );
      const client = new DatabricksUcClient({
        ...options,
        source,
        token,
        signal: context.signal,
        onRequest: () => context.progress({ requests: 1 }),
      });
      const listed = await listModels(client, source, context);
      const models: RegisteredModel[] = [];
      const versions: ModelVersion[] = [];
      await forEachLimited(listed, options.concurrency ?? 8, async (listedModel) => {
        const model = await client.model(listedModel.full_name);
        if (!model) return; // deleted since it was listed: the next poll sees it gone
        const own: ModelVersion[] = [];
        for await (const page of client.versions(model.full_name)) {
          context.progress({ pages: 1, items: page.length });
          for (const v of page) {
            // A version whose registration failed was never usable: not counted as registered.
            if (v.status === 'FAILED_REGISTRATION') continue;
            own.push({
              name: model.full_name,
              version: v.version,
              creation_timestamp: v.created_at,
              last_updated_timestamp: v.updated_at,
              current_stage: null,
              run_id: v.run_id,
              status: v.status,
              aliases: [],
            });
          }
        }
        models.push({
          name: model.full_name,
          creation_timestamp: model.created_at,
          last_updated_timestamp: model.updated_at,
          aliases: model.aliases.map((a) => ({
            alias: a.alias_name,
            version: String(a.version_num),
          })),
        });
        versions.push(...own);
      });
      yield await registryBatch(
        {
          registry: source.name,
          rule: new ProductionRule({ stages: [], aliases: source.production_aliases }),
          snapshot: { models, versions },
          runStart: (runId) => client.runStart(runId),
        },
        context,
      );
    },
  };
}

export const databricksUcCollector = createDatabricksUcCollector();

/** The models the source covers: its schemas' (listed by schema), its catalogs', or all. */
async function listModels(
  client: DatabricksUcClient,
  source: DatabricksUcSource,
  context: CollectorContext,
): Promise<UcRegisteredModel[]> {
  const catalogs = new Set((source.catalogs ?? []).map((c) => c.toLowerCase()));
  const schemas = new Set((source.schemas ?? []).map((s) => s.toLowerCase()));
  // Unity Catalog lists by schema, or the whole metastore: catalogs are filtered from the latter.
  const scopes: (string | undefined)[] =
    catalogs.size === 0 && schemas.size > 0 ? [...schemas] : [undefined];
  const covered = (model: UcRegisteredModel) =>
    (catalogs.size === 0 && schemas.size === 0) ||
    catalogs.has(model.catalog_name.toLowerCase()) ||
    schemas.has(`${model.catalog_name}.${model.schema_name}`.toLowerCase());
  const byName = new Map<string, UcRegisteredModel>();
  for (const scope of scopes) {
    for await (const page of client.models(scope)) {
      context.progress({ pages: 1, items: page.length });
      for (const model of page) if (covered(model)) byName.set(model.full_name, model);
    }
  }
  return [...byName.values()];
}
