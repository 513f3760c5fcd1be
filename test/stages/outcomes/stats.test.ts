import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, t975, wilson } from '../../../src/stages/outcomes/index.js';

describe('wilson', () => {
  it('matches the score interval computed by hand (15 of 100; 0 of 10)', () => {
    const w = wilson(15, 100);
    expect(w.value).toBe(0.15);
    // Wilson 95% for 15/100: 0.0931 – 0.2328 (e.g. R: prop.test(15, 100, correct = FALSE)$conf.int).
    expect(w.low).toBeCloseTo(0.09305, 4);
    expect(w.high).toBeCloseTo(0.23284, 4);
    const z = wilson(0, 10);
    expect(z.low).toBe(0);
    expect(z.high).toBeCloseTo(0.27753, 4);
  });

  it('always holds the rate and stays within 0..1, narrowing as n grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const hits = Math.round(share * n);
        const w = wilson(hits, n);
        expect(w.low).toBeGreaterThanOrEqual(0);
        expect(w.high).toBeLessThanOrEqual(1);
        expect(w.low).toBeLessThanOrEqual(w.value);
        expect(w.high).toBeGreaterThanOrEqual(w.value);
        const wider = wilson(hits, n);
        const bigger = wilson(hits * 4, n * 4);
        expect(bigger.high - bigger.low).toBeLessThanOrEqual(wider.high - wider.low + 1e-12);
      }),
    );
  });

  it('refuses a count outside 0..n', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(0, 0)).toThrow(RangeError);
  });
});

describe('t interval', () => {
  it('uses the t table and approaches the normal quantile', () => {
    expect(t975(1)).toBe(12.706);
    expect(t975(30)).toBe(2.042);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(120)).toBeCloseTo(1.9799, 3);
    expect(t975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('gives mean ± t·s/√n (1, 2, 3: 2 ± 4.303/√3)', () => {
    const m = meanInterval([1, 2, 3]);
    expect(m.value).toBe(2);
    expect(m.high - m.value).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(meanInterval([5])).toEqual({ value: 5, low: 5, high: 5 });
  });

  it('always holds the mean', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
        const m = meanInterval(xs);
        expect(m.low).toBeLessThanOrEqual(m.value + 1e-9);
        expect(m.high).toBeGreaterThanOrEqual(m.value - 1e-9);
      }),
    );
  });
});
