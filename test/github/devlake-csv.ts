import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFORMANCE_DIR } from '../support/github-stand-in.js';

/** DevLake's expected rows (RFC 4180 CSV: quoted fields may hold commas, quotes and newlines). */
export function expectedRows(file: string): Record<string, string>[] {
  const text = readFileSync(resolve(CONFORMANCE_DIR, 'expected', file), 'utf8');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const [header, ...rows] = records;
  return rows
    .filter((r) => r.length === header!.length)
    .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** DevLake writes `2019-08-20T09:05:02.000+00:00`; compare instants, empty as null. */
export const instant = (value: string | null | undefined): number | null =>
  value ? Date.parse(value) : null;

/** The native id at the end of a DevLake id such as `github:GithubPullRequest:1:308859272`. */
export const nativeOf = (id: string): string => id.split(':').pop()!;
