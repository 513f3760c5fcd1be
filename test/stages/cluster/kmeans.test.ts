import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans, type KMeansResult } from '../../../src/stages/cluster/kmeans.js';
import { kmeansPlusPlus } from '../../../src/stages/cluster/seeding.js';
import { createThreadPool } from '../../../src/stages/cluster/pool.js';
import { nearestCentroids } from '../../../src/stages/cluster/assign.js';
import { adjustedRandIndex } from '../../../src/stages/cluster/metrics.js';
import { createMatrix, fromRows, selectRows, toRows, type Matrix } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { blobs, inertiaOf, shuffled } from './helpers.js';

/** A random point set plus k distinct-row initial centres picked from it. */
const pointSetWithCentres = fc
  .record({
    n: fc.integer({ min: 3, max: 60 }),
    d: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    clumpy: fc.boolean(),
  })
  .chain(({ n, d, seed, clumpy }) =>
    fc.record({
      points: fc.constant(randomPoints(n, d, seed, clumpy)),
      picks: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 8) }),
    }),
  );

function randomPoints(n: number, d: number, seed: number, clumpy: boolean): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(n, d);
  // Clumpy sets put points on a coarse grid so exact ties between centres actually happen.
  for (let i = 0; i < n * d; i++) m.data[i] = clumpy ? rng.int(4) : rng.normal() * 3;
  return m;
}

