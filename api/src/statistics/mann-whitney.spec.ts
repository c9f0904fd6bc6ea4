import { mannWhitneyU } from './mann-whitney.js';

describe('mannWhitneyU', () => {
  it('matches the NAG Library worked example with heavy ties (g08amc)', () => {
    // Source: NAG C Library Manual, nag_mann_whitney (g08amc), Example Program Data and Results
    // (support.nag.com/numeric/cl/nagdoc_cl26/examples/data/g08amce.d.html and .../g08amce.r.html).
    // Group sizes 16 and 23; NAG prints "Test statistic = 86.0000, Normal Statistic = -2.8039,
    // Approximate tail probability = 0.0025" (one tail, continuity-corrected, tie-corrected).
    // By hand: R1 = 222, U1 = 222 - 16*17/2 = 86, U2 = 16*23 - 86 = 282, mu = 184;
    // tie groups 6x2, 7x6, 8x5, 9x1, 10x7, 11x2, 12x7, 13x5, 14x3, 15x3, 16x1, 17x1 give
    // sum(t^3 - t) = 846, so sigma^2 = 368/12 * (40 - 846/1482) = 1209.1606;
    // z = (282 - 184 - 0.5) / 34.7730 = 2.8039 and the two-sided p = 2 * 0.0025244 = 0.0050488
    // (scipy.stats.mannwhitneyu(group1, group2).pvalue gives the same).
    const group1 = [13, 6, 12, 7, 12, 7, 10, 7, 10, 7, 16, 7, 10, 8, 9, 8];
    const group2 = [
      17, 6, 10, 8, 15, 8, 15, 10, 15, 10, 14, 10, 14, 11, 14, 11, 13, 12, 13, 12, 13, 12, 12,
    ];
    const result = mannWhitneyU(group1, group2);
    expect(result.u1).toBe(86);
    expect(result.u2).toBe(282);
    expect(result.method).toBe('asymptotic');
    expect(result.z).toBeCloseTo(2.8039, 4);
    expect(result.pValue).toBeCloseTo(0.005048845813774749, 12);
    expect(result.pValue / 2).toBeCloseTo(0.0025, 4); // NAG's one-tail figure
  });

  it('matches a small example with ties worked by hand', () => {
    // Pooled and sorted: 1 2 2 2 3 3 3 4 5 6 7 -> ranks 1, 3 3 3 (2-4), 6 6 6 (5-7), 8, 9, 10, 11.
    // R1 = 1 + 3 + 3 + 6 + 8 = 21, U1 = 21 - 15 = 6, U2 = 30 - 6 = 24; two ties of 3: sum = 48;
    // sigma^2 = 30/12 * (12 - 48/110) = 28.909091; z = (24 - 15 - 0.5) / 5.376718 = 1.580890;
    // p = erfc(1.580890 / sqrt 2) = 0.11390314458853065.
    const result = mannWhitneyU([1, 2, 2, 3, 4], [2, 3, 3, 5, 6, 7]);
    expect(result.u1).toBe(6);
    expect(result.z).toBeCloseTo(1.5808902038022714, 12);
    expect(result.pValue).toBeCloseTo(0.11390314458853065, 12);
  });

  it("matches scipy's documented example exactly (small samples, no ties)", () => {
    // scipy.stats.mannwhitneyu docs, Examples: ages at diagnosis, males [19, 22, 16, 29, 24] and
    // females [20, 11, 17, 12]: statistic 17.0, pvalue 0.1111111111111111 (exact). By hand: the
    // males' ranks are 2+4+6+7+9... pooled 11 12 16 17 19 20 22 24 29 -> males 3,5,7,8,9 = 32,
    // U1 = 32 - 15 = 17; P(U >= 17) = P(U <= 3) = (1 + 1 + 2 + 3) / C(9,4) = 7/126; p = 14/126.
    const result = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(result.u1).toBe(17);
    expect(result.method).toBe('exact');
    expect(result.pValue).toBeCloseTo(14 / 126, 15);
  });

  it('agrees with a brute-force enumeration of every arrangement for n1 = 4, n2 = 9', () => {
    // Under the null every choice of 4 ranks out of 13 for x is equally likely: C(13,4) = 715.
    const n1 = 4;
    const n2 = 9;
    const uOfChoice: number[] = [];
    for (const ranks of combinations(13, n1))
      uOfChoice.push(ranks.reduce((s, r) => s + r, 0) - (n1 * (n1 + 1)) / 2);
    expect(uOfChoice).toHaveLength(715);
    for (const xRanks of [
      [1, 2, 3, 4],
      [1, 5, 9, 13],
      [2, 3, 11, 12],
      [10, 11, 12, 13],
      [3, 4, 6, 13],
    ]) {
      const x = xRanks.map((rank) => rank * 1.5);
      const y = Array.from({ length: 13 }, (_, i) => i + 1)
        .filter((rank) => !xRanks.includes(rank))
        .map((r) => r * 1.5);
      const u1 = xRanks.reduce((s, r) => s + r, 0) - 10;
      const uMax = Math.max(u1, n1 * n2 - u1);
      const expected = Math.min(1, (2 * uOfChoice.filter((u) => u >= uMax).length) / 715);
      const result = mannWhitneyU(x, y);
      expect(result.method).toBe('exact');
      expect(result.u1).toBe(u1);
      expect(result.pValue).toBeCloseTo(expected, 14);
    }
  });

  it('gives p = 1 when every value is tied, and is symmetric in its samples', () => {
    expect(mannWhitneyU([3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3]).pValue).toBe(1);
    const x = [5, 7, 7, 9, 12, 15, 15, 20, 21, 30];
    const y = [1, 2, 7, 8, 9, 9, 10, 11, 13, 14];
    expect(mannWhitneyU(x, y).pValue).toBeCloseTo(mannWhitneyU(y, x).pValue, 15);
  });
});

function* combinations(
  n: number,
  k: number,
  start = 1,
  chosen: number[] = [],
): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = start; i <= n; i++) yield* combinations(n, k, i + 1, [...chosen, i]);
}
