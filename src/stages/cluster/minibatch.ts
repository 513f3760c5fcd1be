/**
 * Mini-batch k-means (Sculley 2010) for inputs too large for full Lloyd passes to be worth their
 * cost: each step assigns a small random batch of rows to the nearest centre and moves every
 * centre towards its batch rows by the running-mean rule, so a centre that has absorbed v rows
 * moves by 1/v of the way — the centres settle long before every row has been seen even once.
 *
 * As in scikit-learn's MiniBatchKMeans: `restarts` k-means++ seedings are drawn on random
 * samples and only the best, by inertia on a common validation sample, is refined; the refining
 * stops when a smoothed batch inertia has not improved for `patience` steps, or after `maxSteps`.
 * Then every row is assigned to its nearest centre, and `polish` full Lloyd steps (bounded,
 * from the mini-batch centres) bring the result to within rounding of a full k-means optimum
 * near them — usually one or two steps, since the centres are already close.
 *
 * Single-threaded and seeded: the same seed gives the same result. Memory beyond the input is
 * O(n) for the labels (and the Lloyd bounds when polishing), O(batch · d) for the rest.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { createRng, type Rng } from '../../core/rng.js';
import { distBelow, lloyd, seedCentres, type Job } from './engine.js';
import { seedingTrials, type KMeansResult } from './kmeans.js';

export interface MiniBatchOptions {
  /** Drives sampling and seeding; defaults to createRng(0). */
  readonly rng?: Rng;
  /** k-means++ seedings to choose from (each on its own sample). Default 3. */
  readonly restarts?: number;
  /** Rows per step. Default 4096. */
  readonly batchSize?: number;
  /** Largest number of steps. Default 500. */
  readonly maxSteps?: number;
  /** Stop after this many steps without a new low of the smoothed batch inertia. Default 10. */
  readonly patience?: number;
  /**
   * Full Lloyd steps on all rows after the mini-batch steps. Default 1: every row to its nearest
   * centre and the centres to the means of their rows, like the last step of `kmeans`. 0 keeps
   * the mini-batch centres (the rows are still assigned to them).
   */
  readonly polish?: number;
}

/**
 * Clusters the rows of `points` into `k` groups by mini-batch k-means.
 *
 * @example
 * const fit = miniBatchKmeans(points, 8, { rng: createRng(1), restarts: 3 });
 * fit.labels; fit.centroids; fit.inertia; // fit.iterations = mini-batch steps + Lloyd steps
 */
