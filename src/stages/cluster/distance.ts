/**
 * The squared Euclidean distance of the numeric core (metrics, assignment). engine.ts keeps
 * an identical copy because its code must be self-contained for worker threads.
 */

/**
 * Squared Euclidean distance between a[ai..ai+d) and b[bi..bi+d). Unrolled by four for speed,
 * but summed strictly left to right so the result is bit-identical to ml-distance-euclidean's.
 */
export function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const t0 = a[ai + j] - b[bi + j];
    const t1 = a[ai + j + 1] - b[bi + j + 1];
    const t2 = a[ai + j + 2] - b[bi + j + 2];
    const t3 = a[ai + j + 3] - b[bi + j + 3];
    s += t0 * t0;
    s += t1 * t1;
    s += t2 * t2;
    s += t3 * t3;
  }
  for (; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}
