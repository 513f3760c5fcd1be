import { describe, it, expect } from 'vitest';
import { adjustedRandIndex, assignToCentroids, clusterUsers, loadClusterModel, type ClusterResult } from '../../../src/stages/cluster/index.js';
import { MINI_BATCH_ROWS, POOL_MIN_VALUES } from '../../../src/stages/cluster/cluster.js';
import { pairwiseStability, segmentJaccard, type ResampleFit } from '../../../src/stages/cluster/stability.js';
import { createContext } from '../../../src/core/context.js';
import { errors } from '../../../src/core/messages.js';
import { fromRows, selectRows } from '../../../src/core/matrix.js';
import { clusterConfig } from '../../helpers/config.js';
import { blobs } from './helpers.js';
import { pureNoise } from './scenarios.js';

// min_size 1: these tests are about other rules; the minimum size has tests of its own below.
const base = clusterConfig({ kRange: [2, 6], restarts: 3, maxIterations: 100, stabilityRuns: 4, minSize: 1 });

const threeBlobs = () =>
  blobs(
    [
      { centre: [0, 0, 0], size: 90, spread: 1 },
      { centre: [8, 0, 0], size: 200, spread: 1 },
      { centre: [0, 8, 0], size: 140, spread: 1 },
    ],
    21,
  );

describe('clusterUsers', () => {
  it('finds three blobs and numbers segments by size, largest first', () => {
    const { points, truth } = threeBlobs();
    const ctx = createContext(7);
    const r = clusterUsers(points, base, ctx);
    expect(r.k).toBe(3);
    expect(r.selection.method).toBe('auto');
    expect(r.selection.strongStructure).toBe(true);
    expect(r.selection.reason).toMatch(/^k = 3 \(silhouette [0-9.]+, partition stability [0-9.]+\) because it is the largest k whose every segment is reproduced across resamples .*\.$/);
    expect(adjustedRandIndex(r.labels, truth)).toBe(1);
    const sizes = [0, 1, 2].map((s) => r.labels.filter((l) => l === s).length);
    expect(sizes).toEqual([200, 140, 90]);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    expect(r.segmentStability.every((s) => s !== null && s > 0.95)).toBe(true);
    expect(ctx.warnings).toEqual([]);
  });

  it('gives distances, margins, centroids and a model that scores users as the fit did', () => {
    const { points } = threeBlobs();
    const r = clusterUsers(points, { ...base, k: 3 }, createContext(1));
    const again = assignToCentroids(r.model, points);
    expect(Array.from(again.labels)).toEqual(Array.from(r.labels));
    for (let i = 0; i < points.rows; i++) {
      expect(again.distances[i]).toBeCloseTo(r.placement.distances[i], 12);
      expect(again.margins[i]).toBeCloseTo(r.placement.margins[i], 12);
    }
    expect(r.placement.labels).toBe(r.labels);
    expect(r.model.centroids).toEqual([0, 1, 2].map((c) => Array.from(r.centroids.data.subarray(c * 3, c * 3 + 3))));
  });

  it('uses a fixed k as given, scoring and judging it', () => {
    const { points } = threeBlobs();
    const ctx = createContext(1);
    const r = clusterUsers(points, { ...base, k: 3 }, ctx);
    expect(r.k).toBe(3);
    expect(r.selection).toEqual({ method: 'fixed', reason: 'k = 3 was fixed in the configuration.', strongStructure: true });
    expect(r.scores).toHaveLength(1);
    expect(r.scores[0].k).toBe(3);
    expect(ctx.warnings).toEqual([]);

    // Five segments for three blobs: separated from a single cloud, but not reproducible.
    const over = createContext(1);
    const r5 = clusterUsers(points, { ...base, k: 5 }, over);
    expect(r5.k).toBe(5);
    expect(r5.selection.strongStructure).toBe(false);
    expect(r5.selection.reason).toBe(
      `k = 5 was fixed in the configuration; but resampling reproduces the partition only partly (mean ARI ${r5.scores[0].stability!.toFixed(2)} < 0.8), so treat the segments as a loose partition.`,
    );
    expect(over.warnings[0]).toEqual({ code: 'W_NO_STRONG_STRUCTURE', stage: 'cluster', message: r5.selection.reason });
  });

  it('is byte-identical for the same seed and leaves its input alone', () => {
    const { points } = threeBlobs();
    const before = Float64Array.from(points.data);
    const a = clusterUsers(points, base, createContext(3));
    const b = clusterUsers(points, base, createContext(3));
    expect(points.data).toEqual(before);
    const dump = (r: typeof a) => JSON.stringify({ ...r, labels: Array.from(r.labels), placement: { distances: Array.from(r.placement.distances), margins: Array.from(r.placement.margins) }, centroids: Array.from(r.centroids.data) });
    expect(dump(a)).toBe(dump(b));
  });

  it('does not depend on the row order', () => {
    const { points } = threeBlobs();
    const order = Int32Array.from({ length: points.rows }, (_, i) => points.rows - 1 - i);
    const a = clusterUsers(points, { ...base, k: 3 }, createContext(3));
    const b = clusterUsers(selectRows(points, order), { ...base, k: 3 }, createContext(3));
    expect(Array.from(b.labels).reverse()).toEqual(Array.from(a.labels));
  });

  it('warns when there is no strong structure', () => {
    const ctx = createContext(5);
    const r = clusterUsers(pureNoise(2).data.points, base, ctx);
    expect(r.selection.strongStructure).toBe(false);
    expect(ctx.warnings.map((w) => w.code)).toContain('W_NO_STRONG_STRUCTURE');
    expect(ctx.warnings.find((w) => w.code === 'W_NO_STRONG_STRUCTURE')!.message).toBe(r.selection.reason);
  });

  it('flags unstable segments', () => {
    const ctx = createContext(5);
    const r = clusterUsers(pureNoise(1).data.points, { ...base, k: 6, unstableBelow: 0.99 }, ctx);
    const flagged = r.segmentStability.filter((s) => s! < 0.99).length;
    expect(flagged).toBeGreaterThan(0);
    expect(ctx.warnings.filter((w) => w.code === 'W_UNSTABLE_SEGMENT')).toHaveLength(flagged);
  });

  it('caps the k range at the number of users, with a warning', () => {
    const points = fromRows([[0, 0], [0, 1], [5, 5], [5, 6]]);
    const ctx = createContext(1);
    const r = clusterUsers(points, { ...base, kRange: [2, 8] }, ctx);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3]);
    expect(ctx.warnings[0]).toEqual({ code: 'W_K_CAPPED', stage: 'cluster', message: 'k range 2..8 capped to 2..3: only 4 users' });
  });

  it('numbers equal-sized segments by their centroids', () => {
    const points = fromRows([[5, 0], [5, 1], [0, 0], [0, 1], [9, 9], [9, 8], [9, 7]]);
    const r = clusterUsers(points, { ...base, k: 3 }, createContext(2));
    expect(Array.from(r.labels)).toEqual([2, 2, 1, 1, 0, 0, 0]);
  });

  it('warns about segments left empty when users have fewer distinct profiles than k', () => {
    const two = fromRows(Array.from({ length: 40 }, (_, i) => [i % 2, 0]));
    const ctx = createContext(1);
    const r = clusterUsers(two, { ...base, k: 3 }, ctx);
    expect(r.segmentStability).toEqual([1, 1, null]);
    expect(ctx.warnings).toEqual([{ code: 'W_EMPTY_SEGMENT', stage: 'cluster', message: 'segment 2 is empty: the users have fewer distinct profiles than k = 3' }]);
  });

  it('refuses non-finite input as a bug upstream', () => {
    expect(() => clusterUsers(fromRows([[0], [NaN], [2]]), base, createContext(1))).toThrow('cluster: input value at row 1, column 0 is NaN');
  });

  it('refuses too few users and a k larger than the users', () => {
    const two = fromRows([[0], [1]]);
    expect(() => clusterUsers(fromRows([[0]]), { ...base, k: 1 }, createContext(1))).toThrow(errors.tooFewUsers(1, 2).message);
    expect(() => clusterUsers(two, base, createContext(1))).toThrow(errors.tooFewUsers(2, 3).message);
    expect(() => clusterUsers(two, { ...base, k: 3 }, createContext(1))).toThrow(errors.kTooLarge(3, 2).message);
    expect(clusterUsers(two, { ...base, k: 2 }, createContext(1)).k).toBe(2);
  });
});

