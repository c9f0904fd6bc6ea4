import type { EntityManager } from 'typeorm';
import { collectorOf } from '@lastmile/collectors';
import type { AppConfig, SourceConfig } from '../config/config.js';

/** Whether a deployment of a source, to an environment, counts as production. */
export type ProductionRule = (source: string, environment: string) => boolean;

/**
 * metrics.md "Production": a deployment counts when its environment matches its source's pattern,
 * case-insensitive. A source whose kind carries its own pattern (GitHub's `production_environment`)
 * is asked through its collector; a deployment from any other source (the ingest API's `api`, or a
 * name a sender chose) follows the config file's. One rule, whichever way the deployment arrived
 * (the ingest API, a sync, a webhook), and for the deployments already stored when a pattern
 * changes.
 */
export async function productionRule(
  manager: EntityManager,
  sources: Iterable<string>,
  config: Pick<AppConfig, 'file' | 'collectors'>,
): Promise<ProductionRule> {
  const names = [...new Set(sources)];
  const rows: { name: string; kind: string; config: SourceConfig }[] =
    names.length === 0
      ? []
      : await manager.query(`SELECT name, kind, config FROM sources WHERE name = ANY($1::text[])`, [
          names,
        ]);
  const byDefault = new RegExp(config.file.production_environment, 'i');
  const patterns = new Map<string, RegExp>();
  for (const row of rows) {
    const pattern = collectorOf(config.collectors, row.kind)?.productionEnvironment?.(row.config);
    if (pattern) patterns.set(row.name, new RegExp(pattern, 'i'));
  }
  return (source, environment) => (patterns.get(source) ?? byDefault).test(environment);
}
