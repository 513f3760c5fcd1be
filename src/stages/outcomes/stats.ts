/**
 * 95% confidence intervals for what outcomes report per segment: Wilson's score interval for a
 * rate (well-behaved at 0, 1 and small n, unlike the normal approximation) and Student's t
 * interval for a mean.
 */

/** The standard normal's 97.5% quantile. */
const Z = 1.959963984540054;

/** Student's t 97.5% quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The rate `hits / n` with its Wilson 95% interval.
 *
 * @example
 * wilson(15, 100); // { value: 0.15, low: 0.0931…, high: 0.2321… }
 */
export function wilson(hits: number, n: number): Interval {
  if (!(n > 0) || hits < 0 || hits > n) throw new RangeError(`wilson: ${hits} of ${n}`);
  const p = hits / n;
  const z2 = Z * Z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (Z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 and 1 the interval's end is the rate itself; rounding must not move it past.
  return { value: p, low: Math.max(0, Math.min(p, centre - half)), high: Math.min(1, Math.max(p, centre + half)) };
}

/** Student's t 97.5% quantile for `df` degrees of freedom (table to 30, Cornish–Fisher beyond). */
export function t975(df: number): number {
  if (df < 1) throw new RangeError(`t975: ${df} degrees of freedom`);
  if (df <= 30) return T975[Math.round(df) - 1];
  const z = Z;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/**
 * The mean of `values` with its t 95% interval (a single value: the interval is the value).
 *
 * @example
 * meanInterval([1, 2, 3]); // { value: 2, low: -0.484…, high: 4.484… }
 */
export function meanInterval(values: ArrayLike<number>): Interval {
  const n = values.length;
  if (n === 0) throw new RangeError('meanInterval: no values');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n === 1) return { value: mean, low: mean, high: mean };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { value: mean, low: mean - half, high: mean + half };
}
