/**
 * Nearest-centroid assignment: scoring new users against a fitted model, and predicting labels
 * of rows a resampled fit did not see.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { sqDist } from './distance.js';
import type { ClusterModel } from './types.js';

export interface Assignment {
  readonly labels: Int32Array;
  /** Euclidean distance to the assigned centroid. */
  readonly distances: Float64Array;
}

/** Nearest centroid (ties to the lowest index) for every row of `points`. */
export function nearestCentroids(centroids: Matrix, points: Matrix): Assignment {
  const { rows: n, cols: d, data } = points;
  if (centroids.cols !== d) throw new RangeError(`points have ${d} columns, centroids ${centroids.cols}`);
  const k = centroids.rows;
  const c = centroids.data;
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let j = 0; j < k; j++) {
      const v = sqDist(data, i * d, c, j * d, d);
      if (v < bestDist) {
        bestDist = v;
        best = j;
      }
    }
    labels[i] = best;
    distances[i] = Math.sqrt(bestDist);
  }
  return { labels, distances };
}

/**
 * Scores new users (already transformed and projected like the training users) against a fitted
 * model: the segment id and the distance to that segment's centroid.
 *
 * @example
 * const { labels, distances } = assignToCentroids(result.model, projectPca(pcaModel, newUsers));
 */
export function assignToCentroids(model: ClusterModel, points: Matrix): Assignment {
  const k = model.centroids.length;
  const d = k === 0 ? 0 : model.centroids[0].length;
  const c = createMatrix(k, d);
  for (let j = 0; j < k; j++) c.data.set(model.centroids[j], j * d);
  return nearestCentroids(c, points);
}
