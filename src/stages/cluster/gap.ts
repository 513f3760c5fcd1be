/**
 * The gap statistic (Tibshirani, Walther & Hastie 2001) against a single-Gaussian reference:
 * gap(k) = E*[log W*_k] − log W_k, where W is the k-means inertia and W* that of data drawn from
 * one Gaussian with the sample's mean and covariance — "one elliptical cloud, no segments".
 * A real split lowers W much more than splitting a Gaussian does, so the gap grows with every
 * real segment and stops growing (or falls) once k passes them. Unlike silhouette, it notices
 * two segments that differ along a single dimension.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { columnMoments } from '../reduce/covariance.js';
import { kmeans } from './kmeans.js';

export interface GapReference {
  /** E*[log W*_k] at index k - 1, for the k asked for (NaN elsewhere). */
  readonly expectedLogW: readonly number[];
  /** sd_k · sqrt(1 + 1/B): the standard error used by the "1-SE" rule. */
  readonly standardError: readonly number[];
}

export interface GapSettings {
  readonly references: number;
  readonly restarts: number;
  readonly maxIterations: number;
}

/** Fits each k of `ks` on `settings.references` Gaussian reference sets shaped like `sample`. */
export function gapReference(sample: Matrix, ks: readonly number[], settings: GapSettings, rng: Rng): GapReference {
  const maxK = Math.max(...ks);
  const { rows: n, cols: d } = sample;
  const { mean, covariance } = columnMoments(sample);
  const chol = cholesky(covariance, d);
  const logs: number[][] = Array.from({ length: maxK }, () => []);
  const z = new Float64Array(d);
  for (let b = 0; b < settings.references; b++) {
    const draw = rng.fork();
    const ref = createMatrix(n, d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) z[j] = draw.normal();
      for (let j = 0; j < d; j++) {
        let v = mean[j];
        for (let t = 0; t <= j; t++) v += chol[j * d + t] * z[t];
        ref.data[i * d + j] = v;
      }
    }
    for (const k of ks) {
      if (k > n) continue;
      const fit = kmeans(ref, k, { rng: rng.fork(), restarts: settings.restarts, maxIterations: settings.maxIterations });
      logs[k - 1].push(Math.log(Math.max(fit.inertia, Number.MIN_VALUE)));
    }
  }
  const expectedLogW: number[] = [];
  const standardError: number[] = [];
  for (const l of logs) {
    if (l.length === 0) {
      expectedLogW.push(NaN);
      standardError.push(NaN);
      continue;
    }
    const m = l.reduce((s, v) => s + v, 0) / l.length;
    const sd = Math.sqrt(l.reduce((s, v) => s + (v - m) ** 2, 0) / l.length);
    expectedLogW.push(m);
    standardError.push(sd * Math.sqrt(1 + 1 / l.length));
  }
  return { expectedLogW, standardError };
}

/** Lower-triangular L with L Lᵀ = a (+ a small ridge so rank-deficient covariances work). */
function cholesky(a: Float64Array, d: number): Float64Array {
  let trace = 0;
  for (let j = 0; j < d; j++) trace += a[j * d + j];
  const ridge = (trace / Math.max(d, 1)) * 1e-10;
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let i = j; i < d; i++) {
      let s = a[i * d + j] + (i === j ? ridge : 0);
      for (let t = 0; t < j; t++) s -= l[i * d + t] * l[j * d + t];
      if (i === j) l[j * d + j] = s > 0 ? Math.sqrt(s) : 0;
      else l[i * d + j] = l[j * d + j] > 0 ? s / l[j * d + j] : 0;
    }
  }
  return l;
}
