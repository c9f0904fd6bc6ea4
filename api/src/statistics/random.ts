// A seeded PRNG so a bootstrap over the same data always gives the same interval. Math.random
// cannot be seeded. xoshiro128** (Blackman & Vigna) is small, fast and passes BigCrush; its state
// is filled from the seed by splitmix32, as its authors recommend.

export type RandomSource = () => number;

/** Returns a function giving uniform numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): RandomSource {
  let mix = seed >>> 0;
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // The state lives in a typed array: uint32 values above 2^30 kept in plain variables would be
  // boxed on every step, which made the bootstrap ten times slower.
  const state = new Uint32Array([splitmix32(), splitmix32(), splitmix32(), splitmix32()]);
  return () => {
    const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
    const t = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
