/** Seeded Gaussian blobs for the numeric benchmarks (row-major, no arrays of rows). */
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';

/** With `shared`, the points live in a SharedArrayBuffer (k-means threads then use them in place). */
export function benchBlobs(rows: number, cols: number, centres: number, seed: number, shared = false): Matrix {
  const rng = createRng(seed);
  const c = Float64Array.from({ length: centres * cols }, () => rng.normal() * 4);
  const scales = Float64Array.from({ length: cols }, (_, j) => 1 + (j % 5) * 0.5);
  const m = createMatrix(rows, cols, shared ? new Float64Array(new SharedArrayBuffer(8 * rows * cols)) : undefined);
  for (let i = 0; i < rows; i++) {
    const b = rng.int(centres);
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = c[b * cols + j] + scales[j] * rng.normal();
  }
  return m;
}
