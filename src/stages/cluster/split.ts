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

/**
 * How clearly the least separated pair of neighbouring segments of a k-partition stand apart:
 * for every segment and the segment whose centre is nearest to its own, their union projected
 * onto the line through the two centres, and the best 1-D split ratio of that projection with
 * each segment weighing the same (`bestWeightedSplit1d`); the largest ratio over those pairs.
 * Two real groups leave a valley between them (a ratio well under 0.2); a cut through one
 * continuous group does not (≈ 0.25 uniform, 0.36 Gaussian). Equal weights keep a small distinct
 * group next to a big one from looking like a cut: unweighted, 15 points ten spreads away from
 * 400 split at 0.24 (metrics.test.ts). 0 with fewer than two non-empty segments (nothing cut).
 *
 * @example
 * weakestPairRatio(points, labels, 3); // 0.04: even the closest neighbours are two groups
 */
export function weakestPairRatio(points: Matrix, labels: Int32Array, k: number): number {
  const { rows: n, cols: d, data } = points;
  const centres = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sizes[labels[i]]++;
    for (let j = 0; j < d; j++) centres[labels[i] * d + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centres[c * d + j] /= sizes[c] || 1;
  const gap2 = (p: number, q: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (centres[p * d + j] - centres[q * d + j]) ** 2;
    return s;
  };
  const pairs = new Set<number>();
  for (let p = 0; p < k; p++) {
    if (sizes[p] === 0) continue;
    let nearest = -1;
    for (let q = 0; q < k; q++) if (q !== p && sizes[q] > 0 && (nearest < 0 || gap2(p, q) < gap2(p, nearest))) nearest = q;
    if (nearest >= 0) pairs.add(Math.min(p, nearest) * k + Math.max(p, nearest));
  }
  let weakest = 0;
  for (const pair of [...pairs].sort((x, y) => x - y)) {
    const a = Math.floor(pair / k);
    const b = pair % k;
    const m = sizes[a] + sizes[b];
    const t = new Float64Array(m);
    const w = new Float64Array(m);
    for (let i = 0, r = 0; i < n; i++) {
      if (labels[i] !== a && labels[i] !== b) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += data[i * d + j] * (centres[b * d + j] - centres[a * d + j]);
      t[r] = s;
      w[r++] = 1 / sizes[labels[i]];
    }
    const order = Int32Array.from({ length: m }, (_, i) => i).sort((x, y) => t[x] - t[y] || x - y);
    weakest = Math.max(weakest, bestWeightedSplit1d(Float64Array.from(order, (i) => t[i]), Float64Array.from(order, (i) => w[i])));
  }
  return weakest;
}

/** min over thresholds of (left scatter + right scatter) / total scatter, for sorted values. */
export function bestSplit1d(sorted: Float64Array): number {
  return bestWeightedSplit1d(sorted, new Float64Array(sorted.length).fill(1));
}

/**
 * `bestSplit1d` with a weight per value (`weights[i]` for `sorted[i]`); with unit weights the
 * same sums in the same order, so the same result to the last bit.
 */
export function bestWeightedSplit1d(sorted: Float64Array, weights: Float64Array): number {
  const n = sorted.length;
  let total = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i];
    mean += weights[i] * sorted[i];
  }
  mean /= total;
  // Work on centred values (their weighted sum is 0) for accuracy; scatter of a part from
  // running sums.
  let tss = 0;
  for (let i = 0; i < n; i++) tss += weights[i] * (sorted[i] - mean) ** 2;
  if (!(tss > 0)) return 1;
  let weight = 0;
  let sum = 0;
  let sumSq = 0;
  let best = 1;
  for (let m = 1; m < n; m++) {
    const v = sorted[m - 1] - mean;
    const w = weights[m - 1];
    weight += w;
    sum += w * v;
    sumSq += w * v * v;
    const left = sumSq - (sum * sum) / weight;
    const right = tss - sumSq - (sum * sum) / (total - weight);
    const r = (left + right) / tss;
    if (r < best) best = r;
  }
  return best;
}
