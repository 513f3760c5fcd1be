/**
 * The few summary statistics the transform is fitted from. All work on copies; inputs are
 * never sorted in place.
 */

/** The finite values of `values` (NaN and ±Infinity count as missing), sorted ascending. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[j++] = values[i];
  return out.sort();
}

/**
 * Quantile of sorted values by linear interpolation between order statistics (R's type 7,
 * numpy's default), so results match what analysts get elsewhere.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Moments {
  readonly mean: number;
  /** Population standard deviation (divides by n). */
  readonly std: number;
  /** Fisher–Pearson skewness g1 = m3 / m2^1.5; 0 when the values do not vary. */
  readonly skew: number;
}

/** Two-pass moments (numerically steadier than running sums on large counts). */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, skew: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  const std = Math.sqrt(m2);
  // Guard against round-off making a constant column look skewed.
  const skew = m2 > 1e-24 * Math.max(1, mean * mean) ? m3 / Math.pow(m2, 1.5) : 0;
  return { mean, std, skew };
}
