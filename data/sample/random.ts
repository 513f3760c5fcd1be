/**
 * Small sampling helpers over the project's seeded Rng (src/core/rng.ts), so every draw in the
 * sample generator is replayable from the one seed.
 */
import type { Rng } from '../../src/core/rng.js';

/** Index drawn in proportion to `weights` (all ≥ 0, at least one > 0). */
export function weightedIndex(weights: readonly number[], rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** A key of `table` drawn in proportion to its value; keys are sorted so the draw never depends on insertion order. */
export function weightedKey(table: Readonly<Record<string, number>>, rng: Rng): string {
  const keys = Object.keys(table).sort();
  return keys[weightedIndex(keys.map((k) => table[k]), rng)];
}

/** Cumulative weights, for many draws from the same distribution. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    c[i] = s;
  }
  return c;
}

/** Index drawn from cumulative weights (binary search). */
export function drawCumulative(cum: Float64Array, rng: Rng): number {
  const x = rng.next() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Lognormal with the given median and log-scale sigma. */
export function lognormal(median: number, sigma: number, rng: Rng): number {
  return median * Math.exp(sigma * rng.normal());
}

/** Poisson (Knuth; fine for the small means used here). */
export function poisson(mean: number, rng: Rng): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Uniform integer in [lo, hi] (inclusive). */
export function between(lo: number, hi: number, rng: Rng): number {
  return lo + rng.int(hi - lo + 1);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
