/**
 * Generated "users" with a known segment structure for the k-sweep benchmark: 12 dimensions
 * (like a PCA-reduced feature table), six segments of unequal sizes and spreads, two of which
 * differ along a single dimension only (say, recency) — the case silhouette alone tends to
 * merge. Rows in a seeded random order, row-major, no arrays of rows.
 */
import { createMatrix, type Matrix } from '../src/core/matrix.js';
import { createRng } from '../src/core/rng.js';

export interface BenchUsers {
  readonly points: Matrix;
  /** Planted segment per row. */
  readonly truth: Int32Array;
  readonly k: number;
}

const DIM = 12;
/** Share, spread (sd per dimension) and centre offset of each planted segment. */
const SEGMENTS: readonly { share: number; spread: number }[] = [
  { share: 0.3, spread: 1.2 },
  { share: 0.22, spread: 1 },
  { share: 0.18, spread: 0.8 },
  { share: 0.14, spread: 1 },
  { share: 0.1, spread: 1.5 },
  { share: 0.06, spread: 0.7 },
];

export function benchUsers(rows: number, seed: number): BenchUsers {
  const rng = createRng(seed);
  const k = SEGMENTS.length;
  // Segments 0–4 sit 9 apart on distinct axes; segment 5 is segment 1 moved 5 sd along axis 11
  // only (identical in every other dimension).
  const centres = new Float64Array(k * DIM);
  for (let c = 0; c < k - 1; c++) centres[c * DIM + c] = 9;
  for (let j = 0; j < DIM; j++) centres[(k - 1) * DIM + j] = centres[1 * DIM + j];
  centres[(k - 1) * DIM + 11] += 5;
  const cut: number[] = [];
  let acc = 0;
  for (const s of SEGMENTS) cut.push((acc += s.share));
  const points = createMatrix(rows, DIM);
  const truth = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = rng.next() * acc;
    let c = 0;
    while (c < k - 1 && u >= cut[c]) c++;
    truth[i] = c;
    for (let j = 0; j < DIM; j++) points.data[i * DIM + j] = centres[c * DIM + j] + SEGMENTS[c].spread * rng.normal();
  }
  return { points, truth, k };
}
