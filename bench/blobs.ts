/** Seeded Gaussian blobs for the numeric benchmarks (row-major, no arrays of rows). */
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';

export function benchBlobs(rows: number, cols: number, centres: number, seed: number): Matrix {
  const rng = createRng(seed);
  const c = Float64Array.from({ length: centres * cols }, () => rng.normal() * 4);
  const scales = Float64Array.from({ length: cols }, (_, j) => 1 + (j % 5) * 0.5);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const b = rng.int(centres);
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = c[b * cols + j] + scales[j] * rng.normal();
  }
  return m;
}
