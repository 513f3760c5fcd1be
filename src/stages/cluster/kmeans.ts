/**
 * The k-means engine: Lloyd iterations on a row-major Float64Array, accelerated with Hamerly's
 * bounds (one upper bound to the own centre and one lower bound to every other centre per point)
 * so most points skip the k distance computations once the centres settle.
 *
 * The iteration is defined exactly like ml-kmeans v7 so the two can be compared bit for bit:
 * each step assigns every point to its nearest centre (ties to the lowest index), recomputes the
 * centres as plain means summed in row order, and stops when no centre moved by more than
 * `tolerance` in *squared* Euclidean distance, or after `maxIterations` steps. The labels
 * returned are those of the last assignment; the centres are the means of those labels.
 * The one deliberate difference: a centre left without points is re-seeded at the point
 * farthest from its own centre (ml-kmeans leaves it where it was, which wastes a cluster).
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { createRng, type Rng } from '../../core/rng.js';
import { kmeansPlusPlus } from './seeding.js';

export interface KMeansOptions {
  /** Drives k-means++ seeding; defaults to createRng(0). Ignored with `initialCentroids`. */
  readonly rng?: Rng;
  /** Start from these centres (k × cols) instead of k-means++; one run, `restarts` ignored. */
  readonly initialCentroids?: Matrix;
  /** Independent k-means++ runs; the lowest inertia wins (the first on ties). Default 1. */
  readonly restarts?: number;
  /** Default 100; 0 means no limit (as in ml-kmeans). */
  readonly maxIterations?: number;
  /** Largest squared centre movement that counts as converged. Default 1e-6 (as in ml-kmeans). */
  readonly tolerance?: number;
  /**
   * Called after every update step with that step's labels and the new centres. The arrays are
   * the engine's working buffers: read them during the call, do not keep or change them.
   */
  readonly onIteration?: (step: LloydStep) => void;
}

export interface LloydStep {
  readonly iteration: number;
  readonly labels: Int32Array;
  readonly centroids: Matrix;
}

export interface KMeansResult {
  readonly labels: Int32Array;
  readonly centroids: Matrix;
  /** Sum of squared distances from each point to its centre. */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** How many times an empty cluster was re-seeded (0 in the common case). */
  readonly reseeded: number;
}

/**
 * Bounds only let a point skip when its own centre is closer by this relative margin, so the
 * rounding in the bounds can never make the engine disagree with plain Lloyd on a near tie.
 */
const SAFE = 1 + 1e-9;
/** Relative slack added at every bound update to absorb the rounding of the update itself. */
const DRIFT = 1e-11;

/**
 * Clusters the rows of `points` into `k` groups.
 *
 * @example
 * const { labels, centroids, inertia } = kmeans(points, 3, { rng: createRng(7), restarts: 4 });
 */
export function kmeans(points: Matrix, k: number, options: KMeansOptions = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > points.rows) throw new RangeError(`k = ${k} exceeds the ${points.rows} points`);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;

  if (options.initialCentroids) {
    const init = options.initialCentroids;
    if (init.rows !== k || init.cols !== points.cols) {
      throw new RangeError(`initial centroids are ${init.rows} × ${init.cols}, expected ${k} × ${points.cols}`);
    }
    return lloyd(points, init, maxIterations, tolerance, options.onIteration);
  }

  const rng = options.rng ?? createRng(0);
  const restarts = Math.max(1, options.restarts ?? 1);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    // Each restart gets its own generator so adding restarts never changes the earlier ones.
    const seeds = kmeansPlusPlus(points, k, rng.fork());
    const result = lloyd(points, seeds, maxIterations, tolerance, options.onIteration);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return best as KMeansResult;
}

