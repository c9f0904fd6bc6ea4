import { erfc, normalSurvival } from './normal.js';

describe('erfc', () => {
  // Expected values from Python's math.erfc (C library erfc, correctly rounded to ~1 ulp):
  //   python3 -c "import math; print(repr(math.erfc(x)))"
  it.each([
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [1.999, 0.004698443348629488],
    [2, 0.004677734981047265],
    [2.5, 0.0004069520174449589],
    [2.999, 2.2230168599834058e-5],
    [3, 2.2090496998585438e-5],
    [3.5, 7.430983723414128e-7],
    [5, 1.5374597944280351e-12],
    [8, 1.1224297172982928e-29],
    [10, 2.088487583762545e-45],
  ])('erfc(%d) matches to 12 significant digits', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('is symmetric: erfc(-x) = 2 - erfc(x), and P(Z > 1.959964) is 2.5%', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
    // 1.959963984540054 is the 97.5% normal quantile (scipy.stats.norm.ppf(0.975)).
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 14);
  });
});
