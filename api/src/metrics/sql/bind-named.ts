/**
 * Turns `:name` placeholders into PostgreSQL's `$n`, numbering only the names a statement uses
 * (node-postgres rejects parameters a statement does not reference). `::type` casts are left alone.
 */
export function bindNamed(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-z][a-z_]*)/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`SQL parameter :${name} has no value`);
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return [text, order.map((name) => values[name])];
}