function lloyd(
  points: Matrix,
  init: Matrix,
  maxIterationsOption: number,
  tolerance: number,
  onIteration: ((step: LloydStep) => void) | undefined,
): KMeansResult {
  const { rows: n, cols: d, data } = points;
  const k = init.rows;
  const maxIterations = maxIterationsOption === 0 ? Infinity : maxIterationsOption;

  let centres = Float64Array.from(init.data);
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const counts = new Int32Array(k);
  const move = new Float64Array(k);
  const half = new Float64Array(k);

  let iterations = 0;
  let converged = false;
  let reseeded = 0;

  while (!converged && iterations < maxIterations) {
    iterations++;

    // 1. Assignment.
    if (iterations === 1) {
      for (let i = 0; i < n; i++) assignPoint(data, i, d, centres, k, labels, upper, lower);
    } else {
      halfGaps(centres, k, d, half);
      for (let i = 0; i < n; i++) {
        const a = labels[i];
        const bound = half[a] > lower[i] ? half[a] : lower[i];
        if (upper[i] * SAFE < bound) continue;
        const u = Math.sqrt(sqDist(data, i * d, centres, a * d, d));
        upper[i] = u;
        if (u * SAFE < bound) continue;
        assignPoint(data, i, d, centres, k, labels, upper, lower);
      }
    }

    // 2. Update: plain means, summed in row order (as ml-kmeans does, so the bits agree).
    next.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      counts[a]++;
      const off = a * d;
      const src = i * d;
      for (let j = 0; j < d; j++) next[off + j] += data[src + j];
    }
    let empties = 0;
    for (let c = 0; c < k; c++) {
      const off = c * d;
      if (counts[c] === 0) {
        empties++;
        for (let j = 0; j < d; j++) next[off + j] = centres[off + j];
      } else {
        const m = counts[c];
        for (let j = 0; j < d; j++) next[off + j] /= m;
      }
    }
    const moved = empties > 0 ? reseedEmpty(data, n, d, k, labels, counts, next) : 0;
    reseeded += moved;

    // 3. Convergence, measured like ml-kmeans: squared movement of every centre.
    converged = moved === 0;
    let maxMove = 0;
    let maxMoveAt = -1;
    let secondMove = 0;
    for (let c = 0; c < k; c++) {
      const m2 = sqDist(next, c * d, centres, c * d, d);
      if (m2 > tolerance) converged = false;
      const m = Math.sqrt(m2);
      move[c] = m;
      if (m > maxMove) {
        secondMove = maxMove;
        maxMove = m;
        maxMoveAt = c;
      } else if (m > secondMove) {
        secondMove = m;
      }
    }

    const swap = centres;
    centres = next;
    next = swap;
    if (onIteration) onIteration({ iteration: iterations, labels, centroids: createMatrix(k, d, centres) });

    // 4. Loosen the bounds by how far the centres moved (triangle inequality).
    if (maxMove > 0) {
      for (let i = 0; i < n; i++) {
        const a = labels[i];
        const u = upper[i] + move[a];
        upper[i] = u + DRIFT * u;
        const other = a === maxMoveAt ? secondMove : maxMove;
        const l = lower[i];
        lower[i] = l - other - DRIFT * (l + other);
      }
    }
  }

  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i * d, centres, labels[i] * d, d);
  return { labels, centroids: createMatrix(k, d, centres), inertia, iterations, converged, reseeded };
}

/** Exact nearest centre for point i (ties to the lowest index) and fresh bounds. */
function assignPoint(
  data: Float64Array,
  i: number,
  d: number,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const off = i * d;
  let best = 0;
  // Same start value and strict comparison as ml-nearest-vector, so ties resolve identically.
  let bestDist = Number.MAX_VALUE;
  let second = Infinity;
  for (let c = 0; c < k; c++) {
    const v = sqDist(data, off, centres, c * d, d);
    if (v < bestDist) {
      if (bestDist !== Number.MAX_VALUE) second = bestDist;
      bestDist = v;
      best = c;
    } else if (v < second) {
      second = v;
    }
  }
  labels[i] = best;
  upper[i] = Math.sqrt(bestDist);
  lower[i] = Math.sqrt(second);
}

/** half[c]: half the distance from centre c to its nearest other centre (Infinity when k = 1). */
function halfGaps(centres: Float64Array, k: number, d: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const g = 0.5 * Math.sqrt(sqDist(centres, a * d, centres, b * d, d));
      if (g < half[a]) half[a] = g;
      if (g < half[b]) half[b] = g;
    }
  }
}

/**
 * Moves each empty centre onto the point farthest from its own (new) centre, taken only from
 * clusters that keep at least one point; ties go to the lowest row. Returns how many moved.
 */
function reseedEmpty(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  counts: Int32Array,
  centres: Float64Array,
): number {
  const far = new Float64Array(n);
  for (let i = 0; i < n; i++) far[i] = sqDist(data, i * d, centres, labels[i] * d, d);
  let moved = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    let pick = -1;
    let pickDist = 0;
    for (let i = 0; i < n; i++) {
      if (far[i] > pickDist && counts[labels[i]] > 1) {
        pickDist = far[i];
        pick = i;
      }
    }
    // Every point sits on its centre: fewer distinct points than k, nothing to split.
    if (pick < 0) continue;
    centres.set(data.subarray(pick * d, pick * d + d), c * d);
    counts[labels[pick]]--;
    counts[c] = 1;
    far[pick] = -1;
    moved++;
  }
  return moved;
}

export function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}
