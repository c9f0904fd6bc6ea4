import type { ScopeQuery } from '../lib/url-state';

/** Drill-down lists take the metrics' filters but no granularity, plus a page size. */
export const drillDownParams = (
  { granularity: _granularity, ...scope }: ScopeQuery,
  limit: number,
) => ({ ...scope, limit });
