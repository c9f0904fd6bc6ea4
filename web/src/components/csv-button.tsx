import { type Column, downloadText, slug, toCsv } from '../lib/csv';

/** Exports exactly the rows given (those on screen), in API units. */
export function CsvButton<Row>({
  name,
  columns,
  rows,
}: {
  name: string;
  columns: Column<Row>[];
  rows: Row[];
}) {
  return (
    <button
      type="button"
      className="button button-small"
      disabled={rows.length === 0}
      onClick={() => downloadText(`${slug(name)}.csv`, toCsv(columns, rows))}
      aria-label={`Download ${name} as CSV`}
    >
      CSV
    </button>
  );
}
