// Percentile bootstrap confidence intervals (Efron & Tibshirani, An Introduction to the Bootstrap,
// ch. 13): resample each group with replacement to its own size, compute the statistic, and take
// the alpha/2 and 1 - alpha/2 quantiles of the resampled statistics. The generator is seeded, so
// the same data always gives the same interval.

import { medianInPlace, quantileSorted } from './descriptive.js';
import { type RandomSource, seededRandom } from './random.js';

export interface BootstrapOptions {
  /** At least 2,000 (metrics.md); 4,000 by default. */
  resamples?: number;
  seed?: number;
  /** Coverage, 0.95 by default. */
  level?: number;
}

export const DEFAULT_RESAMPLES = 4_000;
export const MIN_RESAMPLES = 2_000;
export const DEFAULT_SEED = 20_260_302;

/** A statistic of resampled groups; it may reorder the buffers (they are scratch space). */
export type GroupStatistic = (groups: Float64Array[]) => number;

export function bootstrapInterval(
  groups: readonly (readonly number[])[],
  statistic: GroupStatistic,
  options: BootstrapOptions = {},
): [number, number] {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < MIN_RESAMPLES) {
    throw new RangeError(`resamples must be an integer >= ${MIN_RESAMPLES}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError('level must be between 0 and 1');
  if (groups.some((group) => group.length === 0)) throw new RangeError('every group needs a value');

  // Sorting first makes the interval depend on the values only, not on the order the database
  // returned them in.
  const sources = groups.map((group) => Float64Array.from(group).sort());
  const buffers = sources.map((source) => new Float64Array(source.length));
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const results = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let g = 0; g < sources.length; g++) resampleInto(buffers[g], sources[g], random);
    results[r] = statistic(buffers);
  }
  results.sort();
  const alpha = 1 - level;
  return [
    quantileSorted(results, alpha / 2) as number,
    quantileSorted(results, 1 - alpha / 2) as number,
  ];
}

function resampleInto(buffer: Float64Array, source: Float64Array, random: RandomSource): void {
  const n = source.length;
  for (let i = 0; i < n; i++) buffer[i] = source[(random() * n) | 0];
}

/** median(after) - median(before), for groups [before, after]. */
export const medianDifference: GroupStatistic = ([before, after]) =>
  medianInPlace(after) - medianInPlace(before);

/**
 * Difference in differences of medians, for groups [before, after, controlBefore, controlAfter]:
 * (median(after) - median(before)) - (median(controlAfter) - median(controlBefore)).
 */
export const medianDifferenceInDifferences: GroupStatistic = ([
  before,
  after,
  controlBefore,
  controlAfter,
]) =>
  medianInPlace(after) -
  medianInPlace(before) -
  (medianInPlace(controlAfter) - medianInPlace(controlBefore));
