/**
 * The fit on all users from MINI_BATCH_ROWS on: the mini-batch fit refines one seeding, which now
 * and then settles in a poor optimum; a fit from the sweep's centres of the same k is kept when
 * it is better (cluster.ts, fitAll).
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { createMatrix, type Matrix } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { clusterUsers, MINI_BATCH_ROWS } from '../../../src/stages/cluster/cluster.js';
import { adjustedRandIndex, centroidsOf } from '../../../src/stages/cluster/metrics.js';
import { clusterConfig } from '../../helpers/config.js';

/** MINI_BATCH_ROWS points in 4 dimensions: five round groups of 40/25/17/12/6%, centres 4 apart. */
function unequalGroups(): { points: Matrix; truth: Int32Array } {
  const n = MINI_BATCH_ROWS;
  const d = 4;
  const shares = [0.4, 0.25, 0.17, 0.12, 0.06];
  const rng = createRng(7);
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    let g = 0;
    while (g < shares.length - 1 && u >= shares[g]) u -= shares[g++];
    truth[i] = g;
    for (let j = 0; j < d; j++) data[i * d + j] = (j === g % d ? 4 : 0) + (g >= d && j === (g + 1) % d ? 4 : 0) + rng.normal();
  }
  return { points: createMatrix(n, d, data), truth };
}

describe('the fit on all users at mini-batch scale', () => {
  it('finds the planted groups at a fixed k for every seed (the mini-batch fit alone missed them on some)', () => {
    const { points, truth } = unequalGroups();
    const config = clusterConfig({ k: 5, stabilityRuns: 4 });
    for (const seed of [1, 2, 3, 4]) {
      const result = clusterUsers(points, config, createContext(seed), { threads: 1 });
      expect(adjustedRandIndex(result.labels, truth), `seed ${seed}`).toBeGreaterThan(0.93);
    }
  });

  it('takes the centres of a labelled sample as the means of its rows', () => {
    const sample = createMatrix(4, 2, Float64Array.from([0, 0, 2, 2, 10, 10, 12, 14]));
    expect(Array.from(centroidsOf(sample, Int32Array.from([1, 1, 0, 0]), 2).centroids)).toEqual([11, 12, 1, 1]);
  });
});
