// Percentile bootstrap confidence intervals (Efron & Tibshirani, An Introduction to the Bootstrap,
// ch. 13): resample each group with replacement to its own size, compute the statistic, and take
// the alpha/2 and 1 - alpha/2 quantiles of the resampled statistics. The generator is seeded, so
// the same data always gives the same interval.
//
// Each group draws from its own stream (seed and stream number), so a group's resamples do not
// depend on which other groups are resampled beside it: the scope's interval is the same whether
// or not a control is resampled in the same pass, and several statistics can share one pass.

import { medianInPlace, quantileSorted } from './descriptive.js';
import { type RandomSource, seededRandom } from './random.js';

export interface BootstrapOptions {
  /** At least 2,000 (metrics.md); 4,000 by default. */
  resamples?: number;
  seed?: number;
  /** Coverage, 0.95 by default. */
  level?: number;
  /** The random stream of each group; 0, 1, 2, ... by default. */
  streams?: readonly number[];
}

export const DEFAULT_RESAMPLES = 4_000;
export const MIN_RESAMPLES = 2_000;
export const DEFAULT_SEED = 20_260_302;

/** A statistic of resampled groups; it may reorder the buffers (they are scratch space). */
export type GroupStatistic = (groups: Float64Array[]) => number;
/** Several statistics of the same resampled groups. */
export type GroupStatistics = (groups: Float64Array[]) => readonly number[];

export function bootstrapInterval(
  groups: readonly (readonly number[])[],
  statistic: GroupStatistic,
  options: BootstrapOptions = {},
): [number, number] {
  return bootstrapIntervals(groups, (buffers) => [statistic(buffers)], options)[0];
}

/** One interval per statistic, all from the same resamples. */
export function bootstrapIntervals(
  groups: readonly (readonly number[])[],
  statistics: GroupStatistics,
  options: BootstrapOptions = {},
): [number, number][] {
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
  const seed = options.seed ?? DEFAULT_SEED;
  const randoms = sources.map((_, g) => streamOf(seed, options.streams?.[g] ?? g));
  let results: Float64Array[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let g = 0; g < sources.length; g++) resampleInto(buffers[g], sources[g], randoms[g]);
    const values = statistics(buffers);
    if (r === 0) results = values.map(() => new Float64Array(resamples));
    for (let s = 0; s < values.length; s++) results[s][r] = values[s];
  }
  const alpha = 1 - level;
  return results.map((values) => {
    values.sort();
    return [
      quantileSorted(values, alpha / 2) as number,
      quantileSorted(values, 1 - alpha / 2) as number,
    ];
  });
}

function streamOf(seed: number, stream: number): RandomSource {
  return seededRandom((seed + Math.imul(stream, 0x632be5ab)) >>> 0);
}

function resampleInto(buffer: Float64Array, source: Float64Array, random: RandomSource): void {
  const n = source.length;
  for (let i = 0; i < n; i++) buffer[i] = source[(random() * n) | 0];
}

/** median(after) - median(before), for groups [before, after]. */
export const medianDifference: GroupStatistic = ([before, after]) =>
  medianInPlace(after) - medianInPlace(before);

/**
 * For groups [before, after, controlBefore, controlAfter]: the scope's difference of medians, the
 * control's, and their difference in differences,
 * (median(after) - median(before)) - (median(controlAfter) - median(controlBefore)).
 */
export const medianDifferencesWithControl: GroupStatistics = ([
  before,
  after,
  controlBefore,
  controlAfter,
]) => {
  const scope = medianInPlace(after) - medianInPlace(before);
  const control = medianInPlace(controlAfter) - medianInPlace(controlBefore);
  return [scope, control, scope - control];
};
