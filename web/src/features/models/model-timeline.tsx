import { useState } from 'react';
import type { ModelPromotionRow, Precision, StageInterval } from '../../api/types';
import type { QueryStatus } from '../../components/chart-card';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import { formatDate, formatDateTime, formatDuration } from '../../lib/format';

interface Segment {
  label: string;
  from: number;
  to: number;
  open: boolean;
  precision: Precision;
  precisionSeconds: number | null;
}

/** A version's intervals: those the API lists, else promoted_at → demoted_at (or still open). */
function segmentsOf(row: ModelPromotionRow, end: number): Segment[] {
  const intervals: StageInterval[] = row.intervals?.length
    ? row.intervals
    : [{ label: row.environment ?? 'production', from: row.promoted_at, to: row.demoted_at ?? null, from_precision: row.at_precision, from_precision_seconds: row.precision_seconds ?? null }];
  return intervals.map((interval) => ({
    label: interval.label ?? interval.alias ?? interval.stage ?? 'production',
    from: Date.parse(interval.from),
    to: interval.to ? Date.parse(interval.to) : end,
    open: !interval.to,
    precision: interval.from_precision ?? 'exact',
    precisionSeconds: interval.from_precision_seconds ?? null,
  }));
}

const PRECISION_TEXT: Record<Precision, string> = {
  exact: 'exact time',
  registry: "registry's last-updated time",
  observed: 'seen between two polls',
};

const COLUMNS: Column<ModelPromotionRow>[] = [
  { key: 'registry', label: 'Registry', value: (row) => row.registry },
  { key: 'model', label: 'Model', value: (row) => row.model },
  { key: 'version', label: 'Version', value: (row) => row.version },
  { key: 'created_at', label: 'Registered', value: (row) => row.created_at ?? null, format: (row) => formatDateTime(row.created_at) },
  { key: 'promoted_at', label: 'Promoted', value: (row) => row.promoted_at, format: (row) => formatDateTime(row.promoted_at) },
  {
    key: 'at_precision',
    label: 'Precision',
    value: (row) => row.at_precision ?? null,
    format: (row) =>
      row.at_precision === 'observed' && row.precision_seconds
        ? `observed, ±${formatDuration(row.precision_seconds)}`
        : (row.at_precision ?? '—'),
  },
  { key: 'precision_seconds', label: 'Precision (s)', value: (row) => row.precision_seconds ?? null, numeric: true },
  { key: 'demoted_at', label: 'Left production', value: (row) => row.demoted_at ?? null, format: (row) => (row.demoted_at ? formatDateTime(row.demoted_at) : 'still in production') },
  { key: 'release_lead_time_seconds', label: 'Release lead time', value: (row) => row.release_lead_time ?? null, format: (row) => formatDuration(row.release_lead_time), numeric: true },
  { key: 'iteration_time_seconds', label: 'Iteration time', value: (row) => row.iteration_time ?? null, format: (row) => formatDuration(row.iteration_time), numeric: true },
];

function Axis({ from, to }: { from: number; to: number }) {
  const ticks: number[] = [];
  const span = to - from;
  const step = span > 200 * 86_400_000 ? 'month' : 'week';
  const cursor = new Date(from);
  if (step === 'month') cursor.setUTCDate(1);
  while (cursor.getTime() <= to) {
    if (cursor.getTime() >= from) ticks.push(cursor.getTime());
    if (step === 'month') cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    else cursor.setUTCDate(cursor.getUTCDate() + (span > 100 * 86_400_000 ? 28 : 14));
  }
  return (
    <div className="timeline-axis" aria-hidden="true">
      {ticks.map((tick) => (
        <span key={tick} style={{ left: `${((tick - from) / span) * 100}%` }}>
          {formatDate(new Date(tick).toISOString()).replace(/, \d{4}$/, '')}
        </span>
      ))}
    </div>
  );
}

/** One lane per model, one bar per version interval; an observed start is drawn as a fade. */
export function ModelTimeline({ rows, status, from, to }: { rows: ModelPromotionRow[]; status: QueryStatus; from: string; to: string }) {
  const [showTable, setShowTable] = useState(false);
  const start = Date.parse(from);
  const end = Math.min(Date.parse(to), Date.now());
  const span = Math.max(1, end - start);
  const lanes = new Map<string, ModelPromotionRow[]>();
  for (const row of rows) {
    const key = `${row.registry}/${row.model}`;
    lanes.set(key, [...(lanes.get(key) ?? []), row]);
  }
  const pct = (time: number) => Math.min(100, Math.max(0, ((time - start) / span) * 100));
  return (
    <section className="card card-wide" aria-labelledby="timeline-title" data-chart="Model timeline">
      <header className="card-header">
        <div>
          <h2 id="timeline-title">Versions in production, per model</h2>
          <p className="card-description">
            Each bar is a version holding a production stage or alias. A faded start means the time was only observed between
            two polls of the registry; its width is the uncertainty.
          </p>
        </div>
        {!status.isPending && !status.error && rows.length > 0 && (
          <div className="card-tools">
            <button type="button" className="button button-small" aria-pressed={showTable} onClick={() => setShowTable(!showTable)}>
              {showTable ? 'Timeline' : 'Table'}
            </button>
            <CsvButton name="Model promotions" columns={COLUMNS} rows={rows} />
          </div>
        )}
      </header>
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch?.()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No promotions in this range" />
      ) : showTable ? (
        <DataTable caption="Model promotions" columns={COLUMNS} rows={rows} />
      ) : (
        <div className="timeline">
          <Axis from={start} to={end} />
          <ul className="timeline-lanes">
            {[...lanes.entries()].map(([model, versions]) => (
              <li key={model} className="timeline-lane">
                <span className="timeline-model" title={model}>
                  {versions[0].model}
                  <small>{versions[0].registry}</small>
                </span>
                <ul className="timeline-track" aria-label={`${model} versions`}>
                  {versions.flatMap((version) =>
                    segmentsOf(version, end).map((segment, index) => {
                      const left = pct(segment.from);
                      const right = pct(segment.to);
                      const fuzz = segment.precision === 'observed' && segment.precisionSeconds ? (segment.precisionSeconds * 1000 * 100) / span : 0;
                      const description = `Version ${version.version}, ${segment.label}: from ${formatDateTime(new Date(segment.from).toISOString())} (${PRECISION_TEXT[segment.precision]}${segment.precisionSeconds ? `, ±${formatDuration(segment.precisionSeconds)}` : ''}) ${segment.open ? 'until now' : `to ${formatDateTime(new Date(segment.to).toISOString())}`}`;
                      return (
                        <li
                          key={`${version.version}-${index}`}
                          className={`timeline-bar precision-${segment.precision}${segment.open ? ' open' : ''}`}
                          style={{ left: `${Math.max(0, left - fuzz)}%`, width: `${Math.max(0.6, right - left + Math.min(fuzz, left))}%`, ['--fuzz' as string]: `${fuzz > 0 ? Math.min(100, (fuzz / Math.max(0.6, right - left + fuzz)) * 100) : 0}%` }}
                          title={description}
                          tabIndex={0}
                          aria-label={description}
                        >
                          <span>v{version.version}</span>
                        </li>
                      );
                    }),
                  )}
                </ul>
              </li>
            ))}
          </ul>
          <p className="timeline-legend muted">
            <span className="swatch swatch-bar" style={{ ['--swatch' as string]: 'var(--series-2)' }} aria-hidden="true" /> exact or registry time
            <span className="swatch swatch-fuzz" aria-hidden="true" /> observed between polls
          </p>
        </div>
      )}
    </section>
  );
}
