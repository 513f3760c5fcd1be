/**
 * Distributions on top of the project's seeded `Rng` for the benchmark world generators.
 * Everything draws only from the generator it is handed (no Math.random), so a world is a pure
 * function of its seed. Kept small and explicit: these are the shapes the worlds need (counts,
 * heavy tails, per-user mixes, exact group sizes), nothing more.
 */
import type { Rng } from '../../../src/core/rng.js';

/** Poisson count with mean `lambda` (Knuth's product method; normal approximation above 30). */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Number of trials up to and including the first success (support 1, 2, …; mean 1/p). */
export function geometric(rng: Rng, p: number): number {
  if (p >= 1) return 1;
  if (!(p > 0)) throw new Error(`geometric: p must be in (0, 1], got ${p}`);
  const u = 1 - rng.next(); // (0, 1]
  return Math.max(1, Math.ceil(Math.log(u) / Math.log(1 - p)));
}

/** exp(N(mu, sigma²)): median e^mu, heavy right tail. */
export function lognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * rng.normal());
}

/** Gamma(shape, scale) by Marsaglia–Tsang; shape < 1 via the u^(1/shape) boost. */
export function gamma(rng: Rng, shape: number, scale = 1): number {
  if (!(shape > 0)) throw new Error(`gamma: shape must be > 0, got ${shape}`);
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Beta(a, b) from two gammas. */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/** Beta parameterised by its mean and concentration (a + b). */
export function betaMean(rng: Rng, mean: number, concentration: number): number {
  const m = Math.min(1 - 1e-6, Math.max(1e-6, mean));
  return beta(rng, m * concentration, (1 - m) * concentration);
}

/** Dirichlet(alpha); zero entries stay exactly zero. */
export function dirichlet(rng: Rng, alpha: readonly number[]): number[] {
  const g = alpha.map((a) => (a > 0 ? gamma(rng, a) : 0));
  const total = g.reduce((s, v) => s + v, 0);
  if (total === 0) return alpha.map(() => 1 / alpha.length);
  return g.map((v) => v / total);
}

/** A per-unit draw around `mix` (normalised): Dirichlet(concentration · mix). */
export function perturbMix(rng: Rng, mix: readonly number[], concentration: number): number[] {
  const total = mix.reduce((s, v) => s + v, 0);
  return dirichlet(rng, mix.map((v) => (concentration * v) / total));
}

/** Index drawn with probability proportional to `weights` (need not sum to 1). */
export function categorical(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}

/** One of `items`, with probability proportional to `weights`. */
export function pick<T>(rng: Rng, items: readonly T[], weights?: readonly number[]): T {
  return weights ? items[categorical(rng, weights)] : items[rng.int(items.length)];
}

/** Fisher–Yates in place. */
export function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/**
 * Exact group sizes for `n` units and the given shares (largest remainder, so a 3% group of
 * 2,000 is exactly 60), each at least `min` when n allows it.
 */
export function exactCounts(n: number, shares: readonly number[], min = 0): number[] {
  const total = shares.reduce((s, v) => s + v, 0);
  const raw = shares.map((s) => (n * s) / total);
  const counts = raw.map((r) => Math.floor(r));
  let left = n - counts.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => ({ i, rem: r - Math.floor(r) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  // Raise small groups to `min`, taking from the largest.
  for (let i = 0; i < counts.length; i++) {
    while (counts[i] < min) {
      let big = 0;
      for (let j = 1; j < counts.length; j++) if (counts[j] > counts[big]) big = j;
      if (big === i || counts[big] <= min) break;
      counts[big]--;
      counts[i]++;
    }
  }
  return counts;
}

/**
 * Persona index per unit (0..shares.length-1) with exact shares, in shuffled order, so that
 * unit ids carry no information about the persona.
 */
export function assignPersonas(rng: Rng, n: number, shares: readonly number[], min = 0): number[] {
  const counts = exactCounts(n, shares, min);
  const out: number[] = [];
  counts.forEach((c, p) => {
    for (let k = 0; k < c; k++) out.push(p);
  });
  return shuffleInPlace(rng, out);
}

/** `prefix` + zero-padded number: `userId('u', 42)` → `u00042`. */
export function userId(prefix: string, i: number, width = 5): string {
  return prefix + String(i).padStart(width, '0');
}

/** A 32-bit seed for family `name` and world seed `seed`, so families with equal seeds differ. */
export function familySeed(name: string, seed: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h ^ Math.imul(Math.floor(seed) + 1, 0x9e3779b1)) >>> 0;
}
