import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { createContext } from '../../../src/core/context.js';
import { fromRows } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { clusterUsers } from '../../../src/stages/cluster/index.js';
import { warmCentres, warmFit } from '../../../src/stages/cluster/warm.js';
import { adjustedRandIndex } from '../../../src/stages/cluster/metrics.js';
import { clusterConfig } from '../../helpers/config.js';
import { blobs } from './helpers.js';

const three = () =>
  blobs(
    [
      { centre: [0, 0], size: 120, spread: 1 },
      { centre: [10, 0], size: 90, spread: 1 },
      { centre: [0, 10], size: 60, spread: 1 },
    ],
    3,
  );

describe('warm start', () => {
  it('starts from the previous centres, and adds D²-sampled rows when there are more segments now', () => {
    const { points } = three();
    const previous = fromRows([[0.5, 0.5], [9, 1]]);
    const two = warmCentres(points, previous, 2, createRng(1));
    expect(Array.from(two.data)).toEqual([0.5, 0.5, 9, 1]);
    const one = warmCentres(points, previous, 1, createRng(1));
    expect(Array.from(one.data)).toEqual([0.5, 0.5]);
    const more = warmCentres(points, previous, 3, createRng(1));
    expect(Array.from(more.data.subarray(0, 4))).toEqual([0.5, 0.5, 9, 1]);
    // The added centre is a row of the data, far from both (the third blob).
    expect(more.data[5]).toBeGreaterThan(5);
    expect(Array.from(warmCentres(points, previous, 3, createRng(1)).data)).toEqual(Array.from(more.data));
  });

  it('converges on the blobs from nearby centres', () => {
    const { points, truth } = three();
    const fit = warmFit(points, fromRows([[1, 1], [9, -1], [1, 9]]), 3, 100, createRng(2));
    expect(fit.converged).toBe(true);
    expect(adjustedRandIndex(Array.from(truth), Array.from(fit.labels))).toBe(1);
  });

  it('clusterUsers with warm centres says so and finds the same segments as a cold start', () => {
    const { points } = three();
    const config = clusterConfig({ k: 3, restarts: 3, stabilityRuns: 2, minSize: 1 });
    const cold = clusterUsers(points, config, createContext(5));
    const warm = clusterUsers(points, config, createContext(5), { warmStart: fromRows([[10, 0], [0, 10], [0, 0]]) });
    expect(cold.warmStarted).toBeUndefined();
    expect(warm.warmStarted).toBe(true);
    // Segment ids are by size either way, so the same partition has the same labels.
    expect(Array.from(warm.labels)).toEqual(Array.from(cold.labels));
  });

  it('cluster.warm_start is none or previous', () => {
    const origin = { file: 'weekly.yaml', baseDir: '/data', source: null };
    const inputs = { events: { path: 'e.csv' } };
    expect(resolveConfig({ inputs }, origin).cluster.warmStart).toBe('none');
    expect(resolveConfig({ inputs, cluster: { warm_start: 'previous' } }, origin).cluster.warmStart).toBe('previous');
    expect(() => resolveConfig({ inputs, cluster: { warm_start: 'yes' } }, origin)).toThrow(/cluster\.warm_start/);
  });
});
