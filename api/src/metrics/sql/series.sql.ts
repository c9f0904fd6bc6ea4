import { bucketOf, durationStats, periodsCte } from './fragments.sql.js';

// The shapes a metric's items are aggregated into. Each metric file defines its items (one row per
// thing measured, with `at`, the instant that buckets it); these add every period of the range,
// empty ones included, and a summary row (period_start NULL) over the whole range.

/** Items: `at`, `value` (seconds) and one column per breakdown part. */
export function durationSeriesSql(itemsSql: string, breakdown: readonly string[] = []): string {
  return `WITH ${periodsCte},
items AS (${itemsSql})
SELECT periods.period_start, periods.period_end,
  ${[durationStats('items.value'), ...breakdown.map((part) => durationStats(`items.${part}`, `${part}_`))].join(',\n')}
FROM periods LEFT JOIN items ON ${bucketOf('items.at')} = periods.local_start
GROUP BY GROUPING SETS ((periods.period_start, periods.period_end), ())
ORDER BY periods.period_start NULLS LAST`;
}

/**
 * Items: `at`, and for deployments `is_failure`. value = items per period; deploy_days = distinct
 * local days with one; failures = items flagged as failures.
 */
export function countSeriesSql(itemsSql: string): string {
  return `WITH ${periodsCte},
items AS (${itemsSql})
SELECT periods.period_start, periods.period_end,
  count(items.at)::int AS value,
  count(DISTINCT (items.at AT TIME ZONE :tz::text)::date)::int AS deploy_days,
  count(items.at) FILTER (WHERE items.is_failure)::int AS failures,
  count(items.at) FILTER (WHERE items.is_first)::int AS first_time
FROM periods LEFT JOIN items ON ${bucketOf('items.at')} = periods.local_start
GROUP BY GROUPING SETS ((periods.period_start, periods.period_end), ())
ORDER BY periods.period_start NULLS LAST`;
}

/** The per-item values of a duration metric in [from, to), for before/after comparisons. */
export function durationSamplesSql(itemsSql: string): string {
  return `SELECT items.value FROM (${itemsSql}) AS items WHERE items.value IS NOT NULL ORDER BY items.value`;
}
