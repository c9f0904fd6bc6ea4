import type { Column } from '../lib/csv';

interface DataTableProps<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey?: (row: Row, index: number) => string;
  captionHidden?: boolean;
  /** Long lists scroll inside a box; short ones (a comparison) show whole. */
  scroll?: boolean;
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  captionHidden = true,
  scroll = true,
}: DataTableProps<Row>) {
  return (
    <div className={`table-wrap${scroll ? ' table-scroll' : ''}`}>
      <table className="data-table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? 'numeric' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey ? rowKey(row, index) : index}>
              {columns.map((column) => (
                <td
                  key={column.key}
                  className={column.numeric ? 'numeric' : column.wrap ? 'wrap' : undefined}
                >
                  {column.format ? column.format(row) : String(column.value(row) ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
