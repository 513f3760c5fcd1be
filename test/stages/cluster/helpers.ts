/** Seeded generators of test data for the cluster tests. */
import { createMatrix, type Matrix } from '../../../src/core/matrix.js';
import { createRng, type Rng } from '../../../src/core/rng.js';

export interface BlobSpec {
  readonly centre: readonly number[];
  readonly size: number;
  /** Standard deviation per dimension (a number for all). */
  readonly spread: number | readonly number[];
}

export interface Blobs {
  readonly points: Matrix;
  readonly truth: Int32Array;
}

/** Gaussian blobs, rows interleaved in a seeded random order. */
export function blobs(specs: readonly BlobSpec[], seed: number): Blobs {
  const rng = createRng(seed);
  const d = specs[0].centre.length;
  const n = specs.reduce((s, b) => s + b.size, 0);
  const order = shuffled(n, rng);
  const points = createMatrix(n, d);
  const truth = new Int32Array(n);
  let r = 0;
  specs.forEach((b, label) => {
    for (let i = 0; i < b.size; i++, r++) {
      const at = order[r];
      truth[at] = label;
      for (let j = 0; j < d; j++) {
        const sd = typeof b.spread === 'number' ? b.spread : b.spread[j];
        points.data[at * d + j] = b.centre[j] + sd * rng.normal();
      }
    }
  });
  return { points, truth };
}

export function shuffled(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

export function inertiaOf(points: Matrix, labels: Int32Array, centroids: Matrix): number {
  const d = points.cols;
  let s = 0;
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < d; j++) {
      const t = points.data[i * d + j] - centroids.data[labels[i] * d + j];
      s += t * t;
    }
  }
  return s;
}

/**
 * Four groups told apart by y and z, every one spread uniformly along x (the way tenure spreads
 * every persona): k-means cuts the largest group along x as readily as it separates groups.
 */
export function sharedAxisWorld(seed: number): Blobs {
  const groups = [
    { size: 800, y: 0, z: 0 },
    { size: 300, y: 5, z: 0 },
    { size: 200, y: 0, z: 5 },
    { size: 150, y: 5, z: 5 },
  ];
  const n = groups.reduce((s, g) => s + g.size, 0);
  const rng = createRng(seed);
  const points = createMatrix(n, 3);
  const truth = new Int32Array(n);
  let r = 0;
  groups.forEach((g, label) => {
    for (let i = 0; i < g.size; i++, r++) {
      truth[r] = label;
      points.data.set([(rng.next() * 2 - 1) * 3, g.y + 0.5 * rng.normal(), g.z + 0.5 * rng.normal()], r * 3);
    }
  });
  return { points, truth };
}
