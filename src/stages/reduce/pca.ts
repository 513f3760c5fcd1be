/**
 * Fitting PCA: moments in typed arrays (O(n d²) time, O(d²) memory), the eigen-decomposition of
 * the d × d covariance by ml-pca, then component selection, deterministic signs and projection.
 */
import { PCA } from 'ml-pca';
import type { ResolvedConfig } from '../../config/types.js';
import type { Matrix } from '../../core/matrix.js';
import { columnMoments } from './covariance.js';
import { assertFinite } from './finite.js';
import { projectRows } from './model.js';
import type { PcaModel, ReduceResult } from './types.js';

/**
 * Fits PCA on `matrix` (users × features) and projects it.
 * Keeps `config.components` components, or the fewest whose explained variance reaches
 * `config.variance` — never fewer than 2 when there are 2+ columns, so the report has a map.
 *
 * @example
 * const { projected, model } = fitPca(transformed.matrix, { components: null, variance: 0.9 });
 */
export function fitPca(matrix: Matrix, config: ResolvedConfig['reduce']): ReduceResult {
  assertFinite(matrix, 'reduce');
  const d = matrix.cols;
  const { mean, covariance } = columnMoments(matrix);
  const { values, vectors } = eigen(covariance, d);

  // Round-off can leave the smallest eigenvalues a hair below zero; they are zero.
  for (let c = 0; c < d; c++) if (!(values[c] > 0)) values[c] = 0;
  const total = values.reduce((s, v) => s + v, 0);
  const ratios = values.map((v) => (total > 0 ? v / total : 0));
  const keep = chooseComponents(ratios, d, config);

  const loadings = new Float64Array(keep * d);
  for (let c = 0; c < keep; c++) {
    // Eigenvector signs are arbitrary: make the largest-magnitude loading positive (the first
    // such on a tie) so reruns and other platforms give the same axes.
    let at = 0;
    for (let j = 1; j < d; j++) if (Math.abs(vectors[j * d + c]) > Math.abs(vectors[at * d + c])) at = j;
    const sign = vectors[at * d + c] < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) loadings[c * d + j] = sign * vectors[j * d + c] + 0; // + 0 turns -0 into 0
  }

  const model: PcaModel = {
    kind: 'segmint.pca',
    version: 1,
    mean: Array.from(mean),
    components: Array.from({ length: keep }, (_, c) => Array.from(loadings.subarray(c * d, (c + 1) * d))),
    explainedVarianceRatio: ratios.slice(0, keep),
  };
  return { projected: projectRows(matrix, mean, loadings, keep), model };
}

/** Eigenvalues (descending) and eigenvectors (column c of the row-major d × d `vectors`). */
function eigen(covariance: Float64Array, d: number): { values: number[]; vectors: Float64Array } {
  if (d === 0) return { values: [], vectors: new Float64Array(0) };
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(covariance.subarray(i * d, (i + 1) * d)));
  const pca = new PCA(rows, { isCovarianceMatrix: true });
  const values = pca.getEigenvalues().slice();
  const u = pca.getEigenvectors();
  const vectors = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) vectors[i * d + c] = u.get(i, c);
  return { values, vectors };
}

function chooseComponents(ratios: readonly number[], d: number, config: ResolvedConfig['reduce']): number {
  if (d === 0) return 0;
  if (config.components !== null) return Math.max(1, Math.min(d, Math.floor(config.components)));
  const floor = Math.min(2, d);
  // No variance at all (identical rows): nothing to choose between, keep the map's two axes.
  if (ratios.every((r) => r === 0)) return floor;
  let cumulative = 0;
  for (let c = 0; c < d; c++) {
    cumulative += ratios[c];
    // A tiny allowance so a target of exactly 1 is met despite rounding in the ratios.
    if (cumulative >= config.variance - 1e-12) return Math.max(floor, c + 1);
  }
  return d;
}
