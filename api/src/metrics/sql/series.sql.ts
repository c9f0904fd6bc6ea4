import {
  DURATION_STATS,
  bucketOf,
  durationStats,
  periodsCte,
  periodsOf,
  periodsSql,
} from './fragments.sql.js';

// The shapes a metric's items are aggregated into. Each metric file defines its items (one row per
// thing measured, with `at`, the instant that buckets it); these add every period of the range,
// empty ones included, and a summary row (period_start NULL) over the whole range.

/**
 * How a duration metric's items meet their periods.
 * - `range-scan`: the periods are taken in order and each one's items read by a range of `at`, so
 *   they reach the aggregation grouped by period. For items that are rows of one large table with
 *   an index on `at`: a year of the benchmark's PRs (171,000) skips a sort of every item by its
 *   period, and lead_time_for_changes took 104-107 ms instead of 145-151 ms (psql, medians).
 *   The scan is fenced (OFFSET 0) so that it runs once per period: left to itself, PostgreSQL
 *   read a team's items once and compared each with every period.
 * - `bucket`: each item's local period is computed and the items sorted by it. For small sets,
 *   and for items built by window functions (the model metrics), which cannot be read by a range:
 *   filtering them per period took 55 ms against 47 ms for the sort.
 */
export type PeriodMatch = 'range-scan' | 'bucket';

/** Items: `at`, `value` (seconds) and one column per breakdown part. */
export function durationSeriesSql(
  itemsSql: string,
  breakdown: readonly string[],
  match: PeriodMatch,
): string {
  const parts = [
    { column: 'value', prefix: '' },
    ...breakdown.map((part) => ({ column: part, prefix: `${part}_` })),
  ];
  const names = parts.flatMap(({ prefix }) => DURATION_STATS.map((stat) => `${prefix}${stat}`));
  const grouped =
    match === 'range-scan'
      ? {
          bucket: 'ordered.local_start',
          from: `(${periodsSql} ORDER BY local_start) AS ordered
  CROSS JOIN LATERAL (SELECT * FROM items
    WHERE items.at >= ordered.period_start AND items.at < ordered.period_end OFFSET 0) AS items`,
        }
      : { bucket: bucketOf('items.at'), from: 'items' };
  return `WITH ${periodsCte},
items AS (${itemsSql}),
stats AS (
  SELECT ${grouped.bucket} AS bucket, grouping(${grouped.bucket}) = 1 AS is_summary,
    ${parts.map(({ column, prefix }) => durationStats(`items.${column}`, prefix)).join(',\n')}
  FROM ${grouped.from}
  GROUP BY GROUPING SETS ((${grouped.bucket}), ())
)
SELECT periods.period_start, periods.period_end, periods.whole,
  ${names.map((name) => (name.endsWith('count') ? `coalesce(stats.${name}, 0) AS ${name}` : `stats.${name}`)).join(', ')}
FROM periods LEFT JOIN stats ON stats.bucket = periods.local_start AND NOT stats.is_summary
UNION ALL
SELECT NULL, NULL, NULL, ${names.map((name) => `stats.${name}`).join(', ')}
FROM stats WHERE stats.is_summary
ORDER BY 1 NULLS LAST`;
}

/**
 * Items: `at`, `is_failure` and `is_first`. value = items per period; deploy_days = distinct local
 * days with one; failures and first_time = items so flagged. Items are first counted per local day
 * with hash aggregation (no sort of every item), then per period; a day never spans two periods,
 * so the range's deploy-days are the sum of the periods'. Each item's local time is taken once and
 * its period found once per day: per item, the two time zone conversions were a tenth of the time.
 *
 * With `deployDays`, every row also carries median_deploy_days_per_week and _per_month: the
 * median of the deploy-days of the weeks (months) wholly inside [from, to), zeros included, NULL
 * with none. They are counted from the same days, whatever the query's granularity: a second
 * statement per granularity read every item again.
 */
export function countSeriesSql(itemsSql: string, { deployDays = false } = {}): string {
  const medianOver = (granularity: 'week' | 'month') => `(
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY whole.deploy_days)
    FROM (
      SELECT count(per_day.day)::float8 AS deploy_days
      FROM (${periodsOf(`'${granularity}'`)}) AS p
      LEFT JOIN per_day ON date_trunc('${granularity}', per_day.day) = p.local_start
      WHERE p.whole
      GROUP BY p.local_start
    ) AS whole)`;
  return `WITH ${periodsCte},
items AS (${itemsSql}),
per_day AS MATERIALIZED (
  SELECT local.day, ${bucketOf('local.day', { local: true })} AS bucket,
    count(*) AS value,
    count(*) FILTER (WHERE local.is_failure) AS failures,
    count(*) FILTER (WHERE local.is_first) AS first_time
  FROM (SELECT date_trunc('day', items.at AT TIME ZONE :tz::text) AS day, items.is_failure, items.is_first
        FROM items) AS local
  GROUP BY local.day
)
SELECT periods.period_start, periods.period_end, periods.whole,
  coalesce(sum(per_day.value), 0)::int AS value,
  count(per_day.bucket)::int AS deploy_days,
  coalesce(sum(per_day.failures), 0)::int AS failures,
  coalesce(sum(per_day.first_time), 0)::int AS first_time${
    deployDays
      ? `,
  ${medianOver('week')} AS median_deploy_days_per_week,
  ${medianOver('month')} AS median_deploy_days_per_month`
      : ''
  }
FROM periods LEFT JOIN per_day ON per_day.bucket = periods.local_start
GROUP BY GROUPING SETS ((periods.period_start, periods.period_end, periods.whole), ())
ORDER BY periods.period_start NULLS LAST`;
}

/** The per-item values of a duration metric in [from, to), for before/after comparisons. */
export function durationSamplesSql(itemsSql: string): string {
  return `SELECT items.value FROM (${itemsSql}) AS items WHERE items.value IS NOT NULL ORDER BY items.value`;
}

/** The same values with the start of their ISO week (UTC, epoch seconds), for weekly medians. */
export function durationSamplesByWeekSql(itemsSql: string): string {
  return `SELECT items.value, extract(epoch FROM date_trunc('week', items.at AT TIME ZONE 'UTC'))::float8 AS week
FROM (${itemsSql}) AS items WHERE items.value IS NOT NULL ORDER BY items.value`;
}
