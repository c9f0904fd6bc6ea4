// Two-sided Mann-Whitney U test (Wilcoxon rank-sum), computed as scipy.stats.mannwhitneyu does
// with its defaults (use_continuity=True, alternative='two-sided', method='auto'), so a user can
// check our p-values with scipy:
// - U1 = R1 - n1(n1+1)/2, where R1 is the sum of x's ranks in the pooled sample, ties getting the
//   mean of the ranks they span; U2 = n1*n2 - U1.
// - Exact distribution when one sample has fewer than 8 values and there are no ties:
//   p = 2 * P(U >= max(U1, U2)), capped at 1.
// - Otherwise the normal approximation with the tie-corrected variance
//   sigma^2 = n1*n2/12 * ((n + 1) - sum(t^3 - t) / (n(n - 1)))   (t = size of each tie group)
//   and the continuity correction: z = (max(U1, U2) - n1*n2/2 - 1/2) / sigma, p = 2 * P(Z > z).

import { normalSurvival } from './normal.js';

export interface MannWhitneyResult {
  /** U of the first sample (scipy's `statistic`). */
  u1: number;
  u2: number;
  /** The normal deviate, when the normal approximation was used. */
  z: number | null;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

const EXACT_BELOW = 8;
// The exact distribution is a polynomial of n1*n2 + 1 BigInt coefficients; beyond this the normal
// approximation is as good as exact and far cheaper.
const EXACT_MAX_CELLS = 20_000;

export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0)
    throw new RangeError('Mann-Whitney U needs at least one value in each sample');
  const pooled = [
    ...x.map((value) => ({ value, first: true })),
    ...y.map((value) => ({ value, first: false })),
  ];
  pooled.sort((a, b) => a.value - b.value);

  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1].value === pooled[start].value) end++;
    const meanRank = (start + end + 2) / 2; // ranks are 1-based: start+1 .. end+1
    for (let i = start; i <= end; i++) if (pooled[i].first) rankSumX += meanRank;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }

  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const uMax = Math.max(u1, u2);
  const n = n1 + n2;

  if (tieTerm === 0 && Math.min(n1, n2) < EXACT_BELOW && n1 * n2 <= EXACT_MAX_CELLS) {
    return {
      u1,
      u2,
      z: null,
      pValue: Math.min(1, 2 * exactUpperTail(uMax, n1, n2)),
      method: 'exact',
    };
  }

  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  // Every value tied: the ranks carry no information at all.
  if (!(variance > 0)) return { u1, u2, z: null, pValue: 1, method: 'asymptotic' };
  const z = (uMax - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return {
    u1,
    u2,
    z,
    pValue: Math.min(1, Math.max(0, 2 * normalSurvival(z))),
    method: 'asymptotic',
  };
}

/**
 * P(U >= u) under the null with no ties. The number of arrangements with U = k is the coefficient
 * of q^k in the Gaussian binomial [n1 + n2 choose m]_q, m = min(n1, n2), built as
 * prod_{i=1..m} (1 - q^(other + i)) / (1 - q^i), in exact integers.
 */
function exactUpperTail(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const other = Math.max(n1, n2);
  const size = m * other + 1;
  let counts: bigint[] = new Array<bigint>(size).fill(0n);
  counts[0] = 1n;
  for (let i = 1; i <= m; i++) {
    const multiplied = counts.slice();
    for (let k = size - 1; k >= other + i; k--) multiplied[k] -= counts[k - (other + i)];
    // Dividing by (1 - q^i) is a running sum with stride i.
    for (let k = i; k < size; k++) multiplied[k] += multiplied[k - i];
    counts = multiplied;
  }
  let total = 0n;
  let tail = 0n;
  const threshold = Math.ceil(u - 1e-9);
  counts.forEach((count, k) => {
    total += count;
    if (k >= threshold) tail += count;
  });
  const scale = 10n ** 18n;
  return Number((tail * scale) / total) / 1e18;
}
