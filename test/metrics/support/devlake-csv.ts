import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Reading Apache DevLake's DORA test data (test/fixtures/devlake/dora, see its NOTICE) and mapping its rows
// to our ingest events. Its CSVs hold no quoted fields; its plain timestamps are UTC.

export const DEVLAKE_DORA = resolve(import.meta.dirname, '../../fixtures/devlake/dora');

export type CsvRow = Record<string, string>;

export function readCsv(...path: string[]): CsvRow[] {
  const [header, ...lines] = readFileSync(join(DEVLAKE_DORA, ...path), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

/** "2023-4-11 4:51:47" (UTC) or an ISO time -> ISO 8601 with Z; "" -> null. */
export function devlakeTime(value: string): string | null {
  if (value === '') return null;
  const plain = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(value);
  if (!plain) return new Date(value).toISOString();
  const [, y, mo, d, h, mi, s] = plain;
  const pad = (n: string) => n.padStart(2, '0');
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}:${s}Z`;
}

/** A deployment chain in DevLake is (CI scope, repo_url, environment): our service names both. */
export const serviceOf = (row: CsvRow) => `${row.cicd_scope_id}/${row.repo_url}`;

/** cicd_deployment_commits rows -> deployment events, shipping the commits commits_diffs gives. */
export function deploymentEvents(rows: CsvRow[], shipped: Map<string, string[]> = new Map()) {
  return rows.map((row) => ({
    type: 'deployment',
    source: 'devlake',
    id: row.id,
    service: serviceOf(row),
    // We need an environment; DevLake leaves a deployment without one unchained, as does a name
    // no other deployment of the service uses.
    environment: row.environment || 'none',
    sha: row.commit_sha.length >= 4 ? row.commit_sha : `sha-${row.commit_sha}`,
    status: row.result === 'SUCCESS' ? 'success' : 'failure',
    started_at: devlakeTime(row.started_date),
    finished_at: devlakeTime(row.finished_date),
    commits: shipped.get(row.commit_sha) ?? [],
  }));
}

/** Minutes as DevLake reports them: ceil(seconds / 60); null stays null. */
export const minutes = (seconds: number | null) =>
  seconds === null ? null : Math.ceil(seconds / 60);
