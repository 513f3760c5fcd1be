/** Candidate preparation: the argsort used for thresholds is the comparator sort's order exactly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableArgsort } from '../../../src/stages/rules/candidates.js';

describe('stableArgsort', () => {
  it('orders indices by value, ties by index, NaN left out — as sorting with a comparator does', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, min: -10, max: 10 }), fc.constant(Number.NaN), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), (list) => {
        const values = Float64Array.from(list);
        const present = list.filter((v) => !Number.isNaN(v)).length;
        const expected = list.map((_, i) => i).filter((i) => !Number.isNaN(values[i]));
        expected.sort((a, b) => values[a] - values[b] || a - b);
        const { order, sorted } = stableArgsort(values, present);
        expect(Array.from(order)).toEqual(expected);
        // The values in that order (-0 and 0 are one run: either may come first).
        expect(Array.from(sorted, (v) => v + 0)).toEqual(expected.map((i) => values[i] + 0));
      }),
      { numRuns: 500 },
    );
  });
});
