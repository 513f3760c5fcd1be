/**
 * An automatic k steps down when the fit on all users is not the partition the sweep's
 * resamples reproduce (cluster.ts, stepDown).
 */
import { describe, expect, it } from 'vitest';
import { stepDown } from '../../../src/stages/cluster/cluster.js';
import type { SweepEntry } from '../../../src/stages/cluster/sweep.js';

/** Sample rows 0..7 of the full data, every resample seeing all of them and finding four pairs. */
const sampleRows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
const pairs = { rows: sampleRows, predicted: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]) };
const entry = (k: number, eligible: boolean, fits = [pairs, pairs]) => ({ score: { k, eligible }, fits, labels: new Int32Array(8) }) as unknown as SweepEntry;
const entries = [entry(2, true), entry(3, false), entry(4, true)];

describe('stepDown', () => {
  it('keeps k when the fitted segments are the reproduced ones, whatever their numbering', () => {
    expect(stepDown(Int32Array.from([3, 3, 2, 2, 1, 1, 0, 0]), sampleRows, 4, [pairs, pairs], entries, 0.75)).toBeNull();
  });

  it('steps to the largest smaller k that passed every gate when a fitted segment is not reproduced', () => {
    // Segments 0 and 1 cut across two reproduced pairs: Jaccard 1/3 each.
    expect(stepDown(Int32Array.from([0, 1, 0, 1, 2, 2, 3, 3]), sampleRows, 4, [pairs, pairs], entries, 0.75)).toEqual({ k: 2, weakest: 1 / 3, held: null, without: 2 });
  });

  it('stays when no smaller k passed, or when k had no resamples', () => {
    const crossing = Int32Array.from([0, 1, 0, 1, 2, 2, 3, 3]);
    expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], [entry(2, false), entry(4, true)], 0.75)).toBeNull();
    expect(stepDown(crossing, sampleRows, 4, [], [entry(2, true), entry(4, true, [])], 0.75)).toBeNull();
  });

  describe("with the previous run's k judged again (continuity.ts)", () => {
    const crossing = Int32Array.from([0, 1, 0, 1, 2, 2, 3, 3]);

    it('stops at the previous k when the step down would pass it and it held', () => {
      const previousThree = entry(3, true);
      expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], entries, 0.75, previousThree)).toEqual({ k: 3, weakest: 1 / 3, held: previousThree, without: 2 });
      // Also where the sweep's gates would have left k where it was.
      expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], [entry(2, false), entry(4, true)], 0.75, previousThree)).toEqual({ k: 3, weakest: 1 / 3, held: previousThree, without: null });
    });

    it('goes by the sweep when the previous k did not hold, is not below k, or is no higher than where the sweep goes', () => {
      expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], entries, 0.75, entry(3, false))).toEqual({ k: 2, weakest: 1 / 3, held: null, without: 2 });
      expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], entries, 0.75, entry(4, true))).toEqual({ k: 2, weakest: 1 / 3, held: null, without: 2 });
      const withThree = [entry(2, true), entry(3, true), entry(4, true)];
      expect(stepDown(crossing, sampleRows, 4, [pairs, pairs], withThree, 0.75, entry(2, true))).toEqual({ k: 3, weakest: 1 / 3, held: null, without: 3 });
    });

    it('never steps when the fitted segments are reproduced, previous k or not', () => {
      expect(stepDown(Int32Array.from([3, 3, 2, 2, 1, 1, 0, 0]), sampleRows, 4, [pairs, pairs], entries, 0.75, entry(3, true))).toBeNull();
    });
  });
});