describe('kmeans engine', () => {
  it('solves a small exact case', () => {
    const points = fromRows([[1, 1], [1, 2], [8, 8], [9, 8]]);
    const result = kmeans(points, 2, { initialCentroids: fromRows([[1, 1], [9, 8]]) });
    expect(Array.from(result.labels)).toEqual([0, 0, 1, 1]);
    expect(toRows(result.centroids)).toEqual([[1, 1.5], [8.5, 8]]);
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(true);
    expect(result.inertia).toBeCloseTo(0.25 * 4, 12);
  });

  it('reaches the same labels, centres and iteration count as ml-kmeans from the same start', () => {
    fc.assert(
      fc.property(pointSetWithCentres, ({ points, picks }) => {
        const init = selectRows(points, picks);
        const ours = kmeans(points, picks.length, { initialCentroids: init });
        // ml-kmeans keeps an emptied centre where it was; segmint re-seeds it. Compare the rest.
        fc.pre(ours.reseeded === 0);
        const ref = mlKmeans(toRows(points), picks.length, { initialization: toRows(init) });
        expect(Array.from(ours.labels)).toEqual(ref.clusters);
        expect(ours.iterations).toBe(ref.iterations);
        expect(ours.converged).toBe(ref.converged);
        const centres = toRows(ours.centroids);
        ref.centroids.forEach((c, j) => c.forEach((v, t) => expect(Math.abs(v - centres[j][t])).toBeLessThanOrEqual(1e-9)));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with ml-kmeans on larger blob data where the bounds skip most work', () => {
    for (const seed of [1, 2, 3]) {
      const { points } = blobs(
        [
          { centre: [0, 0, 0], size: 400, spread: 1 },
          { centre: [3, 0, 1], size: 300, spread: 1.5 },
          { centre: [0, 4, 0], size: 200, spread: 0.7 },
          { centre: [2, 2, 2], size: 100, spread: 2 },
        ],
        seed,
      );
      const init = kmeansPlusPlus(points, 6, createRng(seed));
      const ours = kmeans(points, 6, { initialCentroids: init, tolerance: 0 });
      const ref = mlKmeans(toRows(points), 6, { initialization: toRows(init), tolerance: 0 });
      expect(Array.from(ours.labels)).toEqual(ref.clusters);
      expect(ours.iterations).toBe(ref.iterations);
      expect(toRows(ours.centroids)).toEqual(ref.centroids);
    }
  });

  it('starts from the k-means++ seeding exactly as plain Lloyd from those seeds would', () => {
    // The engine reuses the seeding's nearest-seed distances as its first assignment.
    fc.assert(
      fc.property(pointSetWithCentres, fc.nat(), ({ points, picks }, seed) => {
        const k = picks.length;
        const seeds = kmeansPlusPlus(points, k, createRng(seed).fork());
        const seeded = kmeans(points, k, { rng: createRng(seed), restarts: 1 });
        const plain = kmeans(points, k, { initialCentroids: seeds });
        expect(Array.from(seeded.labels)).toEqual(Array.from(plain.labels));
        expect(Array.from(seeded.centroids.data)).toEqual(Array.from(plain.centroids.data));
        expect(seeded.iterations).toBe(plain.iterations);
      }),
      { numRuns: 200 },
    );
  });

  it('never increases inertia from one iteration to the next', () => {
    fc.assert(
      fc.property(pointSetWithCentres, ({ points, picks }) => {
        const seen: number[] = [];
        kmeans(points, picks.length, {
          initialCentroids: selectRows(points, picks),
          tolerance: 0,
          onIteration: (s) => seen.push(inertiaOf(points, s.labels, s.centroids)),
        });
        for (let t = 1; t < seen.length; t++) expect(seen[t]).toBeLessThanOrEqual(seen[t - 1] * (1 + 1e-12) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves every point nearest its own centre at convergence', () => {
    fc.assert(
      fc.property(pointSetWithCentres, ({ points, picks }) => {
        const result = kmeans(points, picks.length, { initialCentroids: selectRows(points, picks), tolerance: 0, maxIterations: 0 });
        expect(result.converged).toBe(true);
        const nearest = nearestCentroids(result.centroids, points);
        for (let i = 0; i < points.rows; i++) {
          const own = Math.sqrt(inertiaOf(selectRows(points, [i]), result.labels.subarray(i, i + 1), result.centroids));
          expect(own).toBeLessThanOrEqual(nearest.distances[i] + 1e-12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same partition and centres when the rows are shuffled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 5 }), (seed, k) => {
        const { points } = blobs(
          [
            { centre: [0, 0], size: 40, spread: 1 },
            { centre: [6, 1], size: 30, spread: 1 },
            { centre: [2, 7], size: 20, spread: 1 },
          ],
          seed,
        );
        const init = kmeansPlusPlus(points, k, createRng(seed));
        const order = shuffled(points.rows, createRng(seed + 1));
        const a = kmeans(points, k, { initialCentroids: init, tolerance: 0 });
        const b = kmeans(selectRows(points, order), k, { initialCentroids: init, tolerance: 0 });
        const back = new Int32Array(points.rows);
        order.forEach((from, to) => (back[from] = b.labels[to]));
        expect(adjustedRandIndex(a.labels, back)).toBe(1);
        const key = (m: Matrix) => toRows(m).map((r) => r.map((v) => v.toFixed(9)).join(',')).sort();
        expect(key(b.centroids)).toEqual(key(a.centroids));
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic for a seed and keeps the best of several restarts', () => {
    const { points } = blobs(
      [
        { centre: [0, 0, 0], size: 150, spread: 1 },
        { centre: [5, 5, 0], size: 100, spread: 1 },
        { centre: [0, 5, 5], size: 50, spread: 1 },
      ],
      11,
    );
    const a = kmeans(points, 3, { rng: createRng(5), restarts: 4 });
    const b = kmeans(points, 3, { rng: createRng(5), restarts: 4 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
    const single = kmeans(points, 3, { rng: createRng(5), restarts: 1 });
    expect(a.inertia).toBeLessThanOrEqual(single.inertia);
  });

  it('re-seeds an emptied cluster at the farthest point instead of wasting it', () => {
    // Centre 2 starts far away from everything and is never anyone's nearest.
    const points = fromRows([[0, 0], [0, 1], [10, 0], [10, 1], [10, 30]]);
    const result = kmeans(points, 3, { initialCentroids: fromRows([[0, 0], [10, 0], [100, 100]]) });
    expect(result.reseeded).toBeGreaterThan(0);
    expect(new Set(result.labels).size).toBe(3);
    expect(toRows(result.centroids)).toContainEqual([10, 30]);
  });

  it('does not change its input', () => {
    const { points } = blobs([{ centre: [0, 0], size: 30, spread: 1 }, { centre: [4, 4], size: 30, spread: 1 }], 3);
    const before = Float64Array.from(points.data);
    kmeans(points, 2, { rng: createRng(1), restarts: 2 });
    expect(points.data).toEqual(before);
  });
});

describe('kmeans on several threads', () => {
  const same = (a: KMeansResult, b: KMeansResult) => {
    expect(b.inertia).toBe(a.inertia);
    expect(b.iterations).toBe(a.iterations);
    expect(b.converged).toBe(a.converged);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.centroids.data)).toEqual(Array.from(a.centroids.data));
  };

  it('gives exactly the single-thread result, restarts running in parallel', async () => {
    const { points } = blobs(
      [
        { centre: [0, 0, 0, 0], size: 9000, spread: 1 },
        { centre: [4, 1, 0, 2], size: 6000, spread: 1.5 },
        { centre: [1, 5, 3, 0], size: 3000, spread: 0.8 },
      ],
      5,
    );
    const two = createThreadPool(2);
    const three = createThreadPool(3);
    try {
      for (const k of [3, 5]) {
        for (const restarts of [1, 2, 5]) {
          const one = kmeans(points, k, { rng: createRng(k), restarts });
          same(one, kmeans(points, k, { rng: createRng(k), restarts, pool: two }));
          same(one, kmeans(points, k, { rng: createRng(k), restarts, pool: three }));
        }
      }
    } finally {
      await Promise.all([two.close(), three.close()]);
    }
  });

  it('keeps giving the same results as the inputs change size and sharing', async () => {
    const pool = createThreadPool(2);
    try {
      // More than 2 × 16,384 rows: candidates measured on a subsample, twice as many of them.
      for (const [rows, d, k] of [[40_000, 3, 4], [500, 2, 3], [2_000, 6, 7]] as const) {
        const { points } = blobs(
          Array.from({ length: 4 }, (_, c) => ({ centre: Array.from({ length: d }, (_, j) => ((c * 7 + j * 3) % 5) * 3), size: rows / 4, spread: 1 })),
          rows + d,
        );
        const one = kmeans(points, k, { rng: createRng(rows), restarts: 4 });
        same(one, kmeans(points, k, { rng: createRng(rows), restarts: 4, pool }));
        // Points already in a SharedArrayBuffer (the pool uses them in place) give it too.
        const shared = createMatrix(points.rows, d, new Float64Array(new SharedArrayBuffer(8 * points.data.length)));
        shared.data.set(points.data);
        same(one, kmeans(shared, k, { rng: createRng(rows), restarts: 4, pool }));
      }
    } finally {
      await pool.close();
    }
    expect(() => kmeans(fromRows([[0], [1], [2]]), 2, { restarts: 2, pool })).toThrow('thread pool is closed');
  });
});
