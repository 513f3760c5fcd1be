/** transform: raw features → comparable, weighted model columns, replayable on new users. */
export { fitTransform } from './fit.js';
export { applyTransform, loadTransformModel } from './model.js';
export type { TransformModel, TransformResult, TransformStep } from './types.js';