export function miniBatchKmeans(points: Matrix, k: number, options: MiniBatchOptions = {}): KMeansResult {
  const { rows: n, cols: d, data } = points;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`k = ${k} exceeds the ${n} points`);
  const rng = options.rng ?? createRng(0);
  const restarts = Math.max(1, options.restarts ?? 3);
  const batchSize = Math.max(1, Math.min(n, options.batchSize ?? 4096));
  const maxSteps = options.maxSteps ?? 500;
  const patience = options.patience ?? 10;
  const polish = options.polish ?? 1;

  // 1. Seeding: the best of `restarts` k-means++ seedings on samples of 3 batches (scikit-learn's
  //    init_size), judged on one validation sample of the same size.
  const initSize = Math.min(n, Math.max(3 * batchSize, 10 * k));
  const validation = sampleRows(points, initSize, rng.fork());
  let centres = new Float64Array(k * d);
  let bestInertia = Infinity;
  for (let r = 0; r < restarts; r++) {
    const draw = rng.fork();
    const sample = sampleRows(points, initSize, draw);
    const m = sample.rows;
    const trials = seedingTrials(k, m);
    const uniforms = Float64Array.from({ length: 1 + (k - 1) * trials }, () => draw.next());
    const seeds = new Float64Array(k * d);
    seedCentres(sample.data, m, d, k, trials, uniforms, 0, seeds, new Float64Array(m), new Int32Array(m), new Float64Array(m), null, null, () => {});
    const inertia = assignBatch(validation.data, validation.rows, d, k, seeds, null, null, null);
    if (inertia < bestInertia) {
      bestInertia = inertia;
      centres = seeds;
    }
  }

  // 2. Mini-batch steps.
  const seen = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const batch = createMatrix(batchSize, d);
  // The batch inertia smoothed over about the last ten batches: enough to tell a trend from
  // the noise of one batch, short enough to notice within tens of steps that the centres settled.
  const alpha = 0.1;
  let smoothed = NaN;
  let lowest = Infinity;
  let calm = 0;
  let steps = 0;
  const draw = rng.fork();
  while (steps < maxSteps && calm < patience) {
    steps++;
    for (let t = 0; t < batchSize; t++) {
      const i = draw.int(n);
      for (let j = 0; j < d; j++) batch.data[t * d + j] = data[i * d + j];
    }
    sums.fill(0);
    counts.fill(0);
    const inertia = assignBatch(batch.data, batchSize, d, k, centres, sums, counts, null) / batchSize;
    for (let c = 0; c < k; c++) {
      const m = counts[c];
      if (m === 0) continue;
      seen[c] += m;
      // The running mean of every row the centre has absorbed: c += (Σ x − m c) / v.
      const v = seen[c];
      for (let j = 0; j < d; j++) centres[c * d + j] += (sums[c * d + j] - m * centres[c * d + j]) / v;
    }
    smoothed = Number.isNaN(smoothed) ? inertia : smoothed * (1 - alpha) + inertia * alpha;
    if (smoothed < lowest) {
      lowest = smoothed;
      calm = 0;
    } else {
      calm++;
    }
  }

  // 3. Every row to its nearest centre, then the Lloyd polish (polish = 0: one assignment only,
  //    the centres stay the mini-batch's).
  const labels = new Int32Array(n);
  const job: Job = { data, n, d, k, uniforms: new Float64Array(0), trials: 0, maxIterations: Math.max(1, polish), tolerance: 1e-6 };
  if (polish > 0) {
    const stats = lloyd(job, { labels, upper: new Float64Array(n), lower: new Float64Array(n) }, centres, null, null, () => {});
    return { labels, centroids: createMatrix(k, d, centres), ...stats, iterations: steps + stats.iterations };
  }
  const inertia = assignBatch(data, n, d, k, centres, null, null, labels);
  return { labels, centroids: createMatrix(k, d, centres), inertia, iterations: steps, converged: calm >= patience, reseeded: 0 };
}

/**
 * Nearest centre (ties to the lowest index) of each of the m rows of `rows`; with sums/counts,
 * adds each row to its centre's sum; with labels, records it. Returns the total squared distance.
 */
function assignBatch(
  rows: Float64Array,
  m: number,
  d: number,
  k: number,
  centres: Float64Array,
  sums: Float64Array | null,
  counts: Int32Array | null,
  labels: Int32Array | null,
): number {
  let total = 0;
  for (let t = 0; t < m; t++) {
    const off = t * d;
    let best = 0;
    let bestDist = Number.MAX_VALUE;
    for (let c = 0; c < k; c++) {
      const v = distBelow(rows, off, centres, c * d, d, bestDist);
      if (v < bestDist) {
        bestDist = v;
        best = c;
      }
    }
    total += bestDist;
    if (labels !== null) labels[t] = best;
    if (sums !== null && counts !== null) {
      counts[best]++;
      for (let j = 0; j < d; j++) sums[best * d + j] += rows[off + j];
    }
  }
  return total;
}

/**
 * `m` rows drawn uniformly with replacement (sorted, so the copy reads memory in order); all
 * the rows when m ≥ n.
 */
function sampleRows(points: Matrix, m: number, rng: Rng): Matrix {
  const { rows: n, cols: d, data } = points;
  if (m >= n) return points;
  const picks = Int32Array.from({ length: m }, () => rng.int(n)).sort();
  const out = createMatrix(m, d);
  for (let t = 0; t < m; t++) out.data.set(data.subarray(picks[t] * d, picks[t] * d + d), t * d);
  return out;
}
