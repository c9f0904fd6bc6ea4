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

/**
 * A CSV file's name: what it holds (metric or table), its scope and its range, e.g.
 * release-lead-time_team-ranking_team-platform_2026-06-01_2026-11-30.csv. The range's end is its
 * last day (the API's `to` is exclusive).
 */
export function csvFileName(
  subject: string,
  table: string,
  scope: { from: string; to: string; team?: string; repo?: string; model?: string },
): string {
  const day = (time: string) => new Date(time).toISOString().slice(0, 10);
  const lastDay = new Date(Date.parse(scope.to) - 1).toISOString();
  const parts = [slug(subject), slug(table)];
  for (const key of ['team', 'repo', 'model'] as const) {
    const value = scope[key];
    if (value) parts.push(`${key}-${slug(value)}`);
  }
  parts.push(day(scope.from), day(lastDay));
  return `${parts.filter(Boolean).join('_')}.csv`;
}

/** A duration in the CSV: whole seconds (the API's fractions of a second are noise here). */
export const wholeSeconds = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : Math.round(seconds);
