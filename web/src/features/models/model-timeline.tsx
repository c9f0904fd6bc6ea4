import { useState } from 'react';
import type { DrillDownPage, ModelPromotionRow, Precision } from '../../api/types';
import type { QueryStatus } from '../../components/chart-card';
import { CsvButton } from '../../components/csv-button';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, Loading } from '../../components/state-message';
import type { Column } from '../../lib/csv';
import {
  formatCompactTime,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
} from '../../lib/format';

/** About the width of a "v123" label, in percent of the track at a laptop's width. */
const LABEL_ROOM_PCT = 4;

const PRECISION_TEXT: Record<Precision, string> = {
  exact: 'exact time',
  registry: "the registry's last-updated time",
  observed: 'seen between two polls',
};

const precisionText = (row: ModelPromotionRow) =>
  row.precision === 'observed' && row.precision_seconds
    ? `observed, within ${formatDuration(row.precision_seconds)}`
    : (row.precision ?? 'exact');

const COLUMNS: Column<ModelPromotionRow>[] = [
  { key: 'registry', label: 'Registry', value: (row) => row.registry },
  { key: 'model', label: 'Model', value: (row) => row.model },
  { key: 'version', label: 'Version', value: (row) => row.version },
  {
    key: 'registered_at',
    label: 'Registered',
    value: (row) => row.registered_at ?? null,
    format: (row) => formatCompactTime(row.registered_at),
  },
  {
    key: 'promoted_at',
    label: 'Promoted',
    value: (row) => row.promoted_at,
    format: (row) => formatCompactTime(row.promoted_at),
  },
  {
    key: 'precision',
    label: 'Precision',
    value: (row) => row.precision ?? null,
    format: precisionText,
  },
  {
    key: 'precision_seconds',
    label: 'Uncertainty',
    value: (row) => row.precision_seconds ?? null,
    format: (row) => formatDuration(row.precision_seconds),
    numeric: true,
  },
  {
    key: 'release_lead_time',
    label: 'Release lead time',
    value: (row) => row.release_lead_time ?? null,
    format: (row) => formatDuration(row.release_lead_time),
    numeric: true,
  },
  {
    key: 'iteration_time',
    label: 'Iteration time',
    value: (row) => row.iteration_time ?? null,
    format: (row) => formatDuration(row.iteration_time),
    numeric: true,
  },
  {
    key: 'first_promotion_of_model',
    label: 'First of model',
    value: (row) => row.first_promotion_of_model ?? null,
    format: (row) => (row.first_promotion_of_model ? 'yes' : ''),
  },
];

