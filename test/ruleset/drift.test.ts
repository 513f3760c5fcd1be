/** Feature drift: a numeric column (Float64Array) is binned exactly as the same numbers in a plain array. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionOf, psi } from '../../src/ruleset/drift.js';
import type { Distribution } from '../../src/ruleset/schema.js';

/** The distribution of a numeric column, which must come out numeric. */
function numericOf(a: readonly number[]): Extract<Distribution, { type: 'numeric' }> {
  const d = distributionOf(Float64Array.from(a));
  if (d.type !== 'numeric') throw new Error('numeric expected');
  return d;
}

const column = fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(Number.NaN), fc.integer({ min: 0, max: 5 })), { maxLength: 300 });

describe('distributionOf and psi on a Float64Array', () => {
  it('give the same distribution and index as the generic path over the same values', () => {
    fc.assert(
      fc.property(column, column, (a, b) => {
        const typed = Float64Array.from(a);
        const before = distributionOf(typed);
        expect(JSON.stringify(before)).toBe(JSON.stringify(distributionOf([...a])));
        expect(psi(before, Float64Array.from(b))).toBeCloseTo(psi(before, [...b]), 12);
      }),
      { numRuns: 300 },
    );
  });

  it('takes as edges the distinct deciles (the sorted values at q·m/10) and the quartiles (from the least) of the values above each one several deciles share', () => {
    fc.assert(
      fc.property(column, (a) => {
        const d = numericOf(a);
        const sorted = a.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
        const deciles = sorted.length === 0 ? [] : [1, 2, 3, 4, 5, 6, 7, 8, 9].map((q) => sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / 10))] + 0);
        const shared = deciles.filter((e, i) => deciles.indexOf(e) !== i);
        const above = shared.flatMap((e) => {
          const rest = sorted.filter((v) => v > e);
          return rest.length === 0 ? [] : [0, 1, 2, 3].map((q) => rest[Math.floor((q * rest.length) / 4)]);
        });
        const expected = [...new Set([...deciles, ...above])].sort((x, y) => x - y);
        expect(d.edges).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('an event few users do keeps its zeros in a bin of their own, so its disappearance drifts (QA: PSI 0.00 when it stopped)', () => {
    // 91% of users never did it; 9% did it 1–5 times.
    const counts = Float64Array.from({ length: 1000 }, (_, i) => (i < 910 ? 0 : 1 + (i % 5)));
    const before = numericOf([...counts]);
    expect(before.edges).toEqual([0, 1, 2, 3, 4]);
    expect(before.shares).toEqual([0, 0.91, 0.018, 0.018, 0.018, 0.036]);
    expect(psi(before, new Float64Array(1000))).toBeGreaterThan(0.25);
    expect(psi(before, counts)).toBe(0);
    // Three times as many users doing it is a shift too (0.91 / 0.09 → 0.73 / 0.27: PSI 0.24).
    expect(psi(before, Float64Array.from({ length: 1000 }, (_, i) => (i < 730 ? 0 : 2)))).toBeGreaterThan(0.1);
  });

  it('the same users doing a rare event ten times less often drift too (QA: PSI 0.00 with the zeros alone split off)', () => {
    const often = Float64Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1 + (i % 50)));
    const seldom = often.map((v) => Math.ceil(v / 10));
    expect(psi(numericOf([...often]), seldom)).toBeGreaterThan(0.25);
  });

  it('bins the present values by the edges: bin i holds the values with i edges at or below them', () => {
    fc.assert(
      fc.property(column, (a) => {
        const d = numericOf(a);
        const counts = new Array<number>(d.edges.length + 1).fill(0);
        for (const v of a) if (!Number.isNaN(v)) counts[d.edges.filter((e) => e <= v).length]++;
        const round = (x: number) => Math.round(x * 1e6) / 1e6;
        expect(d.shares).toEqual(counts.map((c) => (a.length === 0 ? 0 : round(c / a.length))));
      }),
      { numRuns: 300 },
    );
  });

  it('a population against itself does not drift; a shifted one does', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(psi(distributionOf(values), values)).toBe(0);
    expect(psi(distributionOf(values), values.map((v) => v + 500))).toBeGreaterThan(0.25);
  });
});
