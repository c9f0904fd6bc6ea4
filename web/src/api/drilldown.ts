/** Drill-down lists come as {<name>: rows[]} (or a bare array): take the rows either way. */
export function rowsOf<Row>(body: unknown, name: string): Row[] {
  if (Array.isArray(body)) return body as Row[];
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (Array.isArray(record[name])) return record[name] as Row[];
    const firstList = Object.values(record).find(Array.isArray);
    if (firstList) return firstList as Row[];
  }
  return [];
}
