import { describe, expect, it } from 'vitest';
import { sortedStatistics } from '../../../src/core/select.js';
import { DEFAULT_QUANTILES, candidateThresholds, humanRound, roundingFor } from '../../../src/stages/rules/thresholds.js';

describe('humanRound', () => {
  it('rounds counts and days to integers, and large counts to 2 significant figures', () => {
    expect(humanRound(29.7, 'integer')).toBe(30);
    expect(humanRound(3.2, 'integer')).toBe(3);
    expect(humanRound(99.4, 'integer')).toBe(99);
    expect(humanRound(1549, 'integer')).toBe(1500);
    expect(humanRound(123456, 'integer')).toBe(120000);
  });

  it('rounds shares to 2 decimals, giving the short double (0.3, not 0.30000000000000004)', () => {
    expect(humanRound(0.4567, 'share')).toBe(0.46);
    expect(humanRound(0.29871, 'share')).toBe(0.3);
    expect(String(humanRound(0.1 + 0.2, 'share'))).toBe('0.3');
  });

  it('rounds other values to 2 significant figures', () => {
    expect(humanRound(3.456, 'significant')).toBe(3.5);
    expect(humanRound(0.01234, 'significant')).toBe(0.012);
    expect(humanRound(45.67, 'significant')).toBe(46);
    expect(humanRound(-1234.5, 'significant')).toBe(-1200);
  });

  it('has a coarse step: 1 significant figure or 1 decimal', () => {
    expect(humanRound(31, 'integer', true)).toBe(30);
    expect(humanRound(7, 'integer', true)).toBe(7);
    expect(humanRound(1549, 'integer', true)).toBe(2000);
    expect(humanRound(0.26, 'share', true)).toBe(0.3);
    expect(humanRound(0.0123, 'significant', true)).toBe(0.01);
  });

  it('never returns -0', () => {
    expect(Object.is(humanRound(-0.2, 'integer'), 0)).toBe(true);
    expect(Object.is(humanRound(-0.001, 'share'), 0)).toBe(true);
  });
});

describe('roundingFor', () => {
  it('picks integer for integer features, share for [0, 1], else significant', () => {
    expect(roundingFor(true, 0, 1)).toBe('integer');
    expect(roundingFor(false, 0, 1)).toBe('share');
    expect(roundingFor(false, 0, 1.5)).toBe('significant');
    expect(roundingFor(false, -0.5, 0.5)).toBe('significant');
  });
});

describe('candidateThresholds', () => {
  it('takes quantiles, rounds them both ways, dedupes and sorts', () => {
    // 11: one step above the minimum (below).
    expect(Array.from(candidateThresholds(sortedStatistics(Float64Array.of(10, 20, 31, 40)), 'integer', [0.5]))).toEqual([11, 30, 31]);
    const sorted = Float64Array.from({ length: 101 }, (_, i) => i / 100);
    expect(Array.from(candidateThresholds(sortedStatistics(sorted), 'share', [0.25, 0.5, 0.51]))).toEqual([0.01, 0.25, 0.3, 0.5, 0.51]);
    expect(Array.from(candidateThresholds(sortedStatistics(Float64Array.of(0.5, 2, 3)), 'significant', [0.5]))).toEqual([2]);
  });

  it('tries "at least once" for a count that is 0 for most users', () => {
    // An event one segment of 9% fires: every quantile up to the 0.9th is 0.
    const counts = Float64Array.from({ length: 1000 }, (_, i) => (i < 910 ? 0 : 16 + (i % 9)));
    const t = Array.from(candidateThresholds(sortedStatistics(counts), 'integer', DEFAULT_QUANTILES));
    expect(t[0]).toBe(1);
    expect(t.filter((x) => x > 1 && x < 16)).toEqual([]);
  });

  it('drops thresholds at or below the minimum and above the maximum', () => {
    expect(Array.from(candidateThresholds(sortedStatistics(Float64Array.of(5, 5, 5, 6)), 'integer', [0, 0.5, 1]))).toEqual([6]);
    expect(Array.from(candidateThresholds(sortedStatistics(Float64Array.of(7, 7)), 'integer', [0.5]))).toEqual([]);
    expect(Array.from(candidateThresholds(sortedStatistics(new Float64Array(0)), 'integer', [0.5]))).toEqual([]);
  });
});
