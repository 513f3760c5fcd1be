/** Quickselect gives what a sort puts at each rank. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presentValues, selectRanks, sortedStatistics } from '../../src/core/select.js';

describe('selectRanks', () => {
  it('finds the value a sort puts at every asked rank, duplicates and -0 included', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(-0), fc.constant(Infinity));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 400 }), fc.array(fc.nat(), { maxLength: 12 }), (list, picks) => {
        const sorted = Float64Array.from(list).sort();
        const ranks = [0, list.length - 1, ...picks.map((p) => p % list.length)];
        const stats = selectRanks(Float64Array.from(list), ranks);
        expect(stats.count).toBe(list.length);
        for (const r of ranks) expect(stats.at(r)).toBe(sorted[r] + 0);
      }),
      { numRuns: 400 },
    );
  });

  it('handles long runs of one value and sorted input without deep recursion', () => {
    const n = 200_000;
    const runs = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? i : 0));
    expect(selectRanks(runs.slice(), [n - 1, n / 2]).at(n / 2)).toBe(0);
    const ascending = Float64Array.from({ length: n }, (_, i) => i);
    expect(selectRanks(ascending, [1, n - 2]).at(n - 2)).toBe(n - 2);
  });

  it('keeps the values that are not NaN, in order, in a new array', () => {
    const values = Float64Array.of(3, Number.NaN, -1, Infinity, Number.NaN);
    const present = presentValues(values);
    expect(Array.from(present)).toEqual([3, -1, Infinity]);
    present[0] = 9;
    expect(values[0]).toBe(3);
  });

  it('refuses a rank it was not asked for', () => {
    expect(() => selectRanks(Float64Array.of(3, 1, 2), [1]).at(0)).toThrow(RangeError);
    expect(sortedStatistics(Float64Array.of(1, 2, 3)).at(2)).toBe(3);
  });
});