describe('clusterUsers and the minimum segment size', () => {
  const sized = { ...base, minSize: 20 };

  it('refuses to segment fewer users than two minimum-size segments need, in one line with a hint', () => {
    const few = fromRows(Array.from({ length: 22 }, (_, i) => [i % 5, i % 3]));
    const attempt = () => clusterUsers(few, sized, createContext(1));
    expect(attempt).toThrow('only 22 user(s) to segment: 2 segments of at least 20 users (cluster.min_size) need 40');
    expect(() => clusterUsers(few, { ...sized, k: 2 }, createContext(1))).toThrow(errors.tooFewToSegment(22, 2, 20).message);
    expect(() => clusterUsers(threeBlobs().points, { ...sized, k: 30 }, createContext(1))).toThrow(errors.tooFewToSegment(430, 30, 20).message);
  });

  it('caps the k range at users / min_size and never chooses a segment below it', () => {
    // 70 users in three blobs of 40, 20 and 10: the 10-user blob cannot be a segment of its own.
    const { points } = blobs(
      [
        { centre: [0, 0], size: 40, spread: 1 },
        { centre: [12, 0], size: 20, spread: 1 },
        { centre: [0, 12], size: 10, spread: 1 },
      ],
      4,
    );
    const ctx = createContext(2);
    const r = clusterUsers(points, { ...sized, kRange: [2, 6] }, ctx);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3]);
    expect(ctx.warnings.find((w) => w.code === 'W_K_CAPPED')?.message).toBe('k range 2..6 capped to 2..3: only 70 users');
    const sizes = Array.from({ length: r.k }, (_, c) => r.labels.filter((l) => l === c).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(20);
    expect(r.scores.find((s) => s.k === 3)!.gates.size).toBe(false);
  });

  it('lets a small stable group stand below min_share instead of vetoing the larger k', () => {
    const { points, truth } = blobs(
      [
        { centre: [0, 0, 0], size: 400, spread: 1 },
        { centre: [10, 0, 0], size: 300, spread: 1 },
        { centre: [0, 10, 0], size: 250, spread: 1 },
        { centre: [0, 0, 10], size: 15, spread: 0.5 },
      ],
      9,
    );
    const ctx = createContext(3);
    const r = clusterUsers(points, { ...base, minShare: 0.02, minSize: 10 }, ctx);
    expect(r.k).toBe(4);
    expect(ctx.warnings.find((w) => w.code === 'W_SMALL_SEGMENT')?.message).toBe(
      'segment 3 holds 1.6% of users (15), below cluster.min_share (2.0%): a small distinct group, kept because resampling reproduces it',
    );
    expect(adjustedRandIndex(r.labels, truth)).toBeGreaterThan(0.99);
    const four = r.scores.find((s) => s.k === 4)!;
    expect(four.minShare).toBeLessThan(0.02);
    expect(four.smallStable).toBe(1);
    expect(four.gates.share).toBe(true);
  });
});

