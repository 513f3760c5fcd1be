/**
 * Column means and the sample covariance of a row-major matrix, in one streaming pass with
 * Welford's update (numerically stable without a separate centring pass or a centred copy).
 * Memory is O(d²) whatever the number of rows.
 */
import type { Matrix } from '../../core/matrix.js';

export interface Moments {
  readonly mean: Float64Array;
  /** d × d, row-major, symmetric; divided by n - 1 (by 1 when n < 2). */
  readonly covariance: Float64Array;
}

/**
 * @example
 * const { mean, covariance } = columnMoments(matrix); // covariance[i * cols + j]
 */
export function columnMoments(matrix: Matrix): Moments {
  const { rows: n, cols: d, data } = matrix;
  const mean = new Float64Array(d);
  const co = new Float64Array(d * d);
  const before = new Float64Array(d);
  const after = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    const w = 1 / (r + 1);
    for (let j = 0; j < d; j++) {
      const x = data[off + j];
      const delta = x - mean[j];
      before[j] = delta;
      const m = mean[j] + delta * w;
      mean[j] = m;
      after[j] = x - m;
    }
    // co += (x - mean_old) (x - mean_new)ᵀ, upper triangle only.
    for (let i = 0; i < d; i++) {
      const di = before[i];
      if (di === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) co[row + j] += di * after[j];
    }
  }
  const denom = n > 1 ? n - 1 : 1;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = co[i * d + j] / denom;
      co[i * d + j] = v;
      co[j * d + i] = v;
    }
  }
  return { mean, covariance: co };
}
