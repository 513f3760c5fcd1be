import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentationOf, withNames } from '../../../src/stages/cluster/segmentation.js';
import { makeFeatureTable } from '../../helpers/feature-table.js';

describe('segmentationOf: the one check that labels fit the feature table', () => {
  it('sizes count each segment; every user in exactly one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (k, raw) => {
        const labels = Int32Array.from(raw, (v) => v % k);
        const table = makeFeatureTable([{ name: 'x', kind: 'numeric', values: raw.map(Number) }]);
        const s = segmentationOf(table, labels, k);
        expect(Array.from(s.sizes).reduce((a, b) => a + b, 0)).toBe(raw.length);
        for (let c = 0; c < k; c++) expect(s.sizes[c]).toBe(Array.from(labels).filter((l) => l === c).length);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses labels, columns or names that do not fit', () => {
    const table = makeFeatureTable([{ name: 'x', kind: 'numeric', values: [1, 2, 3] }]);
    expect(() => segmentationOf(table, Int32Array.from([0, 1]), 2)).toThrow(/2 labels for 3 users/);
    expect(() => segmentationOf(table, Int32Array.from([0, 1, 2]), 2)).toThrow(/label 2 of user 2 is outside 0..1/);
    expect(() => segmentationOf(table, Int32Array.from([0, 0, 0]), 0)).toThrow(/positive integer/);
    const ragged = { userIds: table.userIds, columns: [{ ...table.columns[0], values: Float64Array.from([1]) }] as typeof table.columns };
    expect(() => segmentationOf(ragged, Int32Array.from([0, 0, 0]), 1)).toThrow(/has 1 values for 3 users/);
    expect(() => withNames(segmentationOf(table, Int32Array.from([0, 1, 1]), 2), ['only one'])).toThrow(/1 names for k = 2/);
  });
});
