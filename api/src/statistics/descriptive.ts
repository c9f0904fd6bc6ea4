// Descriptive statistics over a sample, defined as metrics.md says: the median and percentiles
// interpolate between order statistics like PostgreSQL's percentile_cont (Hyndman & Fan type 7),
// and a statistic over an empty sample is null.

export interface Summary {
  n: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

/** The q-quantile (0 <= q <= 1) of values already sorted ascending; null when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

export function quantile(values: readonly number[], q: number): number | null {
  return quantileSorted(sortedCopy(values), q);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  // Kahan summation: per-item durations in seconds can be large and many.
  let sum = 0;
  let carry = 0;
  for (const value of values) {
    const y = value - carry;
    const t = sum + y;
    carry = t - sum - y;
    sum = t;
  }
  return sum / values.length;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  return {
    n: sorted.length,
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    mean: mean(sorted),
  };
}
