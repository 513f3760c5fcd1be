import { describe, expect, it } from 'vitest';
import { formatBytes, formatInt, formatMs, formatNumber, formatPercent, formatRatio, formatSigned, formatValue, MISSING } from '../../../src/stages/report/format.js';

describe('format', () => {
  it('groups thousands without a locale', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1234)).toBe('\u22121,234');
    expect(formatNumber(5321.44, 1)).toBe('5,321.4');
  });

  it('formats percentages, signs and ratios at fixed precision', () => {
    expect(formatPercent(0.2175)).toBe('21.8%');
    expect(formatSigned(0.741)).toBe('+0.74');
    expect(formatSigned(-0.4213)).toBe('\u22120.42');
    expect(formatSigned(-0.001)).toBe('0.00');
    expect(formatRatio(3.104)).toBe('3.10\u00d7');
  });

  it('picks precision from magnitude for measured values', () => {
    expect(formatValue(0.4251)).toBe('0.43');
    expect(formatValue(41.26)).toBe('41.3');
    expect(formatValue(12480.37)).toBe('12,480');
  });

  it('shows missing and non-finite values as a dash', () => {
    for (const v of [null, undefined, NaN, Infinity]) {
      expect(formatInt(v)).toBe(MISSING);
      expect(formatPercent(v)).toBe(MISSING);
      expect(formatSigned(v)).toBe(MISSING);
      expect(formatRatio(v)).toBe(MISSING);
    }
  });

  it('formats durations and sizes', () => {
    expect(formatMs(95)).toBe('95 ms');
    expect(formatMs(1520)).toBe('1.52 s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2_621_440)).toBe('2.50 MiB');
  });
});
