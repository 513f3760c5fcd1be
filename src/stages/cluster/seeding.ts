/**
 * Greedy k-means++ seeding on its own (the engine seeds every restart itself; see engine.ts's
 * seedCentres for the method).
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { seedCentres } from './engine.js';
import { drawsPerSeeding, seedingTrials } from './kmeans.js';

/**
 * Picks `k` initial centres from the rows of `points`: the same centres a restart of `kmeans`
 * whose draws come from `rng` starts from.
 *
 * @example
 * const centres = kmeansPlusPlus(points, 4, createRng(42)); // 4 × points.cols
 */
export function kmeansPlusPlus(points: Matrix, k: number, rng: Rng): Matrix {
  const { rows: n, cols: d } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be an integer in 1..${n}`);
  const uniforms = Float64Array.from({ length: drawsPerSeeding(k, n) }, () => rng.next());
  const centres = new Float64Array(k * d);
  seedCentres(points.data, n, d, k, seedingTrials(k, n), uniforms, 0, centres, new Float64Array(n), new Int32Array(n), new Float64Array(n), null, null, () => {});
  return createMatrix(k, d, centres);
}
