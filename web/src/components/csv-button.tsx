import { type Column, downloadText, slug, toCsv } from '../lib/csv';

/** Exports exactly the rows given (those on screen), in API units. */
export function CsvButton<Row>({
  name,
  file,
  columns,
  rows,
}: {
  name: string;
  /** The file's name (csvFileName); else the name's slug. */
  file?: string;
  columns: Column<Row>[];
  rows: Row[];
}) {
  return (
    <button
      type="button"
      className="button button-small"
      disabled={rows.length === 0}
      onClick={() => downloadText(file ?? `${slug(name)}.csv`, toCsv(columns, rows))}
      aria-label={`Download ${name} as CSV`}
    >
      CSV
    </button>
  );
}
