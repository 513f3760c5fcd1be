/**
 * The fitted PCA as versioned JSON: projection of new users, and loading a saved model with a
 * check that it is one (like ml-pca's `load`, which rejects any other `name`).
 */
import { errors } from '../../core/messages.js';
import { createMatrix, type Matrix } from '../../core/matrix.js';
import type { PcaModel } from './types.js';

/**
 * Projects rows onto a fitted model's components: (x - mean) · componentᵀ.
 *
 * @example
 * const scores = projectPca(model, newUsers); // newUsers.rows × model.components.length
 */
export function projectPca(model: PcaModel, matrix: Matrix): Matrix {
  const d = model.mean.length;
  if (matrix.cols !== d) throw new RangeError(`matrix has ${matrix.cols} columns, the PCA model expects ${d}`);
  const p = model.components.length;
  const mean = Float64Array.from(model.mean);
  const loadings = new Float64Array(p * d);
  for (let c = 0; c < p; c++) loadings.set(model.components[c], c * d);
  return projectRows(matrix, mean, loadings, p);
}

/** Typed-array core of the projection, shared with fitting. */
export function projectRows(matrix: Matrix, mean: Float64Array, loadings: Float64Array, p: number): Matrix {
  const { rows: n, cols: d, data } = matrix;
  const out = createMatrix(n, p);
  const centred = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    for (let j = 0; j < d; j++) centred[j] = data[off + j] - mean[j];
    for (let c = 0; c < p; c++) {
      const lo = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += centred[j] * loadings[lo + j];
      out.data[r * p + c] = s;
    }
  }
  return out;
}

/**
 * Validates parsed JSON as a PCA model of this kind and version.
 * Throws `E_INVALID_MODEL` for anything else.
 *
 * @example
 * const model = loadPcaModel(JSON.parse(text).model.pca);
 */
export function loadPcaModel(json: unknown): PcaModel {
  const fail = (reason: string) => errors.invalidModel('segmint.pca', reason);
  if (typeof json !== 'object' || json === null) throw fail('not an object');
  const o = json as Record<string, unknown>;
  if (o.kind !== 'segmint.pca') throw fail(`kind is ${JSON.stringify(o.kind)}`);
  if (o.version !== 1) throw fail(`version ${JSON.stringify(o.version)} is not supported (expected 1)`);
  const mean = numbers(o.mean, 'mean', fail);
  if (!Array.isArray(o.components)) throw fail('components is not an array');
  const components = o.components.map((c, i) => numbers(c, `components[${i}]`, fail));
  for (const [i, c] of components.entries()) {
    if (c.length !== mean.length) throw fail(`components[${i}] has ${c.length} loadings, mean has ${mean.length}`);
  }
  const ratios = numbers(o.explainedVarianceRatio, 'explainedVarianceRatio', fail);
  if (ratios.length !== components.length) throw fail('explainedVarianceRatio and components differ in length');
  return { kind: 'segmint.pca', version: 1, mean, components, explainedVarianceRatio: ratios };
}

function numbers(v: unknown, what: string, fail: (reason: string) => Error): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw fail(`${what} is not an array of finite numbers`);
  }
  return v.slice();
}
