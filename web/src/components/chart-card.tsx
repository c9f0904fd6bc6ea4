import { type ReactNode, useId, useState } from 'react';
import { ChartCanvas, type ChartCanvasProps } from '../charts/chart-canvas';
import type { Column } from '../lib/csv';
import { CsvButton } from './csv-button';
import { DataTable } from './data-table';
import { EmptyState, ErrorState, Loading } from './state-message';

export interface QueryStatus {
  isPending: boolean;
  error: unknown;
  refetch?: () => unknown;
}

interface ChartCardProps<Row> {
  title: string;
  description?: ReactNode;
  status: QueryStatus;
  /** True when the API answered but there is nothing to draw. */
  empty?: boolean;
  emptyHint?: ReactNode;
  chart?: Omit<ChartCanvasProps, 'ariaLabel'>;
  rows: Row[];
  columns: Column<Row>[];
  /** Extra content under the chart (a note on precision, say). */
  footer?: ReactNode;
  wide?: boolean;
  /** Said beside the title: a filter that does not apply here ("not filtered by repository"). */
  notice?: string;
  /** The CSV file's name (csvFileName). */
  csvName?: string;
}

/** A chart with its HTML legend, its numbers as a table on demand, and CSV export. */
export function ChartCard<Row>({
  title,
  description,
  status,
  empty,
  emptyHint,
  chart,
  rows,
  columns,
  footer,
  wide,
  notice,
  csvName,
}: ChartCardProps<Row>) {
  const [showTable, setShowTable] = useState(false);
  const headingId = useId();
  const ready = !status.isPending && !status.error;
  return (
    <section
      className={`card chart-card${wide ? ' card-wide' : ''}`}
      aria-labelledby={headingId}
      data-chart={title}
    >
      <header className="card-header">
        <div>
          <h2 id={headingId}>{title}</h2>
          {description && <p className="card-description">{description}</p>}
          {notice && (
            <p className="scope-notice" data-notice>
              {notice}
            </p>
          )}
        </div>
        {ready && !empty && (
          <div className="card-tools">
            <button
              type="button"
              className="button button-small"
              aria-pressed={showTable}
              onClick={() => setShowTable(!showTable)}
            >
              {showTable ? 'Chart' : 'Table'}
            </button>
            <CsvButton name={title} file={csvName} columns={columns} rows={rows} />
          </div>
        )}
      </header>
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorState
          error={status.error}
          onRetry={status.refetch ? () => void status.refetch?.() : undefined}
        />
      ) : empty || !chart ? (
        <EmptyState>{emptyHint}</EmptyState>
      ) : (
        <>
          <ul className="legend" aria-label={`${title} legend`}>
            {chart.series.map((item) => (
              <li key={item.label}>
                <span
                  className={`swatch swatch-${item.kind ?? chart.type}${item.dashed ? ' swatch-dashed' : ''}`}
                  style={{ ['--swatch' as string]: `var(--series-${item.color})` }}
                  aria-hidden="true"
                />
                {item.label}
              </li>
            ))}
            {(chart.markers?.length ?? 0) > 0 && (
              <li>
                <span className="swatch swatch-marker" aria-hidden="true" />
                Decision
              </li>
            )}
          </ul>
          {showTable ? (
            <DataTable caption={title} columns={columns} rows={rows} />
          ) : (
            <ChartCanvas
              {...chart}
              ariaLabel={`${title}: ${chart.series.map((item) => item.label).join(', ')}. The Table button shows the numbers.`}
            />
          )}
          {chart.onSelect && chart.selectHint && !showTable && (
            <p className="chart-hint">Click a period to list {chart.selectHint}.</p>
          )}
          {chart.partial?.some(Boolean) && !showTable && (
            <p className="chart-hint">
              Periods marked (partial) are cut by the range: they hold only part of their time.
            </p>
          )}
          {footer}
        </>
      )}
    </section>
  );
}
