import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countCandidates, prepareCandidates } from '../../../src/stages/rules/candidates.js';
import { evaluateCondition } from '../../../src/stages/rules/evaluate.js';
import { candidateCondition, searchRule } from '../../../src/stages/rules/search.js';
import { DEFAULT_QUANTILES } from '../../../src/stages/rules/thresholds.js';
import { makeFeatureTable, type ColumnSpec } from '../../helpers/feature-table.js';
import type { FeatureTable } from '../../../src/stages/features/types.js';

const prep = (table: FeatureTable, maxCategories = 30) => prepareCandidates(table, { quantiles: DEFAULT_QUANTILES, maxCategories, exclude: new Set() });
const options = { maxConditions: 3, beamWidth: 5, minGain: 0.01 };
const describeRule = (table: FeatureTable, found: ReturnType<typeof searchRule>) => {
  const set = prep(table);
  return found.candidates.map((c) => {
    const cond = candidateCondition(set, c, '');
    return `${cond.feature} ${cond.op} ${String(cond.value)}`;
  });
};

describe('candidate counting', () => {
  it('counts every candidate on any subset exactly as the plain evaluator does', () => {
    const column = (j: number): fc.Arbitrary<ColumnSpec> =>
      fc.constantFrom('numeric', 'integer', 'boolean', 'categorical').chain((kind) => {
        const name = `f${j}`;
        if (kind === 'boolean') return fc.array(fc.option(fc.boolean()), { minLength: 40, maxLength: 40 }).map((values) => ({ name, kind, values }) as ColumnSpec);
        if (kind === 'categorical') return fc.array(fc.option(fc.constantFrom('a', 'b', 'c', "d'")), { minLength: 40, maxLength: 40 }).map((values) => ({ name, kind, values }) as ColumnSpec);
        const value = kind === 'integer' ? fc.integer({ min: -3, max: 30 }) : fc.double({ min: -2, max: 2, noNaN: true });
        return fc.array(fc.option(value), { minLength: 40, maxLength: 40 }).map((values) => ({ name, kind: 'numeric', integer: kind === 'integer', values }) as ColumnSpec);
      });
    const arb = fc.record({
      columns: fc.integer({ min: 1, max: 4 }).chain((k) => fc.tuple(...Array.from({ length: k }, (_, j) => column(j)))),
      // Half the subsets hold about a fifth of the users: those are counted from a member list.
      inB: fc.oneof(fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.array(fc.constantFrom(true, false, false, false, false), { minLength: 40, maxLength: 40 })),
      inS: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      maxCategories: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(arb, ({ columns, inB, inS, maxCategories }) => {
        const table = makeFeatureTable(columns);
        const set = prep(table, maxCategories);
        const b = Uint8Array.from(inB, Number);
        const bs = Uint8Array.from(inB, (v, i) => (v && inS[i] ? 1 : 0));
        const selected = new Int32Array(set.candidates.length);
        const hits = new Int32Array(set.candidates.length);
        countCandidates(set, b, bs, selected, hits);
        set.candidates.forEach((cand, c) => {
          const mask = evaluateCondition(set.features[cand.prepared].feature, candidateCondition(set, c, ''));
          let sel = 0;
          let hit = 0;
          mask.forEach((m, i) => {
            sel += m & b[i];
            hit += m & bs[i];
          });
          expect([selected[c], hits[c]]).toEqual([sel, hit]);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('numbers candidates by feature name, then operator, then value', () => {
    const table = makeFeatureTable([
      { name: 'z', kind: 'categorical', values: ['b', 'a', 'b', 'a'] },
      { name: 'a', kind: 'numeric', integer: true, values: [1, 2, 3, 4] },
    ]);
    const set = prep(table);
    expect(set.candidates.map((c) => `${set.features[c.prepared].feature.name} ${c.op} ${String(c.value)}`)).toEqual([
      'a >= 2',
      'a >= 3',
      'a >= 4',
      'a < 2',
      'a < 3',
      'a < 4',
      'z = a',
      'z = b',
      'z != a',
      'z != b',
    ]);
  });

  it('keeps only the most frequent categories of a categorical feature (ties by value)', () => {
    const table = makeFeatureTable([{ name: 'c', kind: 'categorical', values: ['x', 'y', 'y', 'z', 'z', 'w', null] }]);
    const set = prep(table, 2);
    expect(set.candidates.map((c) => `${c.op} ${String(c.value)}`)).toEqual(['= y', '= z', '!= y', '!= z']);
  });

  it('skips features that cannot separate anyone', () => {
    const table = makeFeatureTable([
      { name: 'const', kind: 'numeric', values: [3, 3, 3] },
      { name: 'missing', kind: 'numeric', values: [null, null, null] },
      { name: 'one', kind: 'categorical', values: ['a', 'a', 'a'] },
    ]);
    expect(prep(table).candidates).toEqual([]);
  });
});

describe('searchRule', () => {
  const mask = (n: number, f: (i: number) => boolean) => Uint8Array.from({ length: n }, (_, i) => (f(i) ? 1 : 0));

  it('breaks F1 ties by feature name', () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const table = makeFeatureTable([
      { name: 'b_copy', kind: 'numeric', integer: true, values: x },
      { name: 'a_copy', kind: 'numeric', integer: true, values: x },
    ]);
    const found = searchRule(prep(table), mask(50, (i) => i >= 30), options);
    expect(found.f1).toBe(1);
    expect(describeRule(table, found)).toEqual(['a_copy >= 30']);
  });

  it('adds a condition only when it raises F1 by at least minGain', () => {
    const n = 400;
    const x = Array.from({ length: n }, (_, i) => i % 100);
    // The segment is x >= 50 except one user, whom only `odd` singles out: adding it gains < 0.01.
    const odd = Array.from({ length: n }, (_, i) => i === 399);
    const table = makeFeatureTable([
      { name: 'x', kind: 'numeric', integer: true, values: x },
      { name: 'odd', kind: 'boolean', values: odd },
    ]);
    const segment = mask(n, (i) => x[i] >= 50 && i !== 399);
    const short = searchRule(prep(table), segment, options);
    expect(describeRule(table, short)).toEqual(['x >= 50']);
    expect(short.f1).toBe(398 / 399);
    const eager = searchRule(prep(table), segment, { ...options, minGain: 0 });
    expect(describeRule(table, eager)).toEqual(['x >= 50', 'odd = false']);
    expect(eager.f1).toBe(1);
  });

  it('returns no conditions when no candidate selects any segment member', () => {
    const table = makeFeatureTable([{ name: 'x', kind: 'numeric', values: [1, 2, 3, 4] }]);
    expect(searchRule(prep(table), mask(4, () => false), options)).toEqual({ candidates: [], truePositives: 0, selected: 4, f1: 0 });
  });
});
