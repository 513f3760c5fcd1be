import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { createMatrix } from '../../../src/core/matrix.js';
import { clusterUsers } from '../../../src/stages/cluster/index.js';
import { continuumPairs, fitsWithCutsMerged, isSharedAxisCut, mergeSharedAxisCuts, SHARED_AXIS_SPREAD } from '../../../src/stages/cluster/continuum.js';
import { segmentJaccard } from '../../../src/stages/cluster/stability.js';
import { adjustedRandIndex } from '../../../src/stages/cluster/metrics.js';
import { SEGMENT_STABLE } from '../../../src/stages/cluster/select-k.js';
import { centroidsOf } from '../../../src/stages/cluster/metrics.js';
import { clusterConfig } from '../../helpers/config.js';
import { blobs, sharedAxisWorld } from './helpers.js';

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

describe('continuumPairs: spread against the other segments', () => {
  it('calls a cut along an axis every segment spreads along a shared-axis cut', () => {
    const { points, truth } = sharedAxisWorld(1);
    // Cut the largest group at x = 0: segments 0 and 4 are its halves.
    const cut = Int32Array.from(truth, (t, i) => (t === 0 && points.data[i * 3] > 0 ? 4 : t));
    const pairs = continuumPairs(points, cut, centresOf(points, cut, 5), 20);
    const halves = pairs.find((p) => p.a === 0 && p.b === 4)!;
    // Together the halves are one group's usual spread along x: about the others'.
    expect(halves.spread).toBeGreaterThan(0.8);
    expect(halves.spread).toBeLessThan(1.2);
    expect(isSharedAxisCut(halves)).toBe(true);
  });

  it('keeps a cut through one stretched group whose neighbours are compact along the line', () => {
    const { points, truth } = blobs(
      [
        { centre: [0, 0], size: 400, spread: [3, 0.3] },
        { centre: [25, 0], size: 200, spread: 0.5 },
        { centre: [0, 20], size: 200, spread: 0.5 },
        { centre: [25, 20], size: 200, spread: 0.5 },
      ],
      5,
    );
    const cut = Int32Array.from(truth, (t, i) => (t === 0 && points.data[i * 2] > 0 ? 4 : t));
    const [pair] = continuumPairs(points, cut, centresOf(points, cut, 5), 20);
    expect(pair.spread).toBeGreaterThan(SHARED_AXIS_SPREAD);
    expect(isSharedAxisCut(pair)).toBe(false);
  });

  it('has no spread to compare with fewer than two other segments', () => {
    const { points, truth } = blobs([{ centre: [0, 0], size: 300, spread: [3, 0.3] }, { centre: [0, 20], size: 200, spread: 0.5 }], 2);
    const cut = Int32Array.from(truth, (t, i) => (t === 0 && points.data[i * 2] > 0 ? 2 : t));
    const [pair] = continuumPairs(points, cut, centresOf(points, cut, 3), 20);
    expect(pair.spread).toBeNull();
    expect(isSharedAxisCut(pair)).toBe(false);
  });
});

describe('mergeSharedAxisCuts and fitsWithCutsMerged', () => {
  const { points, truth } = sharedAxisWorld(1);
  // The largest group cut at x = 0 (segments 0 and 4), the next largest at x = 1 (1 and 5).
  const cutAt = (group: number, x: number, id: number) => (labels: Int32Array) =>
    Int32Array.from(labels, (l, i) => (truth[i] === group && points.data[i * 3] > x ? id : l));
  const cut = cutAt(1, 1, 5)(cutAt(0, 0, 4)(truth));

  it('merges every shared-axis cut back into its group', () => {
    const merged = mergeSharedAxisCuts(points, cut, 6, 20);
    expect(merged.merges).toBe(2);
    expect(merged.k).toBe(4);
    expect(adjustedRandIndex(truth, merged.labels)).toBe(1);
    expect(mergeSharedAxisCuts(points, truth, 4, 20)).toEqual({ labels: truth, k: 4, merges: 0 });
  });

  it('merges each resample by its own cuts, wherever they fall', () => {
    const rows = Int32Array.from(truth, (_, i) => i);
    // One resample cut the largest group elsewhere, another cut a different group, a third none.
    const fits = [
      { rows, predicted: cutAt(0, -1, 4)(truth) },
      { rows, predicted: cutAt(2, 0, 4)(truth) },
      { rows, predicted: truth },
    ];
    const merged = mergeSharedAxisCuts(points, cut, 6, 20);
    // As cut, the resamples disagree with half of every cut group...
    expect(Math.min(...segmentJaccard(cut, 6, fits).map((j) => j ?? 1))).toBeLessThan(0.8);
    // ... merged, they all find the four groups.
    const mergedFits = fitsWithCutsMerged(points, fits, 20);
    expect(segmentJaccard(merged.labels, 4, mergedFits)).toEqual([1, 1, 1, 1]);
    expect(mergedFits[2]).toBe(fits[2]);
  });
});

describe('clusterUsers: a cut along a shared axis', () => {
  const config = clusterConfig({ k: null, kRange: [2, 8], restarts: 3, stabilityRuns: 6, minSize: 20 });

  it.each([1, 2])('an automatic k merges the two halves of the largest group and says why (seed %i)', (seed) => {
    const { points, truth } = sharedAxisWorld(seed);
    const ctx = createContext(7);
    const r = clusterUsers(points, config, ctx);
    expect(r.k).toBe(4);
    expect(adjustedRandIndex(truth, r.labels)).toBeGreaterThan(0.95);
    expect(r.selection.reason).toMatch(/^The sweep chose k = \d+ \(silhouette [^)]*\) because .*two segments of k = 5 were one group cut in two: .*, so k = 4\.$/);
    // Measured against resamples that made the same merges, every segment is reproduced.
    expect(r.segmentStability.every((s) => s !== null && s >= SEGMENT_STABLE)).toBe(true);
    expect(ctx.warnings.map((w) => w.code)).not.toContain('W_UNSTABLE_SEGMENT');
  });

  it('a fixed k is kept, with the pair reported for the no-gap warning', () => {
    const { points } = sharedAxisWorld(1);
    const r = clusterUsers(points, { ...config, k: 5 }, createContext(7));
    expect(r.k).toBe(5);
    expect(r.noGapPairs.length).toBeGreaterThan(0);
  });

  it('an automatic k never goes below the configured k range', () => {
    // The sweep chooses k = 6 and the pair cut along the shared axis would be merged to 4.
    const { points } = sharedAxisWorld(1);
    const r = clusterUsers(points, { ...config, kRange: [5, 6] }, createContext(7));
    expect(r.selection.reason).toMatch(/two segments of k = 6 were one group cut in two/);
    expect(r.k).toBe(5);
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

  it('reports the pair when a fixed k cuts one stretched group in two, naming both halves', () => {
    const { points, truth } = world();
    const r = clusterUsers(points, { ...config, k: 4 }, createContext(3));
    expect(r.noGapPairs).toHaveLength(1);
    // The two segments it names hold the stretched group's users between them.
    const [{ a, b, ratio }] = r.noGapPairs;
    const stretched = [...truth.keys()].filter((i) => truth[i] === 0);
    expect(stretched.every((i) => [a, b].includes(r.labels[i]))).toBe(true);
    expect(ratio).toBeCloseTo(continuumPairs(points, r.labels, r.centroids, 20).find((p) => p.a === a && p.b === b)!.ratio, 10);
  });

  it('reports no pair at the k that matches the groups', () => {
    expect(clusterUsers(world().points, { ...config, k: 3 }, createContext(3)).noGapPairs).toEqual([]);
  });
});
