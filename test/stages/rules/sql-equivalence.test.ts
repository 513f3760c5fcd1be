/**
 * The invariant the rules stage rests on: a rule's SQL, run in DuckDB, selects exactly the users
 * the JavaScript evaluation selects — and so does its JSON Logic — for any data and any rule,
 * including missing values, infinities, -0, nasty strings and nasty feature names.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import type { FeatureTable } from '../../../src/stages/features/types.js';
import { createContext } from '../../../src/core/context.js';
import { evaluateRule } from '../../../src/stages/rules/evaluate.js';
import { suggestRules } from '../../../src/stages/rules/index.js';
import { ruleMetrics } from '../../../src/stages/rules/metrics.js';
import { toJsonLogic } from '../../../src/stages/rules/json-logic.js';
import { stringLiteral, thresholdLiteral, toSql } from '../../../src/stages/rules/sql.js';
import type { Condition } from '../../../src/stages/rules/types.js';
import { byteOrder, loadFeatureTableIntoDuckDb, makeFeatureTable, type ColumnSpec, namedSegmentation } from '../../helpers/feature-table.js';
import { evaluateJsonLogic } from './json-logic-eval.js';

const NASTY = [
  "it's",
  "''",
  '"',
  '""quoted""',
  '<script>alert(1)</script>',
  "x'; DROP TABLE features; --",
  'a\u0000b',
  '\u0000',
  'new\nline',
  'tab\t',
  ' ',
  '',
  'e\u0301',
  '\u00e9',
  'Ünïcødé',
  '😀',
  '\u202eright-to-left',
  '%_like*',
  'NULL',
  'null',
  'true',
];
const NASTY_NAMES = ['plan', 'has "quotes"', "it's", 'with space', 'a.b', 'Ünïcødé', '<script>', 'select', 'x;DROP TABLE features;--', '😀', 'tab\there', 'new\nline', 'NULL', 'from'];

const nastyString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 6, unit: 'grapheme' }), fc.string({ maxLength: 4, unit: 'binary' }));

// DuckDB identifiers are case-insensitive and cannot hold NUL; the features stage guarantees both.
const featureName = fc
  .oneof(fc.constantFrom(...NASTY_NAMES), fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }))
  .filter((s) => s.length > 0 && !s.includes('\u0000') && s.toLowerCase() !== 'user_id');

const specialDoubles = [0, -0, 0.1, 0.3, 0.1 + 0.2, 1 / 3, 2.5, -7, 1e-7, 5e-324, 1e300, 2 ** 53 + 2, 123456789012345680000, 0.4138832944164083];
// fc.double favours extreme exponents; ordinary doubles with 17 significant digits (like
// Math.random()'s) are the ones an inexact decimal literal gets wrong, so generate those too.
const ordinaryDouble = fc.tuple(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.constantFrom(1, 1000, -1e6)).map(([m, scale]) => (m / 2 ** 53) * scale);
const anyFinite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), ordinaryDouble, fc.constantFrom(...specialDoubles), fc.integer({ min: -5, max: 5 }));
const numericValue = fc.oneof(fc.constant(null), fc.double({ noNaN: true }), ordinaryDouble, fc.constantFrom(...specialDoubles), fc.integer({ min: -5, max: 5 }));

type Kind = 'numeric' | 'integer' | 'boolean' | 'categorical';

function columnArb(name: string, kind: Kind, n: number): fc.Arbitrary<ColumnSpec> {
  const values = <T,>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: n, maxLength: n });
  switch (kind) {
    case 'numeric':
      return values(numericValue).map((v) => ({ name, label: name, kind: 'numeric', values: v }) as const);
    case 'integer':
      return values(fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 5 })).map((v) => ({ name, label: name, kind: 'numeric', integer: true, values: v }) as const);
    case 'boolean':
      return values(fc.option(fc.boolean(), { freq: 4 })).map((v) => ({ name, label: name, kind: 'boolean', values: v }) as const);
    case 'categorical':
      return values(fc.option(nastyString, { freq: 5 })).map((v) => ({ name, label: name, kind: 'categorical', values: v }) as const);
  }
}

const tableArb: fc.Arbitrary<FeatureTable> = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    names: fc.uniqueArray(featureName, { minLength: 1, maxLength: 6, selector: (s) => s.toLowerCase() }),
    kinds: fc.array(fc.constantFrom<Kind>('numeric', 'integer', 'boolean', 'categorical'), { minLength: 6, maxLength: 6 }),
    idStems: fc.array(nastyString, { minLength: 30, maxLength: 30 }),
  })
  .chain(({ n, names, kinds, idStems }) =>
    fc.tuple(...names.map((name, j) => columnArb(name, kinds[j], n))).map((columns) => {
      // Nasty but unique ids, in the byte order FeatureTable promises.
      const ids = idStems.slice(0, n).map((s, i) => `${s}#${i}`).sort(byteOrder);
      return makeFeatureTable(columns, ids);
    }),
  );

function conditionArb(table: FeatureTable): fc.Arbitrary<Condition> {
  return fc.integer({ min: 0, max: table.columns.length - 1 }).chain((j): fc.Arbitrary<Condition> => {
    const f = table.columns[j];
    const label = f.label;
    if (f.kind === 'boolean') return fc.boolean().map((value) => ({ feature: f.name, op: '=', value, label }));
    if (f.kind === 'categorical') {
      const present = f.values.filter((v): v is string => v !== null);
      const value = present.length > 0 ? fc.oneof(fc.constantFrom(...present), nastyString) : nastyString;
      return fc.record({ op: fc.constantFrom('=' as const, '!=' as const), value }).map(({ op, value }) => ({ feature: f.name, op, value, label }));
    }
    // Thresholds equal to data values hit the boundary, where an inexact literal would show.
    const present = Array.from(f.values).filter((v) => Number.isFinite(v));
    const value = present.length > 0 ? fc.oneof(fc.constantFrom(...present), anyFinite) : anyFinite;
    return fc.record({ op: fc.constantFrom('>=' as const, '<' as const), value }).map(({ op, value }) => ({ feature: f.name, op, value, label }));
  });
}

const caseArb = tableArb.chain((table) =>
  fc.record({
    table: fc.constant(table),
    rules: fc.array(fc.array(conditionArb(table), { maxLength: 3 }), { minLength: 1, maxLength: 5 }),
    integerType: fc.constantFrom('DOUBLE' as const, 'BIGINT' as const),
  }),
);

/** One user's record as JSON Logic sees it: missing → null, booleans as booleans. */
function records(table: FeatureTable): Record<string, unknown>[] {
  return table.userIds.map((_, i) =>
    Object.fromEntries(
      table.columns.map((f) => {
        const v = f.values[i];
        if (f.kind === 'categorical') return [f.name, v];
        if (Number.isNaN(v)) return [f.name, null];
        return [f.name, f.kind === 'boolean' ? v === 1 : v];
      }),
    ),
  );
}

