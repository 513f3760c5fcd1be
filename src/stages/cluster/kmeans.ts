/**
 * k-means on a row-major Float64Array: greedy k-means++ seeding, restarts, and Lloyd iterations
 * accelerated with Hamerly's bounds (engine.ts). Restarts run on the calling thread, or on
 * every thread of a pool (pool.ts) with an identical result. For millions of rows, see
 * minibatch.ts.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { createRng, type Rng } from '../../core/rng.js';
import { lloyd, runClaimed, type IterationHook, type Job, type Outcome } from './engine.js';
import { heard, type ThreadPool } from './pool.js';

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
   * Threads to run the restarts on (createThreadPool); default: the calling thread only. The
   * result is the same either way. Not used with `onIteration` or `initialCentroids`.
   */
  readonly pool?: ThreadPool;
  /**
   * Called after every update step with that step's labels and the new centres. The arrays are
   * the engine's working buffers: read them during the call, do not keep or change them.
   */
  readonly onIteration?: (step: LloydStep) => void;
  /**
   * Progress only: told each restart index (0-based) as the calling thread starts it; with a
   * pool, the restarts other threads start are not told.
   */
  readonly onRestart?: (restart: number, restarts: number) => void;
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

/** The k-means++ candidates are compared on at most about this many rows (see engine.ts). */
export const POTENTIAL_ROWS = 16_384;

/**
 * k-means++ candidates per centre: 2 + ⌊ln k⌋ (scikit-learn's and ml-kmeans' choice), doubled
 * when the candidates are compared on a subsample of at most half the rows. There a candidate
 * costs a small fraction of the pass that commits the chosen one, and the extra candidates make
 * a seeding with two centres in one group and none in another much rarer: on the 200k × 20
 * blobs of bench/kmeans.ts, 2 in 30 seedings instead of 11 in 30 end in such a local optimum,
 * which also saves the long tail of Lloyd iterations those take.
 */
export function seedingTrials(k: number, n: number): number {
  const base = 2 + Math.floor(Math.log(Math.max(k, 1)));
  return n > 2 * POTENTIAL_ROWS ? 2 * base : base;
}

/** Uniform draws one k-means++ seeding consumes: the first centre, then one per candidate. */
export function drawsPerSeeding(k: number, n: number): number {
  return 1 + (k - 1) * seedingTrials(k, n);
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
  const { rows: n, cols: d } = points;
  const maxIterations = options.maxIterations === 0 ? Infinity : (options.maxIterations ?? 100);
  const tolerance = options.tolerance ?? 1e-6;
  const trials = seedingTrials(k, n);
  const onIteration = options.onIteration;
  const hook: IterationHook | null = onIteration
    ? (iteration, labels, centres) => onIteration({ iteration, labels, centroids: createMatrix(k, d, centres) })
    : null;

  if (options.initialCentroids) {
    const init = options.initialCentroids;
    if (init.rows !== k || init.cols !== d) {
      throw new RangeError(`initial centroids are ${init.rows} × ${init.cols}, expected ${k} × ${d}`);
    }
    const job: Job = { data: points.data, n, d, k, uniforms: new Float64Array(0), trials, maxIterations, tolerance };
    const labels = new Int32Array(n);
    const centres = Float64Array.from(init.data);
    const stats = lloyd(job, { labels, upper: new Float64Array(n), lower: new Float64Array(n) }, centres, null, hook, () => {});
    return { labels, centroids: createMatrix(k, d, centres), ...stats };
  }

  // Every restart's draws come from its own fork, taken in order, so adding restarts never
  // changes the earlier ones and no thread ever touches the generator.
  const rng = options.rng ?? createRng(0);
  const restarts = Math.max(1, options.restarts ?? 1);
  const per = drawsPerSeeding(k, n);
  const uniforms = new Float64Array(restarts * per);
  for (let r = 0; r < restarts; r++) {
    const draw = rng.fork();
    for (let t = 0; t < per; t++) uniforms[r * per + t] = draw.next();
  }
  const job: Job = { data: points.data, n, d, k, uniforms, trials, maxIterations, tolerance };

  const onRestart = options.onRestart && ((r: number) => options.onRestart!(r, restarts));
  let best: Outcome;
  if (options.pool && !hook) {
    best = options.pool.run(job, restarts, onRestart);
  } else {
    best = { labels: new Int32Array(n), centres: new Float64Array(k * d), stats: Float64Array.of(-1, 0, 0, 0, 0) };
    const scratch = { labels: new Int32Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
    let next = 0;
    runClaimed(job, () => heard(next < restarts ? next++ : -1, onRestart), scratch, best, hook, () => {});
  }
  const [, inertia, iterations, converged, reseeded] = best.stats;
  return {
    // Copies: a pool's outcome arrays are reused by its next call.
    labels: new Int32Array(best.labels.subarray(0, n)),
    centroids: createMatrix(k, d, new Float64Array(best.centres.subarray(0, k * d))),
    inertia,
    iterations,
    converged: converged === 1,
    reseeded,
  };
}
