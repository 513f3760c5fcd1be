import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, silhouette } from '../../../src/stages/cluster/metrics.js';
import { bestSplit1d } from '../../../src/stages/cluster/split.js';
import { createMatrix, fromRows, type Matrix } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';

const dist = (m: Matrix, i: number, j: number) => {
  let s = 0;
  for (let t = 0; t < m.cols; t++) s += (m.data[i * m.cols + t] - m.data[j * m.cols + t]) ** 2;
  return Math.sqrt(s);
};

/** Textbook silhouette with an explicit double loop, as an independent reference. */
function naiveSilhouette(m: Matrix, labels: number[]): number {
  const ks = [...new Set(labels)];
  let total = 0;
  for (let i = 0; i < m.rows; i++) {
    const mean = (c: number) => {
      const others = labels.map((l, j) => [l, j]).filter(([l, j]) => l === c && j !== i);
      return others.reduce((s, [, j]) => s + dist(m, i, j), 0) / others.length;
    };
    if (labels.filter((l) => l === labels[i]).length === 1) continue;
    const a = mean(labels[i]);
    const b = Math.min(...ks.filter((c) => c !== labels[i]).map(mean));
    total += (b - a) / Math.max(a, b);
  }
  return total / m.rows;
}

describe('adjustedRandIndex', () => {
  it('matches known values', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 14);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(adjustedRandIndex([0, 0, 0], [0, 0, 0])).toBe(1);
  });

  it('is symmetric and 1 under renaming', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 50 }), fc.nat(), (a, seed) => {
        const rng = createRng(seed);
        const b = a.map(() => rng.int(3));
        expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 12);
        const renamed = a.map((l) => 4 - l);
        expect(adjustedRandIndex(a, renamed)).toBe(1);
      }),
    );
  });
});

describe('silhouette, Calinski–Harabasz, Davies–Bouldin', () => {
  it('silhouette agrees with the textbook definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 30 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (n, k, seed) => {
        const rng = createRng(seed);
        const m = createMatrix(n, 3);
        for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
        const labels = Array.from({ length: n }, (_, i) => (i < k ? i : rng.int(k)));
        expect(silhouette(m, Int32Array.from(labels), k)).toBeCloseTo(naiveSilhouette(m, labels), 12);
      }),
      { numRuns: 50 },
    );
  });

  it('computes CH and DB on a hand-checked case', () => {
    // Two clusters: {(0,0),(0,2)} centre (0,1) and {(4,0),(4,2)} centre (4,1); overall mean (2,1).
    const m = fromRows([[0, 0], [0, 2], [4, 0], [4, 2]]);
    const labels = Int32Array.from([0, 0, 1, 1]);
    // between = 2·4 + 2·4 = 16 over (k-1) = 1; within = 4·1 = 4 over (n-k) = 2.
    expect(calinskiHarabasz(m, labels, 2)).toBeCloseTo(16 / 2, 12);
    // Scatter 1 in each; centres 4 apart: (1 + 1) / 4.
    expect(daviesBouldin(m, labels, 2)).toBeCloseTo(0.5, 12);
    expect(silhouette(m, labels, 2)).toBeGreaterThan(0.5);
  });

  it('returns neutral values when fewer than two clusters are populated', () => {
    const m = fromRows([[0], [1], [2]]);
    const one = Int32Array.from([1, 1, 1]);
    expect(silhouette(m, one, 2)).toBe(0);
    expect(calinskiHarabasz(m, one, 2)).toBe(0);
    expect(daviesBouldin(m, one, 2)).toBe(0);
  });
});

describe('bestSplit1d', () => {
  it('is 1 − 2/π for a large Gaussian and near 0 for two far groups', () => {
    const rng = createRng(3);
    const g = Float64Array.from({ length: 20000 }, () => rng.normal()).sort();
    expect(bestSplit1d(g)).toBeCloseTo(1 - 2 / Math.PI, 2);
    const two = Float64Array.from({ length: 2000 }, (_, i) => rng.normal() * 0.1 + (i % 2) * 10).sort();
    expect(bestSplit1d(two)).toBeLessThan(0.01);
    expect(bestSplit1d(Float64Array.from([5, 5, 5]))).toBe(1);
  });
});
