import { describe, it, expect } from 'vitest';
import { kmeans } from '../../../src/stages/cluster/kmeans.js';
import { miniBatchKmeans } from '../../../src/stages/cluster/minibatch.js';
import { nearestCentroids } from '../../../src/stages/cluster/assign.js';
import { adjustedRandIndex } from '../../../src/stages/cluster/metrics.js';
import { fromRows } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { blobs, inertiaOf } from './helpers.js';

/** 60,000 rows in 6 dimensions, five groups of unequal sizes and spreads. */
const data = () =>
  blobs(
    [
      { centre: [0, 0, 0, 0, 0, 0], size: 20_000, spread: 1 },
      { centre: [6, 0, 1, 0, 0, 2], size: 15_000, spread: 1.5 },
      { centre: [0, 7, 0, 2, 0, 0], size: 12_000, spread: 0.8 },
      { centre: [3, 3, 6, 0, 1, 0], size: 8_000, spread: 1.2 },
      { centre: [0, 0, 0, 0, 8, 4], size: 5_000, spread: 1 },
    ],
    17,
  );

describe('miniBatchKmeans', () => {
  it('reaches an inertia within 1% of full k-means on blobs, with or without the Lloyd polish', () => {
    const { points, truth } = data();
    const full = kmeans(points, 5, { rng: createRng(3), restarts: 3 });
    for (const seed of [1, 2, 3]) {
      for (const polish of [0, 1]) {
        const mb = miniBatchKmeans(points, 5, { rng: createRng(seed), polish });
        expect(mb.inertia / full.inertia).toBeLessThan(1.01);
        expect(mb.inertia).toBeCloseTo(inertiaOf(points, mb.labels, mb.centroids), 6);
        expect(adjustedRandIndex(mb.labels, truth)).toBeGreaterThan(0.97);
        // Every row is labelled with its nearest centre (polish 0) or the centres are the
        // means of the labelled rows (polish 1), as after a Lloyd step.
        if (polish === 0) expect(Array.from(mb.labels)).toEqual(Array.from(nearestCentroids(mb.centroids, points).labels));
      }
    }
  });

  it('is deterministic for a seed and leaves its input alone', () => {
    const { points } = data();
    const before = Float64Array.from(points.data);
    const a = miniBatchKmeans(points, 4, { rng: createRng(9), batchSize: 512 });
    const b = miniBatchKmeans(points, 4, { rng: createRng(9), batchSize: 512 });
    expect(points.data).toEqual(before);
    expect(a.inertia).toBe(b.inertia);
    expect(a.iterations).toBe(b.iterations);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
  });

  it('stops after maxSteps, and handles inputs smaller than a batch', () => {
    const { points } = data();
    expect(miniBatchKmeans(points, 5, { rng: createRng(1), maxSteps: 3, polish: 0 }).iterations).toBe(3);
    const tiny = fromRows([[0, 0], [0, 1], [9, 9], [9, 8], [20, 0]]);
    const fit = miniBatchKmeans(tiny, 3, { rng: createRng(1) });
    expect(new Set(fit.labels).size).toBe(3);
    expect(() => miniBatchKmeans(tiny, 6)).toThrow('k = 6 exceeds the 5 points');
    expect(() => miniBatchKmeans(tiny, 0)).toThrow('k must be a positive integer');
  });
});
