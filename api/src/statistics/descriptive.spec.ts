import { mean, median, quantile, summarize } from './descriptive.js';

describe('descriptive statistics', () => {
  // Expected values from PostgreSQL 15 itself, which metrics.md names as the definition:
  //   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_cont(0.9) WITHIN GROUP
  //   (ORDER BY x), avg(x) FROM unnest(ARRAY[...]) AS x;
  it.each([
    // [1, 2, 3, 4]: median at position 1.5 -> 2 + 0.5 * 1 = 2.5; p90 at 2.7 -> 3 + 0.7 * 1 = 3.7
    { values: [4, 1, 3, 2], median: 2.5, p90: 3.7, mean: 2.5 },
    // 7 values sorted 1 2 2 3 8 13 21: median the 4th = 3; p90 at 5.4 -> 13 + 0.4 * 8 = 16.2
    { values: [21, 2, 13, 1, 8, 3, 2], median: 3, p90: 16.2, mean: 50 / 7 },
    { values: [86400], median: 86400, p90: 86400, mean: 86400 },
  ])('summarizes $values like percentile_cont', ({ values, median: m, p90, mean: avg }) => {
    const summary = summarize(values);
    expect(summary.n).toBe(values.length);
    expect(summary.median).toBeCloseTo(m, 12);
    expect(summary.p90).toBeCloseTo(p90, 12);
    expect(summary.mean).toBeCloseTo(avg, 12);
  });

  it('gives null, not 0, over an empty sample', () => {
    expect(summarize([])).toEqual({ n: 0, median: null, p90: null, mean: null });
    expect(median([])).toBeNull();
    expect(mean([])).toBeNull();
    expect(quantile([], 0.9)).toBeNull();
  });
});
