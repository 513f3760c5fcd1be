/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the "greedy" trials that
 * scikit-learn and ml-kmeans use): each new centre is the best of `2 + ⌊ln k⌋` candidates drawn
 * with probability proportional to the squared distance to the nearest centre so far, "best"
 * meaning the one that lowers the total potential most (estimated on a regular subsample of
 * {@link POTENTIAL_ROWS} rows for large inputs). The row loops are kernels (kernels.ts);
 * potentials are summed per fixed chunk, then over chunks in order, so any thread count gives
 * the same centres.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { sqDist } from './distance.js';
import { allocate } from './buffers.js';
import { CHUNK, KERNEL, S, type Buffers } from './kernels.js';
import { serialExecutor, type Executor } from './pool.js';

/**
 * Candidates are compared by their potential on at most about this many rows (every m-th row):
 * the best candidate is usually far better than the others, so an estimate from 16k rows picks
 * the same one while the comparison stops growing with n. Every row still counts when the
 * distances to the chosen centre are recorded.
 */
export const POTENTIAL_ROWS = 16_384;

/**
 * Picks `k` initial centres from the rows of `points`.
 *
 * @example
 * const centres = kmeansPlusPlus(points, 4, createRng(42)); // 4 × points.cols
 */
export function kmeansPlusPlus(points: Matrix, k: number, rng: Rng, pool?: Executor): Matrix {
  const exec = pool ?? serialExecutor();
  const buffers = allocate(exec, points, k);
  return createMatrix(k, points.cols, seedWith(exec, buffers, k, rng));
}

/**
 * Seeds k centres into a new k × d array, using (and overwriting) the bound buffers. Leaves in
 * `b.closest` / `b.nearest` each row's squared distance to its nearest seed and which seed that
 * is (ties to the lowest index): exactly Lloyd's first assignment, which the engine then reuses.
 */
export function seedWith(exec: Executor, b: Buffers, k: number, rng: Rng): Float64Array {
  const { data, closest, nearest, candidates, gaps, chunkPot, scalars } = b;
  const n = scalars[S.n] | 0;
  const d = scalars[S.d] | 0;
  const trials = candidates.length;
  const chunks = Math.ceil(n / CHUNK);
  const centres = new Float64Array(k * d);
  if (n === 0) return centres;

  const first = rng.int(n);
  centres.set(data.subarray(first * d, first * d + d), 0);
  // The first centre is "committed" against an empty set: every row takes it as nearest.
  closest.fill(Infinity);
  nearest.fill(0);
  gaps[0] = 0;
  scalars[S.placed] = 0;
  scalars[S.chosen] = first;
  exec.run(KERNEL.commit, chunks);

  const cumulative = new Float64Array(n);
  scalars[S.trials] = trials;
  scalars[S.stride] = Math.max(1, Math.ceil(n / POTENTIAL_ROWS));
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumulative[i] = acc;
    }
    for (let t = 0; t < trials; t++) {
      // When every point already sits on a centre (fewer distinct points than k) the
      // distribution is degenerate; fall back to a uniform draw so the seeding still completes.
      candidates[t] = acc > 0 ? searchCumulative(cumulative, rng.next() * acc) : rng.int(n);
      for (let p = 0; p < c; p++) gaps[t * c + p] = sqDist(data, candidates[t] * d, centres, p * d, d);
    }
    scalars[S.placed] = c;
    exec.run(KERNEL.potentials, chunks);

    let best = 0;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let pot = 0;
      for (let ch = 0; ch < chunks; ch++) pot += chunkPot[ch * trials + t];
      if (pot < bestPotential) {
        bestPotential = pot;
        best = t;
      }
    }
    const chosen = candidates[best];
    centres.set(data.subarray(chosen * d, chosen * d + d), c * d);
    for (let p = 0; p < c; p++) gaps[p] = sqDist(data, chosen * d, centres, p * d, d);
    scalars[S.chosen] = chosen;
    exec.run(KERNEL.commit, chunks);
  }
  return centres;
}

/** First index whose cumulative weight exceeds `target` (weights of zero are never chosen). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
