import { holmAdjust } from './holm.js';

describe('holmAdjust', () => {
  it('matches a hand-computed example', () => {
    // m = 4 tested (the null is not a test). Sorted: 0.01, 0.02, 0.03, 0.5.
    //   rank 1: 4 * 0.01 = 0.04
    //   rank 2: 3 * 0.02 = 0.06, max(0.04, 0.06) = 0.06
    //   rank 3: 2 * 0.03 = 0.06, max(0.06, 0.06) = 0.06
    //   rank 4: 1 * 0.5  = 0.5
    const adjusted = holmAdjust([0.03, null, 0.5, 0.01, 0.02]);
    expect(adjusted[0]).toBeCloseTo(0.06, 12);
    expect(adjusted[1]).toBeNull();
    expect(adjusted[2]).toBeCloseTo(0.5, 12);
    expect(adjusted[3]).toBeCloseTo(0.04, 12);
    expect(adjusted[4]).toBeCloseTo(0.06, 12);
  });

  it('never exceeds 1 and never falls below the raw p-value', () => {
    const raw = [0.2, 0.4, 0.9, 0.001];
    const adjusted = holmAdjust(raw) as number[];
    // 4 * 0.001 = 0.004; 3 * 0.2 = 0.6; 2 * 0.4 = 0.8; 1 * 0.9 = 0.9.
    expect(adjusted).toEqual([0.6000000000000001, 0.8, 0.9, 0.004]);
    raw.forEach((p, i) => expect(adjusted[i]).toBeGreaterThanOrEqual(p));
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
  });

  it('leaves a single test as it is', () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
  });
});
