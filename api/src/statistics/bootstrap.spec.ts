import { quantileSorted } from './descriptive.js';
import {
  bootstrapInterval,
  bootstrapIntervals,
  medianDifference,
  medianDifferencesWithControl,
} from './bootstrap.js';
import { seededRandom } from './random.js';

const median = (values: readonly number[]): number =>
  quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  ) as number;

/** Every equally likely resample of a group: all n^n sequences drawn with replacement. */
function allResamples(group: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < group.length; i++)
    out = out.flatMap((prefix) => group.map((value) => [...prefix, value]));
  return out;
}

/** The exact bootstrap distribution of a statistic, by brute-force enumeration. */
function exactDistribution(
  groups: number[][],
  statistic: (resampled: number[][]) => number,
): number[] {
  let combos: number[][][] = [[]];
  for (const group of groups) {
    const resamples = allResamples(group);
    combos = combos.flatMap((prefix) => resamples.map((resample) => [...prefix, resample]));
  }
  return combos.map(statistic).sort((a, b) => a - b);
}

describe('bootstrapInterval', () => {
  it('matches the brute-force bootstrap of a difference of medians on tiny data', () => {
    // before [2, 4, 9] has 3^3 = 27 resamples, after [1, 3, 5, 6] has 4^4 = 256: 6,912 equally
    // likely pairs. Enumerated (also in Python), median(after*) - median(before*) has atoms
    // -8 (cdf 0.0132), -7 (0.0435), ..., 3 (0.9565), 3.5 (0.9868), 4 (1): the exact 2.5% and
    // 97.5% points are -7 and 3.5, each well inside its atom, so a Monte Carlo bootstrap of
    // 20,000 resamples lands on them exactly.
    const before = [2, 4, 9];
    const after = [1, 3, 5, 6];
    const exact = exactDistribution([before, after], ([b, a]) => median(a) - median(b));
    expect(exact).toHaveLength(6912);
    const exactInterval = [quantileSorted(exact, 0.025), quantileSorted(exact, 0.975)];
    expect(exactInterval).toEqual([-7, 3.5]);
    expect(bootstrapInterval([before, after], medianDifference, { resamples: 20_000 })).toEqual(
      exactInterval,
    );
    expect(bootstrapInterval([before, after], medianDifference, { resamples: 2_000 })).toEqual(
      exactInterval,
    );
  });

  it('matches the brute-force bootstrap of a difference in differences', () => {
    // 3^3 * 2^2 * 2^2 * 3^3 = 11,664 equally likely resamples of the four groups.
    const groups = [
      [10, 12, 30],
      [4, 6],
      [11, 13],
      [9, 10, 14],
    ];
    const exact = exactDistribution(
      groups,
      ([b, a, cb, ca]) => median(a) - median(b) - (median(ca) - median(cb)),
    );
    expect(exact).toHaveLength(11_664);
    const [low, high] = bootstrapIntervals(groups, medianDifferencesWithControl, {
      resamples: 20_000,
    })[2];
    // A Monte Carlo percentile must sit where the exact distribution function crosses 2.5% and
    // 97.5%, within sampling error (sd of a proportion at 20,000 draws ~ 0.0011; allow 0.006).
    const cdfBelow = (v: number) => exact.filter((d) => d < v).length / exact.length;
    const cdfAtOrBelow = (v: number) => exact.filter((d) => d <= v).length / exact.length;
    expect(cdfBelow(low)).toBeLessThanOrEqual(0.025 + 0.006);
    expect(cdfAtOrBelow(low)).toBeGreaterThanOrEqual(0.025 - 0.006);
    expect(cdfBelow(high)).toBeLessThanOrEqual(0.975 + 0.006);
    expect(cdfAtOrBelow(high)).toBeGreaterThanOrEqual(0.975 - 0.006);
  });

  it.each([25, 26])(
    'draws the median of %i values as resampling all of them would (odd and even sizes)',
    (n) => {
      // The reference: n explicit draws per resample, 200,000 resamples, as an empirical
      // distribution function of the resampled median. Each interval end of the direct draw must
      // sit where that function crosses its level, within sampling error (allow 0.006).
      const random = seededRandom(7);
      const values = Array.from({ length: n }, (_, i) => i * i + Math.round(10 * random()));
      const reference: number[] = [];
      for (let r = 0; r < 200_000; r++) {
        const resample = Array.from({ length: n }, () => values[Math.floor(n * random())]);
        reference.push(median(resample));
      }
      reference.sort((a, b) => a - b);
      const share = (predicate: (value: number) => boolean) =>
        reference.filter(predicate).length / reference.length;
      for (const level of [0.5, 0.9, 0.95]) {
        const [low, high] = bootstrapInterval([values], ([m]) => m, {
          resamples: 40_000,
          level,
        });
        for (const [end, p] of [
          [low, (1 - level) / 2],
          [high, (1 + level) / 2],
        ]) {
          expect(share((value) => value < end)).toBeLessThanOrEqual(p + 0.006);
          expect(share((value) => value <= end)).toBeGreaterThanOrEqual(p - 0.006);
        }
      }
    },
  );

  it('gives the same interval for the same data in any order, and a different one for another seed', () => {
    const random = seededRandom(42);
    const before = Array.from({ length: 60 }, () => 3600 * (20 + 40 * random()));
    const after = Array.from({ length: 50 }, () => 3600 * (10 + 40 * random()));
    const first = bootstrapInterval([before, after], medianDifference);
    expect(
      bootstrapInterval([[...before].reverse(), [...after].reverse()], medianDifference),
    ).toEqual(first);
    expect(bootstrapInterval([before, after], medianDifference, { seed: 1 })).not.toEqual(first);
  });

  it("gives a group's interval whatever other groups share its pass", () => {
    const random = seededRandom(9);
    const draw = (n: number) => Array.from({ length: n }, () => Math.round(100 * random()));
    const [before, after, controlBefore, controlAfter] = [draw(30), draw(25), draw(40), draw(35)];
    const [scope, control, did] = bootstrapIntervals(
      [before, after, controlBefore, controlAfter],
      medianDifferencesWithControl,
    );
    expect(scope).toEqual(bootstrapInterval([before, after], medianDifference));
    expect(control).toEqual(
      bootstrapInterval([controlBefore, controlAfter], medianDifference, { streams: [2, 3] }),
    );
    expect(did[0]).toBeLessThan(did[1]);
  });

  it('refuses fewer than 2,000 resamples and empty groups', () => {
    expect(() => bootstrapInterval([[1], [2]], medianDifference, { resamples: 1_999 })).toThrow(
      /2000/,
    );
    expect(() => bootstrapInterval([[], [2]], medianDifference)).toThrow(/group/);
  });
});