function Axis({ from, to }: { from: number; to: number }) {
  const span = to - from;
  const stepDays =
    span > 200 * 86_400_000 ? 56 : span > 100 * 86_400_000 ? 28 : span > 40 * 86_400_000 ? 14 : 7;
  const ticks: number[] = [];
  // A label needs room: none in the last few percent, where it would overflow the card.
  for (let tick = from; tick <= to - span * 0.04; tick += stepDays * 86_400_000) ticks.push(tick);
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

function describe(row: ModelPromotionRow): string {
  const end =
    row.ended_at === undefined
      ? ''
      : row.ended_at
        ? `, left production ${formatDateTime(row.ended_at)}`
        : ', still in production';
  const uncertainty = row.precision_seconds
    ? ` (within ${formatDuration(row.precision_seconds)} before)`
    : '';
  return `${row.model} version ${row.version}: promoted ${formatDateTime(row.promoted_at)}, ${PRECISION_TEXT[row.precision ?? 'exact']}${uncertainty}${end}`;
}

/**
 * One lane per model; each promotion is a mark at its time. An observed time is drawn as the span
 * it lies in (previous poll → the poll that saw it). When the API gives when a version left
 * production (ended_at), the version is drawn as a bar up to it.
 */
export function ModelTimeline({
  page,
  status,
  from,
  to,
}: {
  page: DrillDownPage<ModelPromotionRow> | undefined;
  status: QueryStatus;
  from: string;
  to: string;
}) {
  const [showTable, setShowTable] = useState(false);
  const rows = page?.items ?? [];
  const start = Date.parse(from);
  const end = Math.min(Date.parse(to), Date.now());
  const span = Math.max(1, end - start);
  const pct = (time: number) => Math.min(100, Math.max(0, ((time - start) / span) * 100));
  const lanes = new Map<string, ModelPromotionRow[]>();
  for (const row of [...rows].sort((a, b) => a.promoted_at.localeCompare(b.promoted_at))) {
    const key = `${row.registry}/${row.model}`;
    lanes.set(key, [...(lanes.get(key) ?? []), row]);
  }
  return (
    <section
      className="card card-wide"
      aria-labelledby="timeline-title"
      data-chart="Model timeline"
    >
      <header className="card-header">
        <div>
          <h2 id="timeline-title">Promotions per model</h2>
          <p className="card-description">
            Each mark is a version entering production. A widened mark was only observed between two
            polls of the registry: the promotion happened somewhere in it. A dashed mark has the
            registry&apos;s last-updated time.
            {page && page.total > rows.length
              ? ` Showing the latest ${formatCount(rows.length)} of ${formatCount(page.total)}.`
              : ''}
          </p>
        </div>
        {!status.isPending && !status.error && rows.length > 0 && (
          <div className="card-tools">
            <button
              type="button"
              className="button button-small"
              aria-pressed={showTable}
              onClick={() => setShowTable(!showTable)}
            >
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
          <ul className="legend" aria-label="Promotions per model legend">
            <li>
              <span className="swatch timeline-key timeline-key-exact" aria-hidden="true" />
              Promoted (exact time)
            </li>
            <li>
              <span className="swatch timeline-key timeline-key-observed" aria-hidden="true" />
              Observed between two polls
            </li>
            <li>
              <span className="swatch timeline-key timeline-key-registry" aria-hidden="true" />
              The registry&apos;s last-updated time
            </li>
            <li>
              <span className="swatch timeline-key timeline-key-bar" aria-hidden="true" />
              In production until it left (a bar)
            </li>
          </ul>
          <Axis from={start} to={end} />
          <ul className="timeline-lanes">
            {[...lanes.entries()].map(([key, versions]) => (
              <li key={key} className="timeline-lane">
                <span className="timeline-model" title={key}>
                  {versions[0].model}
                  <small>{versions[0].registry}</small>
                </span>
                <ul className="timeline-track" aria-label={`${key}: ${versions.length} promotions`}>
                  {versions.map((row, index) => {
                    const at = Date.parse(row.promoted_at);
                    // A version label needs room before the next mark; crowded ones stay in the
                    // mark's tooltip and accessible name.
                    const next = versions[index + 1];
                    const uncertainty =
                      row.precision === 'observed' ? (row.precision_seconds ?? 0) * 1000 : 0;
                    const left = pct(at - uncertainty);
                    const right =
                      row.ended_at !== undefined
                        ? pct(row.ended_at ? Date.parse(row.ended_at) : end)
                        : pct(at);
                    // The label goes after the mark, or before it near the track's end, so it is
                    // never cut off by the card; it needs room up to the next mark.
                    const before = right > 100 - LABEL_ROOM_PCT;
                    const labelled = before
                      ? left - LABEL_ROOM_PCT >= 0
                      : !next || pct(Date.parse(next.promoted_at)) - right > LABEL_ROOM_PCT;
                    return (
                      <li
                        key={`${row.version}-${row.promoted_at}`}
                        className={`timeline-mark precision-${row.precision ?? 'exact'}${row.ended_at !== undefined ? ' timeline-bar' : ''}`}
                        style={{ left: `${left}%`, width: `max(8px, ${right - left}%)` }}
                        title={describe(row)}
                        aria-label={describe(row)}
                        tabIndex={0}
                      >
                        {labelled && (
                          <span
                            className={`timeline-version${before ? ' timeline-version-before' : ''}`}
                          >
                            v{row.version}
                          </span>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