describe('clusterUsers on large inputs', () => {
  const dump = (r: ClusterResult) => JSON.stringify({ ...r, labels: Array.from(r.labels), placement: { distances: Array.from(r.placement.distances), margins: Array.from(r.placement.margins) }, centroids: Array.from(r.centroids.data) });
  const small = { ...base, k: 4, sampleSize: 1000, stabilityRuns: 2, restarts: 4 };

  it('gives byte-identical results on one thread and on two (final fit on every core)', () => {
    // 100,000 users × 10 dimensions: enough values for the final fit to use the thread pool.
    expect(100_000 * 10).toBeGreaterThanOrEqual(POOL_MIN_VALUES);
    const { points } = blobs(
      [0, 1, 2, 3].map((c) => ({ centre: Array.from({ length: 10 }, (_, j) => (j === c ? 6 : 0)), size: 25_000, spread: 1 })),
      4,
    );
    const one = clusterUsers(points, small, createContext(8), { threads: 1 });
    const two = clusterUsers(points, small, createContext(8), { threads: 2 });
    expect(dump(two)).toBe(dump(one));
    expect(one.k).toBe(4);
  });

  it('fits a million users with mini-batch k-means', () => {
    const { points, truth } = blobs(
      [
        { centre: [0, 0], size: 500_000, spread: 1 },
        { centre: [8, 0], size: 300_000, spread: 1 },
        { centre: [0, 8], size: MINI_BATCH_ROWS - 800_000, spread: 1 },
      ],
      6,
    );
    const r = clusterUsers(points, { ...small, k: 3 }, createContext(2));
    expect(adjustedRandIndex(r.labels, truth)).toBeGreaterThan(0.99);
    expect([0, 1, 2].map((s) => r.labels.filter((l) => l === s).length / 1000).map(Math.round)).toEqual([500, 300, 200]);
  });
});

describe('loadClusterModel', () => {
  it('round-trips and rejects other kinds or versions', () => {
    const { points } = threeBlobs();
    const { model } = clusterUsers(points, { ...base, k: 3 }, createContext(1));
    expect(loadClusterModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(() => loadClusterModel({ ...model, kind: 'segmint.pca' })).toThrow(errors.invalidModel('segmint.kmeans', 'kind is "segmint.pca"').message);
    expect(() => loadClusterModel({ ...model, version: 2 })).toThrow(errors.invalidModel('segmint.kmeans', 'version 2 is not supported (expected 1)').message);
    expect(() => loadClusterModel({ ...model, centroids: [[1, 2], [3]] })).toThrow(/centroids differ in length/);
  });
});

describe('stability measures', () => {
  const fit = (rows: number[], predicted: number[]): ResampleFit => ({ rows: Int32Array.from(rows), predicted: Int32Array.from(predicted) });

  it('scores identical partitions 1 whatever the label names', () => {
    const a = fit([0, 1, 2, 3], [0, 0, 1, 1, 1]);
    const b = fit([1, 2, 3, 4], [1, 1, 0, 0, 0]);
    expect(pairwiseStability([a, b], 5)).toBe(1);
    expect(segmentJaccard(Int32Array.from([0, 0, 1, 1, 1]), 2, [a, b])).toEqual([1, 1]);
    expect(pairwiseStability([a], 5)).toBeNull();
    expect(segmentJaccard(Int32Array.from([0, 0, 1, 1, 1]), 2, [])).toEqual([null, null]);
  });

  it('measures a segment that is split in two by a resample', () => {
    const split = fit([0, 1, 2, 3], [0, 2, 1, 1]);
    // Segment 0 = rows {0, 1}; the fit puts them apart: best Jaccard 1/2.
    expect(segmentJaccard(Int32Array.from([0, 0, 1, 1]), 2, [split])).toEqual([0.5, 1]);
  });
});
