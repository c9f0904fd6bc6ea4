import { studentTCdf, studentTQuantile } from './student-t.js';
import { linearTrend } from './trend.js';

describe('Student t', () => {
  it('gives the tabled 97.5% quantiles', () => {
    // Tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2): df 1 12.706, 2 4.303, 10 2.228, 30 2.042.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2.228, 10)).toBeCloseTo(0.025, 4);
  });
});

describe('linearTrend', () => {
  it('fits a hand-computed line', () => {
    // x 0..4, y 1, 3, 2, 5, 4: mean x 2, mean y 3; sxx 10, sxy 8, slope 0.8, intercept 1.4;
    // residuals -0.4, 0.8, -1, 1.2, -0.6: squares sum 3.6; SE sqrt(3.6 / 3 / 10) = 0.34641;
    // t(0.975, 3) = 3.18245, half width 1.10243.
    const trend = linearTrend([1, 3, 2, 5, 4].map((y, x) => ({ x, y })));
    expect(trend?.slope).toBeCloseTo(0.8, 12);
    expect(trend?.ci95[0]).toBeCloseTo(0.8 - 1.10243, 4);
    expect(trend?.ci95[1]).toBeCloseTo(0.8 + 1.10243, 4);
    expect(trend?.n).toBe(5);
  });

  it('needs three points', () => {
    expect(
      linearTrend([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNull();
    expect(linearTrend([0, 0, 0].map((x, y) => ({ x, y })))).toBeNull();
  });
});
