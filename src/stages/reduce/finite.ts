/**
 * The numeric stages assume finite numbers (transform fills and clips every value); a NaN would
 * not fail loudly but quietly poison every mean and distance, so it is checked at the door.
 */
import type { Matrix } from '../../core/matrix.js';

/** Throws (a bug upstream, not a user error) naming the first non-finite cell. */
export function assertFinite(matrix: Matrix, stage: string): void {
  const { cols, data } = matrix;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${stage}: input value at row ${Math.floor(i / cols)}, column ${i % cols} is ${data[i]}; the transform stage should never pass one on`);
    }
  }
}
