/** Candidate preparation: each user's bucket is the number of thresholds at or below its value. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketsOf } from '../../../src/stages/rules/candidates.js';

describe('bucketsOf', () => {
  it('counts the thresholds ≤ each value, and gives a missing value the bucket past the last', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, min: -10, max: 10 }), fc.constant(Number.NaN), fc.constant(-0));
    const thresholds = fc.uniqueArray(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, min: -10, max: 10 })), { maxLength: 300 });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), thresholds, (list, ts) => {
        const t = Float64Array.from(ts).sort();
        const got = bucketsOf(Float64Array.from(list), t);
        const expected = list.map((v) => (Number.isNaN(v) ? t.length + 1 : t.filter((x) => x <= v).length));
        expect(Array.from(got)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('widens its array when there are too many thresholds for a byte', () => {
    const t = Float64Array.from({ length: 300 }, (_, i) => i);
    expect(Array.from(bucketsOf(Float64Array.from([-1, 150.5, 299, 1e9, Number.NaN]), t))).toEqual([0, 151, 300, 300, 301]);
  });
});
