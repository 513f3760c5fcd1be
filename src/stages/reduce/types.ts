import type { Matrix } from '../../core/matrix.js';

export interface PcaModel {
  readonly kind: 'segmint.pca';
  readonly version: 1;
  readonly mean: readonly number[];
  /** components[c][j]: loading of input column j on component c; sign-normalised. */
  readonly components: readonly (readonly number[])[];
  readonly explainedVarianceRatio: readonly number[];
}

export interface ReduceResult {
  /** Users × components. */
  readonly projected: Matrix;
  readonly model: PcaModel;
}
