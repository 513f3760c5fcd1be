import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { adjustedRandIndex, calinskiHarabasz, daviesBouldin, silhouette } from '../../../src/stages/cluster/metrics.js';
import { bestSplit1d, bestWeightedSplit1d, weakestPairRatio } from '../../../src/stages/cluster/split.js';
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

describe('bestWeightedSplit1d', () => {
  it('weighs a value as if it appeared that many times, and a common factor changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 40 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (items, factor) => {
        const sorted = items.slice().sort((a, b) => a[0] - b[0]);
        const values = Float64Array.from(sorted, ([v]) => v);
        const weights = Float64Array.from(sorted, ([, w]) => w);
        const repeated = Float64Array.from(sorted.flatMap(([v, w]) => Array<number>(w).fill(v)));
        expect(bestWeightedSplit1d(values, weights)).toBeCloseTo(bestSplit1d(repeated), 9);
        expect(bestWeightedSplit1d(values, weights.map((w) => w * factor))).toBeCloseTo(bestWeightedSplit1d(values, weights), 9);
      }),
    );
  });
});

describe('weakestPairRatio', () => {
  // Three groups on a line at 0, 4 and 30 (2-D, the second coordinate noise): the two closest
  // are 0 and 4, about four of their spreads apart.
  const line = (gapOf: (c: number) => number, seed: number) => {
    const rng = createRng(seed);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 400; i++) {
      rows.push([gapOf(c) + rng.normal(), rng.normal()]);
      labels.push(c);
    }
    return { points: fromRows(rows), labels: Int32Array.from(labels) };
  };

  it('finds the valley between neighbouring segments of a partition', () => {
    const { points, labels } = line((c) => [0, 5, 30][c], 1);
    expect(weakestPairRatio(points, labels, 3)).toBeLessThan(0.2);
  });

  it('sees one group cut in two as a continuum, whatever the other segments do', () => {
    // One Gaussian cut at 0 (segments 0 and 1) and a far group (segment 2).
    const rng = createRng(2);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const x = rng.normal();
      rows.push([x, rng.normal()]);
      labels.push(x < 0 ? 0 : 1);
    }
    for (let i = 0; i < 500; i++) {
      rows.push([40 + rng.normal(), rng.normal()]);
      labels.push(2);
    }
    expect(weakestPairRatio(fromRows(rows), Int32Array.from(labels), 3)).toBeCloseTo(1 - 2 / Math.PI, 1);
  });

  it('does not depend on where the data sit or their scale, nor on the segment numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (seed, shift, scale) => {
        const { points, labels } = line((c) => [0, 3, 30][c], seed);
        const moved = fromRows(Array.from({ length: points.rows }, (_, i) => [points.data[2 * i] * scale + shift, points.data[2 * i + 1] * scale - shift]));
        const renamed = labels.map((l) => (l + 1) % 3);
        const base = weakestPairRatio(points, labels, 3);
        expect(weakestPairRatio(moved, renamed, 3)).toBeCloseTo(base, 6);
        expect(base).toBeGreaterThanOrEqual(0);
        expect(base).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });

  it('does not take a small distinct group beside a big one for a cut', () => {
    // 15 users ten spreads away from 400: unweighted, their union splits at 0.24.
    const rng = createRng(4);
    const rows = [...Array.from({ length: 400 }, () => [rng.normal(), rng.normal()]), ...Array.from({ length: 15 }, () => [10 + 0.5 * rng.normal(), 0.5 * rng.normal()])];
    const labels = Int32Array.from(rows, (_, i) => (i < 400 ? 0 : 1));
    expect(weakestPairRatio(fromRows(rows), labels, 2)).toBeLessThan(0.05);
    // Each user weighing the same, the big group's spread hides the valley.
    expect(bestSplit1d(Float64Array.from(rows, ([x]) => x).sort())).toBeGreaterThan(0.2);
  });

  it('is 0 when fewer than two segments have members (nothing was cut)', () => {
    expect(weakestPairRatio(fromRows([[1], [2], [3]]), Int32Array.from([1, 1, 1]), 2)).toBe(0);
  });
});
