import type { PullRequestRow } from '../../api/types';
import { ChartCard, type QueryStatus } from '../../components/chart-card';
import type { Column } from '../../lib/csv';
import { formatCount } from '../../lib/format';

const HOUR = 3600;
const DAY = 24 * HOUR;
// Bucket edges in seconds: roughly logarithmic, since cycle times span minutes to weeks.
const BUCKETS = [
  { label: '< 1 h', max: HOUR },
  { label: '1–4 h', max: 4 * HOUR },
  { label: '4–12 h', max: 12 * HOUR },
  { label: '12 h–1 d', max: DAY },
  { label: '1–2 d', max: 2 * DAY },
  { label: '2–4 d', max: 4 * DAY },
  { label: '4–7 d', max: 7 * DAY },
  { label: '1–2 wk', max: 14 * DAY },
  { label: '2–4 wk', max: 28 * DAY },
  { label: '≥ 4 wk', max: Infinity },
];

interface Bucket {
  label: string;
  min_seconds: number;
  max_seconds: number | null;
  pull_requests: number;
}

/** How the API's per-PR cycle times spread: a count of rows per bucket, nothing recomputed. */
export function CycleTimeHistogram({
  rows,
  total,
  status,
}: {
  rows: PullRequestRow[];
  total: number;
  status: QueryStatus;
}) {
  const cycles = rows
    .map((row) => row.cycle)
    .filter((cycle): cycle is number => cycle !== null && cycle !== undefined);
  const buckets: Bucket[] = BUCKETS.map((bucket, index) => ({
    label: bucket.label,
    min_seconds: index === 0 ? 0 : BUCKETS[index - 1].max,
    max_seconds: Number.isFinite(bucket.max) ? bucket.max : null,
    pull_requests: cycles.filter(
      (cycle) => cycle >= (index === 0 ? 0 : BUCKETS[index - 1].max) && cycle < bucket.max,
    ).length,
  }));
  const columns: Column<Bucket>[] = [
    { key: 'bucket', label: 'Cycle time', value: (row) => row.label },
    { key: 'min_seconds', label: 'From (s)', value: (row) => row.min_seconds, numeric: true },
    { key: 'max_seconds', label: 'To (s)', value: (row) => row.max_seconds, numeric: true },
    {
      key: 'pull_requests',
      label: 'Pull requests',
      value: (row) => row.pull_requests,
      format: (row) => formatCount(row.pull_requests),
      numeric: true,
    },
  ];
  return (
    <ChartCard
      title="PR cycle time distribution"
      description={`Merged pull requests in the range by cycle time (${formatCount(cycles.length)} PRs${total > rows.length ? ` of the latest ${formatCount(rows.length)}; ${formatCount(total)} in all` : ''}).`}
      status={status}
      empty={cycles.length === 0}
      rows={buckets}
      columns={columns}
      chart={{
        type: 'bar',
        labels: buckets.map((bucket) => bucket.label),
        series: [
          {
            label: 'Pull requests',
            color: 1,
            values: buckets.map((bucket) => bucket.pull_requests),
          },
        ],
        format: 'count',
      }}
    />
  );
}
