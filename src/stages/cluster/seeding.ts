/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the "greedy" trials that
 * scikit-learn and ml-kmeans use): each new centre is the best of `2 + ⌊ln k⌋` candidates drawn
 * with probability proportional to the squared distance to the nearest centre so far, "best"
 * meaning the one that lowers the total potential most. Plain typed arrays, O(k · trials · n · d).
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';

/**
 * Picks `k` initial centres from the rows of `points`.
 *
 * @example
 * const centres = kmeansPlusPlus(points, 4, createRng(42)); // 4 × points.cols
 */
export function kmeansPlusPlus(points: Matrix, k: number, rng: Rng, trials = 2 + Math.floor(Math.log(k))): Matrix {
  const { rows: n, cols: d, data } = points;
  const centres = createMatrix(k, d);
  if (n === 0 || k === 0) return centres;

  const first = rng.int(n);
  centres.data.set(data.subarray(first * d, first * d + d), 0);

  // closest[i]: squared distance from point i to its nearest centre so far.
  let closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sq(data, i * d, data, first * d, d);

  const cumulative = new Float64Array(n);
  let candidateDist = new Float64Array(n);
  let bestDist = new Float64Array(n);

  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumulative[i] = acc;
    }

    let bestIndex = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      // When every point already sits on a centre (fewer distinct points than k) the
      // distribution is degenerate; fall back to a uniform draw so the seeding still completes.
      const candidate = acc > 0 ? searchCumulative(cumulative, rng.next() * acc) : rng.int(n);
      let pot = 0;
      const off = candidate * d;
      for (let i = 0; i < n; i++) {
        const v = sq(data, i * d, data, off, d);
        const m = v < closest[i] ? v : closest[i];
        candidateDist[i] = m;
        pot += m;
      }
      if (pot < bestPotential) {
        bestPotential = pot;
        bestIndex = candidate;
        const swap = bestDist;
        bestDist = candidateDist;
        candidateDist = swap;
      }
    }

    centres.data.set(data.subarray(bestIndex * d, bestIndex * d + d), c * d);
    const swap = closest;
    closest = bestDist;
    bestDist = swap;
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

function sq(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}
