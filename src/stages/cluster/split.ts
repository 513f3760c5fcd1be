/**
 * Is a cluster really two? Split it in two with k-means, project its points onto the line
 * through the two halves' centres, and find the best 1-D two-group split of that projection.
 * The ratio of within-group to total scatter is about 0.36 for a Gaussian (1 − 2/π), 0.25 for
 * a uniform, and falls towards 0 for two separated groups (≈ 0.17 for two unit Gaussians 4.5 sd
 * apart) — whatever the other dimensions do, which is exactly what silhouette, CH and DB miss
 * when two segments differ along a single dimension. (The idea is G-means', Hamerly & Elkan
 * 2003, with a scatter ratio in place of the Anderson–Darling test.)
 */
import { selectRows, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { kmeans } from './kmeans.js';

/**
 * Within/total scatter of the best split of `cluster`'s points along their 2-means direction;
 * 1 when the cluster has fewer than `minSize` points or cannot be split.
 */
export function splitRatio(points: Matrix, labels: Int32Array, cluster: number, minSize: number, rng: Rng): number {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === cluster) rows.push(i);
  if (rows.length < Math.max(minSize, 4)) return 1;
  const sub = selectRows(points, rows);
  const halves = kmeans(sub, 2, { rng, restarts: 2 });
  const d = sub.cols;
  const c = halves.centroids.data;
  const t = new Float64Array(sub.rows);
  for (let i = 0; i < sub.rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += sub.data[i * d + j] * (c[d + j] - c[j]);
    t[i] = s;
  }
  return bestSplit1d(t.sort());
}

/** min over thresholds of (left scatter + right scatter) / total scatter, for sorted values. */
export function bestSplit1d(sorted: Float64Array): number {
  const n = sorted.length;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= n;
  // Work on centred values (their sum is 0) for accuracy; scatter of a part from running sums.
  let tss = 0;
  for (const v of sorted) tss += (v - mean) ** 2;
  if (!(tss > 0)) return 1;
  let sum = 0;
  let sumSq = 0;
  let best = 1;
  for (let m = 1; m < n; m++) {
    const v = sorted[m - 1] - mean;
    sum += v;
    sumSq += v * v;
    const left = sumSq - (sum * sum) / m;
    const right = tss - sumSq - (sum * sum) / (n - m);
    const r = (left + right) / tss;
    if (r < best) best = r;
  }
  return best;
}
