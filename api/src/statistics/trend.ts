// The least-squares slope of y on x with its 95% interval: slope +- t(0.975, n - 2) * SE, where
// SE = sqrt(sum of squared residuals / (n - 2) / sum((x - mean x)^2)). Used for the parallel-trends
// check before a difference-in-differences (metrics.md).

import { studentTQuantile } from './student-t.js';

export interface Trend {
  slope: number;
  ci95: [number, number];
  /** How many points the line was fitted to. */
  n: number;
}

/** At least three points with two distinct x; otherwise null (no interval can be given). */
export function linearTrend(points: readonly { x: number; y: number }[]): Trend | null {
  const n = points.length;
  if (n < 3) return null;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((sum, p) => sum + (p.y - intercept - slope * p.x) ** 2, 0);
  const se = Math.sqrt(residuals / (n - 2) / sxx);
  const half = studentTQuantile(0.975, n - 2) * se;
  return { slope, ci95: [slope - half, slope + half], n };
}
