import type { EntityManager } from 'typeorm';

/** Whether a deployment of a source, to an environment, counts as production. */
export type ProductionRule = (source: string, environment: string) => boolean;

/**
 * metrics.md "Production": a deployment counts when its environment matches its source's pattern,
 * case-insensitive. A GitHub source has its own (`production_environment`); a deployment from any
 * other source (the ingest API's `api`, or a name a sender chose) follows the config file's. One
 * rule, whichever way the deployment arrived (the ingest API, a sync, a webhook), and for the
 * deployments already stored when a pattern changes.
 */
export async function productionRule(
  manager: EntityManager,
  sources: Iterable<string>,
  fallback: string,
): Promise<ProductionRule> {
  const names = [...new Set(sources)];
  const rows: { name: string; pattern: string | null }[] =
    names.length === 0
      ? []
      : await manager.query(
          `SELECT name, config->>'production_environment' AS pattern
           FROM sources WHERE kind = 'github' AND name = ANY($1::text[])`,
          [names],
        );
  const byDefault = new RegExp(fallback, 'i');
  const patterns = new Map(
    rows.map((row) => [row.name, row.pattern ? new RegExp(row.pattern, 'i') : byDefault]),
  );
  return (source, environment) => (patterns.get(source) ?? byDefault).test(environment);
}
