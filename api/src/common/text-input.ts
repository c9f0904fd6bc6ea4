import type { ErrorDetail } from './errors.js';

/**
 * Why PostgreSQL would refuse a string, or undefined: text and jsonb hold no NUL, and jsonb no
 * lone UTF-16 surrogate (JSON.parse makes one from "\ud800").
 */
export function badTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed())
    return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)';
  return undefined;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first string (value or key) in a parsed JSON value that PostgreSQL would refuse, with its
 * path as the API's errors spell fields (events[3].title). Iterative: JSON nests deeper than the
 * stack goes.
 */
export function findBadText(value: unknown, root: string): ErrorDetail | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      const reason = badTextReason(item);
      if (reason) return { path: path || '(body)', message: reason };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push([item[i], childPath(path, i)]);
    } else if (item !== null && typeof item === 'object') {
      for (const key of Object.keys(item)) {
        const keyReason = badTextReason(key);
        if (keyReason)
          return { path: childPath(path, key), message: `has a key that ${keyReason}` };
        stack.push([(item as Record<string, unknown>)[key], childPath(path, key)]);
      }
    }
  }
  return undefined;
}
