import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  label: string;
  /** The raw value exported to CSV (API units: seconds, ratios, ISO times). */
  value: (row: Row) => string | number | boolean | null | undefined;
  /** How the table on screen shows it; defaults to the raw value. */
  format?: (row: Row) => ReactNode;
  numeric?: boolean;
  /** Long text (titles, errors) wraps; other cells stay on one line. */
  wrap?: boolean;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<Row>(columns: Column<Row>[], rows: Row[]): string {
  const header = columns.map((column) => cell(column.key)).join(',');
  const lines = rows.map((row) => columns.map((column) => cell(column.value(row))).join(','));
  return [header, ...lines].join('\r\n') + '\r\n';
}

export function downloadText(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