let db: Db;
beforeAll(async () => {
  db = await openDb(1);
});
afterAll(() => db.close());

describe('rule SQL and JSON Logic select exactly the users the JS evaluation selects', () => {
  it('for random tables and random rules (every operator, NULLs, nasty strings and names)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ table, rules, integerType }) => {
        await loadFeatureTableIntoDuckDb(db, table, { integerType });
        const data = records(table);
        for (const conditions of rules) {
          const selected = evaluateRule(table, conditions);
          const jsIds = table.userIds.filter((_, i) => selected[i] === 1);
          const rows = await db.all<{ user_id: string }>(toSql({ conditions }, 'features'));
          const sqlIds = rows.map((r) => r.user_id).sort(byteOrder);
          expect(sqlIds).toEqual(jsIds);

          const logic = toJsonLogic(conditions);
          expect(data.map((r) => (evaluateJsonLogic(logic, r) ? 1 : 0))).toEqual(Array.from(selected));
        }
      }),
      { numRuns: 80 },
    );
  });

  it('suggestRules verifies every rule it suggests on random tables (the mismatch error never fires)', async () => {
    const arb = tableArb.chain((table) =>
      fc.record({
        table: fc.constant(table),
        k: fc.integer({ min: 1, max: 3 }),
        labelSeeds: fc.array(fc.nat(), { minLength: table.userIds.length, maxLength: table.userIds.length }),
        names: fc.array(nastyString, { minLength: 3, maxLength: 3 }),
        integerType: fc.constantFrom('DOUBLE' as const, 'BIGINT' as const),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ({ table, k, labelSeeds, names, integerType }) => {
        await loadFeatureTableIntoDuckDb(db, table, { integerType });
        const labels = Int32Array.from(labelSeeds, (v) => v % k);
        const ruleSet = await suggestRules(db, table, namedSegmentation(table, labels, names.slice(0, k)), { maxConditions: 3 }, createContext(1));
        expect(ruleSet.rules).toHaveLength(k);
        for (const rule of ruleSet.rules) {
          expect(rule.verified).toBe(true);
          expect(rule.metrics).toEqual(ruleMetrics(evaluateRule(table, rule.conditions), labels, rule.segment));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('thresholdLiteral is read back by DuckDB as exactly the same double', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyFinite, { minLength: 1, maxLength: 40 }), async (values) => {
        const row = (await db.all<Record<string, number>>(`SELECT ${values.map((v, i) => `(${thresholdLiteral(v)})::DOUBLE AS "c${i}"`).join(', ')}`))[0];
        values.forEach((v, i) => expect(row[`c${i}`] === v).toBe(true));
      }),
      { numRuns: 60 },
    );
  });

  it('stringLiteral is read back by DuckDB as exactly the same string (NUL included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nastyString, { minLength: 1, maxLength: 20 }), async (values) => {
        const row = (await db.all<Record<string, string>>(`SELECT ${values.map((v, i) => `${stringLiteral(v)} AS "c${i}"`).join(', ')}`))[0];
        expect(values.map((_, i) => row[`c${i}`])).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });
});
