import { describe, it, expect } from 'vitest';
import { kmeans, type KMeansResult } from '../../../src/stages/cluster/kmeans.js';
import { createThreadPool, type ThreadPoolOptions } from '../../../src/stages/cluster/pool.js';
import { createRng } from '../../../src/core/rng.js';
import { blobs } from './helpers.js';

const { points } = blobs(
  [
    { centre: [0, 0, 0], size: 3000, spread: 1 },
    { centre: [5, 1, 0], size: 2000, spread: 1.2 },
    { centre: [1, 5, 3], size: 1000, spread: 0.8 },
  ],
  11,
);

const fit = (options: Parameters<typeof kmeans>[2]): KMeansResult => kmeans(points, 4, { rng: createRng(3), restarts: 5, ...options });

function expectSame(a: KMeansResult, b: KMeansResult): void {
  expect(b.inertia).toBe(a.inertia);
  expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  expect(Array.from(b.centroids.data)).toEqual(Array.from(a.centroids.data));
}

describe('thread pool recovery', () => {
  const alone = fit({});

  // A worker that throws, or stops answering, must not fail the run: the restarts are run on the
  // calling thread instead, which gives the same result, and the failure is told once.
  const faults: [NonNullable<ThreadPoolOptions['injectFault']>, RegExp][] = [
    ['bind', /injected fault/],
    ['job', /injected fault/],
    ['stall', /no progress for 1\.5 s/],
  ];
  for (const [fault, told] of faults) {
    it(`a worker that fails on ${fault === 'stall' ? 'a call (stalls)' : fault} is retired and the result is the single-thread one`, async () => {
      const heard: string[] = [];
      const pool = createThreadPool(3, { injectFault: fault, patienceMs: 1500, onWorkerFailure: (m) => heard.push(m) });
      try {
        expect(pool.threads).toBe(3);
        expectSame(alone, fit({ pool }));
        expect(heard).toHaveLength(1);
        expect(heard[0]).toMatch(told);
        expect(pool.threads).toBe(1);
        // Later calls run on the calling thread, without another report.
        expectSame(alone, fit({ pool }));
        expect(heard).toHaveLength(1);
      } finally {
        await pool.close();
      }
    });
  }

  it('a healthy pool reports nothing and keeps its threads', async () => {
    const heard: string[] = [];
    const pool = createThreadPool(2, { onWorkerFailure: (m) => heard.push(m) });
    try {
      expectSame(alone, fit({ pool }));
      expectSame(alone, fit({ pool }));
      expect(heard).toEqual([]);
      expect(pool.threads).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
