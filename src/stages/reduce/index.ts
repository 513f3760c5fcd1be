/** The reduce stage: PCA for denoising before clustering and the report's 2-D map. */
export { fitPca } from './pca.js';
export { projectPca, loadPcaModel } from './model.js';
export type { PcaModel, ReduceResult } from './types.js';
