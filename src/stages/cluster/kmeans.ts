/**
 * The k-means engine: Lloyd iterations on a row-major Float64Array, accelerated with Hamerly's
 * bounds (one upper bound to the own centre and one lower bound to every other centre per point)
 * so most points skip the k distance computations once the centres settle.
 *
 * The iteration is defined exactly like ml-kmeans v7 so the two can be compared: each step
 * assigns every point to its nearest centre (ties to the lowest index), recomputes the centres
 * as means, and stops when no centre moved by more than `tolerance` in *squared* Euclidean
 * distance, or after `maxIterations` steps. The labels returned are those of the last
 * assignment; the centres are the means of those labels, summed in row order like ml-kmeans so
 * the final bits agree. Between iterations the per-cluster sums are updated only for points
 * that changed cluster (the skipped points are most of them, so a full pass would dominate);
 * that differs from a fresh sum by rounding in the last bits only.
 * The one deliberate difference: a centre left without points is re-seeded at the point
 * farthest from its own centre (ml-kmeans leaves it where it was, which wastes a cluster).
 *
 * The row loops live in kernels.ts and run through an Executor (pool.ts): the calling thread by
 * default, or a thread pool, with identical results.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { createRng, type Rng } from '../../core/rng.js';
import { sqDist } from './distance.js';
import { allocate } from './buffers.js';
import { CHUNK, KERNEL, S, type Buffers } from './kernels.js';
import { serialExecutor, type Executor } from './pool.js';
import { seedWith } from './seeding.js';

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
  /** Threads to run the row loops on (createThreadPool); default: the calling thread only. */
  readonly pool?: Executor;
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
  const exec = options.pool ?? serialExecutor();
  const buffers = allocate(exec, points, k);

  if (options.initialCentroids) {
    const init = options.initialCentroids;
    if (init.rows !== k || init.cols !== points.cols) {
      throw new RangeError(`initial centroids are ${init.rows} × ${init.cols}, expected ${k} × ${points.cols}`);
    }
    return lloyd(exec, buffers, init.data, false, maxIterations, tolerance, options.onIteration);
  }

  const rng = options.rng ?? createRng(0);
  const restarts = Math.max(1, options.restarts ?? 1);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    // Each restart gets its own generator so adding restarts never changes the earlier ones.
    const seeds = seedWith(exec, buffers, k, rng.fork());
    const result = lloyd(exec, buffers, seeds, true, maxIterations, tolerance, options.onIteration);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return best as KMeansResult;
}

function lloyd(
  exec: Executor,
  b: Buffers,
  init: Float64Array,
  seeded: boolean,
  maxIterationsOption: number,
  tolerance: number,
  onIteration: ((step: LloydStep) => void) | undefined,
): KMeansResult {
  const { data, labels, scalars } = b;
  const n = scalars[S.n] | 0;
  const d = scalars[S.d] | 0;
  const k = scalars[S.k] | 0;
  const chunks = Math.ceil(n / CHUNK);
  const maxIterations = maxIterationsOption === 0 ? Infinity : maxIterationsOption;

  // b.centres always holds the current centres (the kernels read them there).
  const centres = b.centres;
  centres.set(init);
  const next = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const move = b.move;

  let iterations = 0;
  let converged = false;
  let reseeded = 0;

  while (!converged && iterations < maxIterations) {
    iterations++;

    // 1. Assignment, then the per-cluster sums brought up to date for the points that moved.
    if (iterations === 1) {
      if (seeded) takeSeedingAssignment(b, n, d, k);
      else exec.run(KERNEL.assignAll, chunks);
      sumByCluster(data, n, d, labels, sums, counts);
    } else {
      halfGaps(centres, k, d, b.half);
      exec.run(KERNEL.assignBounded, chunks);
      // Chunk by chunk, row by row: the same order on any number of threads.
      const { moved, movedFrom, movedCount } = b;
      for (let ch = 0; ch < chunks; ch++) {
        for (let t = ch * CHUNK, end = t + movedCount[ch]; t < end; t++) {
          const i = moved[t];
          const a = movedFrom[t];
          const c = labels[i];
          const src = i * d;
          for (let j = 0; j < d; j++) {
            sums[a * d + j] -= data[src + j];
            sums[c * d + j] += data[src + j];
          }
          counts[a]--;
          counts[c]++;
        }
      }
    }

    // 2. Update: the means (an empty cluster keeps its centre, as in ml-kmeans, until re-seeded).
    let empties = 0;
    for (let c = 0; c < k; c++) {
      const off = c * d;
      if (counts[c] === 0) {
        empties++;
        for (let j = 0; j < d; j++) next[off + j] = centres[off + j];
      } else {
        const m = counts[c];
        for (let j = 0; j < d; j++) next[off + j] = sums[off + j] / m;
      }
    }
    const moved = empties > 0 ? reseedEmpty(data, n, d, k, labels, Int32Array.from(counts), next) : 0;
    reseeded += moved;

    // 3. Convergence, measured like ml-kmeans: squared movement of every centre. The moves also
    //    loosen the bounds in the next assignment: by the largest move of any *other* centre.
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
    scalars[S.maxMoveAt] = maxMoveAt;
    scalars[S.maxMove] = maxMove;
    scalars[S.secondMove] = secondMove;
    centres.set(next);
    if (onIteration) onIteration({ iteration: iterations, labels, centroids: createMatrix(k, d, centres) });
  }

  // The running sums drift from a fresh sum by rounding only; recompute the final centres as
  // plain means summed in row order, exactly as ml-kmeans computes them.
  if (iterations > 1) {
    sumByCluster(data, n, d, labels, sums, counts);
    for (let c = 0; c < k; c++) {
      const m = counts[c];
      if (m > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / m;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i * d, centres, labels[i] * d, d);
  return {
    labels: Int32Array.from(labels),
    centroids: createMatrix(k, d, Float64Array.from(centres)),
    inertia,
    iterations,
    converged,
    reseeded,
  };
}

/**
 * Lloyd's first assignment straight from the k-means++ seeding, which already found every row's
 * nearest seed (the same distances, computed the same way, ties to the lowest index). The lower
 * bound comes from the triangle inequality: another seed is at least (its distance to the own
 * seed) − (the row's distance to the own seed) away.
 */
function takeSeedingAssignment(b: Buffers, n: number, d: number, k: number): void {
  const { labels, upper, lower, closest, nearest, half, centres } = b;
  halfGaps(centres, k, d, half);
  for (let i = 0; i < n; i++) {
    const a = nearest[i];
    const u = Math.sqrt(closest[i]);
    const l = 2 * half[a] - u;
    labels[i] = a;
    upper[i] = u;
    // A little slack for rounding, as everywhere the bounds are derived rather than measured.
    lower[i] = l - 1e-11 * (2 * half[a] + u);
  }
}

/** sums[c]: the sum of cluster c's points, in row order; counts[c]: its size. */
function sumByCluster(data: Float64Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Int32Array): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    counts[a]++;
    const off = a * d;
    const src = i * d;
    for (let j = 0; j < d; j++) sums[off + j] += data[src + j];
  }
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
