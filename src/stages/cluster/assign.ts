/**
 * Nearest-centroid assignment: scoring new users against a fitted model, and predicting labels
 * of rows a resampled fit did not see.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { sqDist } from './distance.js';
import type { ClusterModel } from './types.js';

/** Where each user sits relative to the segments' centres. */
export interface Placement {
  /** Segment id per user. */
  readonly labels: Int32Array;
  /** Euclidean distance to the user's own segment's centre. */
  readonly distances: Float64Array;
  /**
   * (d2 − d1) / (d2 + d1), d1 the distance to the own centre and d2 to the nearest other one:
   * 0 = on the border with another segment, 1 = at its own centre (1 when k = 1).
   */
  readonly margins: Float64Array;
}

/** Nearest centroid (ties to the lowest index) for every row of `points`, with distances and margins. */
export function nearestCentroids(centroids: Matrix, points: Matrix): Placement {
  return placeAt(centroids, points, nearestLabels(centroids, points));
}

/** Nearest centroid (ties to the lowest index) for every row of `points`. */
export function nearestLabels(centroids: Matrix, points: Matrix): Int32Array {
  return nearestAssignment(centroids, points).labels;
}

/**
 * Every row of `points` to its nearest centroid (ties to the lowest index), and the inertia that
 * assignment has (the sum of squared distances), with no refinement of the centroids.
 */
export function nearestAssignment(centroids: Matrix, points: Matrix): { labels: Int32Array; inertia: number } {
  const { rows: n, cols: d, data } = points;
  if (centroids.cols !== d) throw new RangeError(`points have ${d} columns, centroids ${centroids.cols}`);
  const k = centroids.rows;
  const c = centroids.data;
  const labels = new Int32Array(n);
  let inertia = 0;
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
    inertia += bestDist;
  }
  return { labels, inertia };
}

/** The placement of users whose labels are already decided (the final k-means fit). */
export function placeAt(centroids: Matrix, points: Matrix, labels: Int32Array): Placement {
  const { rows: n, cols: d, data } = points;
  const k = centroids.rows;
  const c = centroids.data;
  const distances = new Float64Array(n);
  const margins = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    const d1 = Math.sqrt(sqDist(data, i * d, c, own * d, d));
    let d2 = Infinity;
    for (let j = 0; j < k; j++) if (j !== own) d2 = Math.min(d2, Math.sqrt(sqDist(data, i * d, c, j * d, d)));
    distances[i] = d1;
    margins[i] = Number.isFinite(d2) && d1 + d2 > 0 ? (d2 - d1) / (d2 + d1) : 1;
  }
  return { labels, distances, margins };
}

/**
 * Scores new users (already transformed and projected like the training users) against a fitted
 * model: the segment id, the distance to that segment's centroid and the margin to the next.
 *
 * @example
 * const { labels, distances, margins } = assignToCentroids(result.model, projectPca(pcaModel, newUsers));
 */
export function assignToCentroids(model: ClusterModel, points: Matrix): Placement {
  const k = model.centroids.length;
  const d = k === 0 ? 0 : model.centroids[0].length;
  const c = createMatrix(k, d);
  for (let j = 0; j < k; j++) c.data.set(model.centroids[j], j * d);
  return nearestCentroids(c, points);
}
