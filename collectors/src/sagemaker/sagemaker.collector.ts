import type { CollectedBatch, Collector, CollectorContext } from '../collector.js';
import { previousRegistry, type PreviousRegistry } from '../model-registry/registry-diff.mapper.js';
import { forEachLimited, registryBatch } from '../model-registry/registry-poll.js';
import type { ModelVersion, RegisteredModel } from '../model-registry/registry-snapshot.js';
import { ProductionRule } from '../model-registry/registry-state.js';
import { type PackageVersion, SagemakerRegistryClient } from './sagemaker.client.js';
import { type SagemakerSource, sagemakerSourceSchema } from './sagemaker.source.js';
import { checkSagemakerSource } from './sagemaker.check.js';

const LABEL = 'SageMaker Model Registry';

export interface SagemakerCollectorOptions {
  /** The SDK's attempts per call (its standard back-off between them). */
  maxAttempts?: number;
  pageSize?: number;
  /** Groups (and packages to describe) read at once. */
  concurrency?: number;
}

export const APPROVED = 'Approved';

/**
 * `approved`: in production while the package is Approved (its approval status is the version's
 * stage). `endpoints`: while a matching InService endpoint serves it (the endpoints serving a
 * version are its aliases, every one of which counts).
 */
export function sagemakerProductionRule(
  source: Pick<SagemakerSource, 'production'>,
): ProductionRule {
  return source.production === 'endpoints'
    ? new ProductionRule({ stages: [], aliases: () => true })
    : new ProductionRule({ stages: [APPROVED], aliases: [] });
}

/**
 * Polls a SageMaker Model Registry and records its history by difference, as for MLflow
 * (metrics.md, "Models"): a package group is a model, a versioned package its version. Listing
 * gives each package's approval status; DescribeModelPackage (for its LastModifiedTime) is asked
 * only of packages new or changed since the stored state, so an unchanged poll costs the lists.
 */
export function createSagemakerCollector(
  options: SagemakerCollectorOptions = {},
): Collector<SagemakerSource> {
  return {
    kind: 'sagemaker',
    label: LABEL,
    schema: sagemakerSourceSchema,
    modelRegistry: true,
    check: checkSagemakerSource,
    display: (source) => ({
      label: LABEL,
      fields: [
        { label: 'Region', value: source.region },
        ...(source.endpoint_url ? [{ label: 'Endpoint', value: source.endpoint_url }] : []),
        {
          label: 'Production',
          value:
            source.production === 'endpoints'
              ? `served by an InService endpoint matching ${source.endpoint_pattern}`
              : 'Approved packages',
        },
      ],
      links: [
        {
          label: 'Model Registry',
          href: `https://${source.region}.console.aws.amazon.com/sagemaker/home?region=${source.region}#/model-registry`,
        },
      ],
    }),
    async *collect(source, context: CollectorContext): AsyncIterable<CollectedBatch> {
      const client = new SagemakerRegistryClient({
        source,
        signal: context.signal,
        onRequest: () => context.progress({ requests: 1 }),
        maxAttempts: options.maxAttempts,
        pageSize: options.pageSize,
      });
      try {
        const previous = previousRegistry(context);
        const concurrency = options.concurrency ?? 8;
        const groups: { name: string; created: number }[] = [];
        for await (const page of client.groups()) {
          context.progress({ pages: 1, items: page.length });
          groups.push(...page);
        }
        const packages: PackageVersion[] = [];
        await forEachLimited(groups, concurrency, async (group) => {
          for await (const page of client.versions(group.name)) {
            context.progress({ pages: 1, items: page.length });
            // A package that failed to be created was never usable: not counted as registered.
            packages.push(...page.filter((p) => p.status !== 'Failed'));
          }
        });
        const updated = await lastModified(client, previous, packages, concurrency);
        const servedBy = new Map<string, string[]>();
        if (source.production === 'endpoints') {
          const served = await client.servedPackages(new RegExp(source.endpoint_pattern!, 'i'));
          for (const [endpoint, arns] of served)
            for (const arn of arns) servedBy.set(arn, [...(servedBy.get(arn) ?? []), endpoint]);
        }
        const present = packages.filter((p) => updated.has(p.arn));
        const models: RegisteredModel[] = groups.map((group) => ({
          name: group.name,
          creation_timestamp: group.created,
          last_updated_timestamp: null,
          aliases: present
            .filter((p) => p.group === group.name)
            .flatMap((p) =>
              (servedBy.get(p.arn) ?? []).map((alias) => ({ alias, version: p.version })),
            ),
        }));
        const versions: ModelVersion[] = present.map((p) => ({
          name: p.group,
          version: p.version,
          creation_timestamp: p.created,
          last_updated_timestamp: updated.get(p.arn)!.updated,
          current_stage: updated.get(p.arn)!.approval,
          run_id: null,
          status: 'READY',
          aliases: [],
        }));
        yield await registryBatch(
          {
            registry: source.name,
            rule: sagemakerProductionRule(source),
            snapshot: { models, versions },
          },
          context,
        );
      } finally {
        client.destroy();
      }
    },
  };
}

export const sagemakerCollector = createSagemakerCollector();

/**
 * Each package's LastModifiedTime and approval status: kept from the stored state while its
 * approval status is unchanged, else described (a package deleted meanwhile is left out).
 */
async function lastModified(
  client: SagemakerRegistryClient,
  previous: PreviousRegistry,
  packages: PackageVersion[],
  concurrency: number,
): Promise<Map<string, { updated: number; approval: string }>> {
  const out = new Map<string, { updated: number; approval: string }>();
  const toDescribe: PackageVersion[] = [];
  for (const p of packages) {
    const key = previous.index?.models[p.group];
    const before =
      key && key.deleted_at === undefined
        ? previous.model(key.key)?.versions[p.version]
        : undefined;
    if (
      before &&
      before.deleted_at === undefined &&
      !before.pending &&
      before.created === p.created &&
      before.stage === p.approval &&
      before.updated !== null
    )
      out.set(p.arn, { updated: before.updated, approval: p.approval });
    else toDescribe.push(p);
  }
  await forEachLimited(toDescribe, concurrency, async (p) => {
    const described = await client.describe(p.arn);
    if (described) out.set(p.arn, described);
  });
  return out;
}
