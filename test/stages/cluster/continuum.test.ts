import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { createMatrix } from '../../../src/core/matrix.js';
import { warnings } from '../../../src/core/warnings.js';
import { clusterUsers } from '../../../src/stages/cluster/index.js';
import { continuumPairs } from '../../../src/stages/cluster/continuum.js';
import { centroidsOf } from '../../../src/stages/cluster/metrics.js';
import { clusterConfig } from '../../helpers/config.js';
import { blobs } from './helpers.js';

const centresOf = (points: ReturnType<typeof blobs>['points'], labels: Int32Array, k: number) =>
  createMatrix(k, points.cols, centroidsOf(points, labels, k).centroids);

describe('continuumPairs', () => {
  it('flags one long group cut in two, and nothing between separate groups', () => {
    // A stretched cloud (SD 3 along x) and two compact groups far away.
    const { points, truth } = blobs(
      [
        { centre: [0, 0], size: 400, spread: [3, 0.3] },
        { centre: [25, 0], size: 200, spread: 0.5 },
        { centre: [0, 20], size: 200, spread: 0.5 },
      ],
      5,
    );
    // Cut the stretched cloud at x = 0: segments 0 and 3 are its halves.
    const cut = Int32Array.from(truth, (t, i) => (t === 0 && points.data[i * 2] > 0 ? 3 : t));
    const pairs = continuumPairs(points, cut, centresOf(points, cut, 4), 20);
    expect(pairs.map(({ a, b }) => [a, b])).toEqual([[0, 3]]);
    // A Gaussian cut through its middle leaves about 1 − 2/π of its scatter.
    expect(pairs[0].ratio).toBeGreaterThan(0.3);
    expect(pairs[0].ratio).toBeLessThan(0.42);
    expect(continuumPairs(points, truth, centresOf(points, truth, 3), 20)).toEqual([]);
  });

  it('leaves out segments with fewer than minSize points', () => {
    const { points, truth } = blobs([{ centre: [0, 0], size: 60, spread: [3, 0.3] }], 2);
    const cut = Int32Array.from(truth, (_, i) => (points.data[i * 2] > 3 ? 1 : 0));
    const small = cut.filter((l) => l === 1).length;
    expect(small).toBeGreaterThan(3);
    expect(continuumPairs(points, cut, centresOf(points, cut, 2), small)).toHaveLength(1);
    expect(continuumPairs(points, cut, centresOf(points, cut, 2), small + 1)).toEqual([]);
  });

  it('never flags two groups 8 SD apart (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 30, max: 120 }), (seed, d, size) => {
        const far = Array.from({ length: d }, (_, j) => (j === 0 ? 8 : 0));
        const { points, truth } = blobs([{ centre: new Array(d).fill(0), size, spread: 1 }, { centre: far, size, spread: 1 }], seed);
        expect(continuumPairs(points, truth, centresOf(points, truth, 2), 10)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('clusterUsers: no gap between segments', () => {
  const config = clusterConfig({ restarts: 3, maxIterations: 100, stabilityRuns: 4, minSize: 1 });
  const world = () =>
    blobs(
      [
        { centre: [0, 0, 0], size: 300, spread: [4, 0.4, 0.4] },
        { centre: [30, 0, 0], size: 150, spread: 0.6 },
        { centre: [0, 25, 0], size: 150, spread: 0.6 },
      ],
      11,
    );

  it('warns when a fixed k cuts one stretched group in two, naming both halves', () => {
    const { points, truth } = world();
    const ctx = createContext(3);
    const r = clusterUsers(points, { ...config, k: 4 }, ctx);
    const gaps = ctx.warnings.filter((w) => w.code === 'W_NO_GAP_BETWEEN_SEGMENTS');
    expect(gaps).toHaveLength(1);
    // The two segments it names hold the stretched group's users between them.
    const named = /^segments (\d) and (\d) /.exec(gaps[0].message)!.slice(1).map(Number);
    const stretched = [...truth.keys()].filter((i) => truth[i] === 0);
    expect(stretched.every((i) => named.includes(r.labels[i]))).toBe(true);
    const [a, b] = named;
    const ratio = continuumPairs(points, r.labels, r.centroids, 20).find((p) => p.a === a && p.b === b)!.ratio;
    expect(gaps[0]).toEqual(warnings.noGapBetween(a, b, ratio));
  });

  it('says nothing at the k that matches the groups', () => {
    const ctx = createContext(3);
    clusterUsers(world().points, { ...config, k: 3 }, ctx);
    expect(ctx.warnings.filter((w) => w.code === 'W_NO_GAP_BETWEEN_SEGMENTS')).toEqual([]);
  });
});
