/**
 * Warm start (`cluster.warm_start: previous`): the final fit starts from the previous run's
 * segment centres, expressed in this run's model space (run/lineage.ts: the mean of each previous
 * segment's returning members), instead of k-means++. When the data barely moved, Lloyd's
 * iterations then settle on the same segments rather than on an equally good relabelled or
 * reshuffled partition. With more segments than before, the missing centres are added by
 * D²-sampling (k-means++'s rule) from the seed; with fewer, the largest previous segments' centres
 * are used (they come in size order).
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { kmeans, type KMeansResult } from './kmeans.js';

/**
 * k initial centres: the first min(k, previous.rows) previous centres, then D²-sampled rows of
 * `points`.
 *
 * @example
 * warmCentres(points, previousCentres, 5, createRng(7)).rows; // 5
 */
export function warmCentres(points: Matrix, previous: Matrix, k: number, rng: Rng): Matrix {
  const { rows: n, cols: d } = points;
  if (previous.cols !== d) throw new RangeError(`previous centres have ${previous.cols} dimensions, points ${d}`);
  const kept = Math.min(k, previous.rows);
  const centres = new Float64Array(k * d);
  centres.set(previous.data.subarray(0, kept * d));
  // Squared distance of every point to its nearest chosen centre.
  const near = new Float64Array(n).fill(Infinity);
  const update = (c: number) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = points.data[i * d + j] - centres[c * d + j];
        s += x * x;
      }
      if (s < near[i]) near[i] = s;
    }
  };
  for (let c = 0; c < kept; c++) update(c);
  for (let c = kept; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += near[i];
    let pick = n - 1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        r -= near[i];
        if (r < 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = rng.int(n);
    }
    centres.set(points.data.subarray(pick * d, (pick + 1) * d), c * d);
    update(c);
  }
  return createMatrix(k, d, centres);
}

/** Lloyd's iterations from the warm centres (one run: the start is the point, not restarts). */
export function warmFit(points: Matrix, previous: Matrix, k: number, maxIterations: number, rng: Rng): KMeansResult {
  return kmeans(points, k, { initialCentroids: warmCentres(points, previous, k, rng), maxIterations });
}
