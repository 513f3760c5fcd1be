import { describe, expect, it } from 'vitest';
import { outcomeChanges } from '../../src/run/outcome-diff.js';
import type { OutcomeMeasure } from '../../src/stages/outcomes/types.js';

const measure = (label: string, values: readonly (readonly [number, number | null])[]): OutcomeMeasure => ({
  outcome: label,
  source: 'users',
  kind: 'rate',
  level: 'true',
  label,
  everyone: { n: 100, value: 0.2, low: 0.1, high: 0.3 },
  segments: values.map(([segment, value]) => ({ segment, value, n: 10, low: null, high: null, lift: null })),
});

describe('outcomes between two runs', () => {
  it('pairs each later segment with the value of the earlier segment it was matched to, by measure label', () => {
    const before = [measure('Revenue', [[0, 0.1], [1, 0.5]])];
    const after = [measure('Revenue', [[0, 0.45], [1, 0.12], [2, 0.3]])];
    const pairs = [
      { key: 'seg-a', segment: 0, matched: 1 },
      { key: 'seg-b', segment: 1, matched: 0 },
      { key: 'seg-new', segment: 2, matched: null },
    ];
    expect(outcomeChanges(before, after, pairs)).toEqual([
      { measure: 'Revenue', key: 'seg-a', segment: 0, after: 0.45, before: 0.5 },
      { measure: 'Revenue', key: 'seg-b', segment: 1, after: 0.12, before: 0.1 },
      { measure: 'Revenue', key: 'seg-new', segment: 2, after: 0.3, before: null },
    ]);
  });

  it('says nothing without outcomes in the later run, and nothing earlier for a measure the earlier run lacked', () => {
    expect(outcomeChanges([measure('Revenue', [[0, 0.1]])], undefined, [{ key: 'k', segment: 0, matched: 0 }])).toEqual([]);
    expect(outcomeChanges(undefined, [measure('Churn', [[0, 0.2]])], [{ key: 'k', segment: 0, matched: 0 }])).toEqual([
      { measure: 'Churn', key: 'k', segment: 0, after: 0.2, before: null },
    ]);
  });
});
