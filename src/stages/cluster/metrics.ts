/**
 * Cluster quality criteria. All take row-major points and Int32Array labels in 0..k-1 and never
 * build an n × n matrix (silhouette is O(n² d) in time, O(n k) in memory: call it on a sample).
 */
import type { Matrix } from '../../core/matrix.js';
import { sqDist } from './distance.js';

/**
 * Mean silhouette width (Rousseeuw 1987). Points alone in their cluster score 0, as in
 * scikit-learn. Returns 0 when fewer than two clusters are populated.
 *
 * @example
 * silhouette(sample, labels, k); // in [-1, 1], higher is better
 */
export function silhouette(points: Matrix, labels: Int32Array, k: number): number {
  const { rows: n, cols: d, data } = points;
  const sizes = clusterSizes(labels, k);
  if (sizes.filter((s) => s > 0).length < 2) return 0;
  // sums[i * k + c]: total distance from point i to the points of cluster c.
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const li = labels[i];
    for (let j = i + 1; j < n; j++) {
      const dist = Math.sqrt(sqDist(data, i * d, data, j * d, d));
      sums[i * k + labels[j]] += dist;
      sums[j * k + li] += dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    if (sizes[own] <= 1) continue;
    const a = sums[i * k + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own || sizes[c] === 0) continue;
      const m = sums[i * k + c] / sizes[c];
      if (m < b) b = m;
    }
    const denom = a > b ? a : b;
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / n;
}

/**
 * Calinski–Harabasz index: between-cluster over within-cluster dispersion, each divided by its
 * degrees of freedom. Higher is better. 0 when it is undefined (one cluster, or k = n).
 *
 * @example
 * calinskiHarabasz(points, labels, k); // e.g. 455.8
 */
export function calinskiHarabasz(points: Matrix, labels: Int32Array, k: number): number {
  const { rows: n, cols: d, data } = points;
  const { centroids, sizes } = centroidsOf(points, labels, k);
  const populated = sizes.filter((s) => s > 0).length;
  if (populated < 2 || populated >= n) return 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  let between = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) between += sizes[c] * sqDist(centroids, c * d, mean, 0, d);
  let within = 0;
  for (let i = 0; i < n; i++) within += sqDist(data, i * d, centroids, labels[i] * d, d);
  if (within === 0) return Infinity;
  return (between / (populated - 1)) / (within / (n - populated));
}

/**
 * Davies–Bouldin index: the mean over clusters of the worst ratio of summed scatter to
 * centroid separation. Lower is better; 0 when undefined.
 *
 * @example
 * daviesBouldin(points, labels, k); // e.g. 0.99
 */
export function daviesBouldin(points: Matrix, labels: Int32Array, k: number): number {
  const { rows: n, cols: d, data } = points;
  const { centroids, sizes } = centroidsOf(points, labels, k);
  const scatter = new Float64Array(k);
  for (let i = 0; i < n; i++) scatter[labels[i]] += Math.sqrt(sqDist(data, i * d, centroids, labels[i] * d, d));
  const live: number[] = [];
  for (let c = 0; c < k; c++) {
    if (sizes[c] > 0) {
      scatter[c] /= sizes[c];
      live.push(c);
    }
  }
  if (live.length < 2) return 0;
  let total = 0;
  for (const a of live) {
    let worst = 0;
    for (const b of live) {
      if (a === b) continue;
      const sep = Math.sqrt(sqDist(centroids, a * d, centroids, b * d, d));
      const r = sep > 0 ? (scatter[a] + scatter[b]) / sep : Infinity;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / live.length;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items.
 * 1 for identical partitions (up to renaming), about 0 for independent ones. Labels may be any
 * non-negative integers. Two single-cluster partitions count as identical (1).
 *
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`labelings differ in length: ${n} vs ${b.length}`);
  if (n < 2) return 1;
  const ka = maxLabel(a) + 1;
  const kb = maxLabel(b) + 1;
  const table = new Float64Array(ka * kb);
  const rowSums = new Float64Array(ka);
  const colSums = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    table[a[i] * kb + b[i]]++;
    rowSums[a[i]]++;
    colSums[b[i]]++;
  }
  let index = 0;
  for (let i = 0; i < table.length; i++) index += pairs(table[i]);
  let sumA = 0;
  for (let i = 0; i < ka; i++) sumA += pairs(rowSums[i]);
  let sumB = 0;
  for (let j = 0; j < kb; j++) sumB += pairs(colSums[j]);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

export function clusterSizes(labels: ArrayLike<number>, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  return sizes;
}

/** Means of each cluster's points (a zero row for empty clusters) and the sizes. */
export function centroidsOf(points: Matrix, labels: Int32Array, k: number): { centroids: Float64Array; sizes: number[] } {
  const { rows: n, cols: d, data } = points;
  const centroids = new Float64Array(k * d);
  const sizes = clusterSizes(labels, k);
  for (let i = 0; i < n; i++) {
    const off = labels[i] * d;
    for (let j = 0; j < d; j++) centroids[off + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < d; j++) centroids[c * d + j] /= sizes[c];
  return { centroids, sizes };
}

function pairs(x: number): number {
  return (x * (x - 1)) / 2;
}

function maxLabel(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`labels must be non-negative integers, got ${v}`);
    if (v > m) m = v;
  }
  return m;
}
