import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { evaluateRule, renderRulesSql, suggestRules, toJsonLogic, toSql, type Condition, type Rule, type RuleSet } from '../../../src/stages/rules/index.js';
import { metricsFromCounts } from '../../../src/stages/rules/metrics.js';
import { stringLiteral, thresholdLiteral } from '../../../src/stages/rules/sql.js';
import { conditionText } from '../../../src/stages/rules/text.js';
import { loadFeatureTableIntoDuckDb, makeFeatureTable, namedSegmentation } from '../../helpers/feature-table.js';

const days: Condition = { feature: 'days_since_last', op: '>=', value: 30, label: 'days since last event ≥ 30' };
const plan: Condition = { feature: 'plan', op: '=', value: 'enterprise', label: "plan = 'enterprise'" };

describe('condition wording', () => {
  it('uses the feature label, ≥ / < / = / ≠, SQL-style quoted strings and short numbers', () => {
    expect(conditionText('days since last event', '>=', 30)).toBe('days since last event ≥ 30');
    expect(conditionText('share of report_viewed events', '<', 0.46)).toBe('share of report_viewed events < 0.46');
    expect(conditionText('plan', '=', 'enterprise')).toBe("plan = 'enterprise'");
    expect(conditionText('company', '!=', "O'Brien")).toBe("company ≠ 'O''Brien'");
    // The wording people read: no SQL concatenation, a backslash as it is, controls visible.
    expect(conditionText('plan', '=', "O'Brien\\path|x")).toBe("plan = 'O''Brien\\path|x'");
    expect(conditionText('plan', '=', 'line1\nline2')).toBe("plan = 'line1\\u000aline2'");
    expect(conditionText('plan', '=', 'r\u202etl')).toBe("plan = 'r\\u202etl'");
    expect(conditionText('uses SSO', '=', false)).toBe('uses SSO = false');
  });
});

describe('toSql', () => {
  it('writes one SELECT with quoted identifiers and literals', () => {
    expect(toSql({ conditions: [days, plan] })).toBe(`SELECT "user_id" FROM "features" WHERE "days_since_last" >= 30 AND "plan" = 'enterprise'`);
    expect(toSql({ conditions: [] }, 'features')).toBe('SELECT "user_id" FROM "features"');
    expect(toSql({ conditions: [{ feature: 'a"b', op: '!=', value: "x'y", label: '' }] }, ['analytics', 'Features'])).toBe(
      `SELECT "user_id" FROM "analytics"."Features" WHERE "a""b" <> 'x''y'`,
    );
    expect(toSql({ conditions: [{ feature: 'sso', op: '=', value: true, label: '' }, { feature: 'x', op: '<', value: -2.5, label: '' }] })).toBe(
      'SELECT "user_id" FROM "features" WHERE "sso" = true AND "x" < -2.5',
    );
  });

  it('writes thresholds exactly: short decimals as written, long ones in exponent form', () => {
    expect(thresholdLiteral(30)).toBe('30');
    expect(thresholdLiteral(-0)).toBe('0');
    expect(thresholdLiteral(0.46)).toBe('0.46');
    expect(thresholdLiteral(1500)).toBe('1500');
    expect(thresholdLiteral(0.4138832944164083)).toBe('4.138832944164083e-1');
    expect(thresholdLiteral(1e-7)).toBe('1e-7');
    expect(() => thresholdLiteral(Infinity)).toThrow(/non-finite/);
  });

  it('splices NUL characters in with chr(0), since SQL text cannot carry them', () => {
    expect(stringLiteral("it's")).toBe("'it''s'");
    expect(stringLiteral('a\u0000b')).toBe("('a' || chr(0) || 'b')");
  });
});

describe('toJsonLogic', () => {
  it('guards conditions a missing value could satisfy, and compares strictly', () => {
    expect(toJsonLogic([days, plan, { feature: 'plan', op: '!=', value: 'free', label: '' }, { feature: 'sso', op: '=', value: false, label: '' }])).toEqual({
      and: [
        { '!': [{ '===': [{ var: 'days_since_last' }, null] }] },
        { '>=': [{ var: 'days_since_last' }, 30] },
        { '===': [{ var: 'plan' }, 'enterprise'] },
        { '!': [{ '===': [{ var: 'plan' }, null] }] },
        { '!==': [{ var: 'plan' }, 'free'] },
        { '===': [{ var: 'sso' }, false] },
      ],
    });
    expect(toJsonLogic([])).toBe(true);
  });
});

describe('evaluateRule', () => {
  const table = makeFeatureTable([
    { name: 'x', kind: 'numeric', values: [1, null, 5, -Infinity, Infinity] },
    { name: 'c', kind: 'categorical', values: ['a', null, 'b', '', 'a'] },
    { name: 'b', kind: 'boolean', values: [true, false, null, true, false] },
  ]);
  const sel = (conditions: Condition[]) => Array.from(evaluateRule(table, conditions));

  it('follows SQL NULL semantics for every operator', () => {
    expect(sel([{ feature: 'x', op: '<', value: 3, label: '' }])).toEqual([1, 0, 0, 1, 0]);
    expect(sel([{ feature: 'x', op: '>=', value: 3, label: '' }])).toEqual([0, 0, 1, 0, 1]);
    expect(sel([{ feature: 'c', op: '!=', value: 'a', label: '' }])).toEqual([0, 0, 1, 1, 0]);
    expect(sel([{ feature: 'c', op: '=', value: 'a', label: '' }])).toEqual([1, 0, 0, 0, 1]);
    expect(sel([{ feature: 'b', op: '=', value: false, label: '' }])).toEqual([0, 1, 0, 0, 1]);
    expect(sel([])).toEqual([1, 1, 1, 1, 1]);
    expect(sel([{ feature: 'b', op: '=', value: true, label: '' }, { feature: 'c', op: '!=', value: 'b', label: '' }])).toEqual([1, 0, 0, 1, 0]);
  });

  it('rejects conditions that do not fit the table', () => {
    expect(() => sel([{ feature: 'nope', op: '<', value: 3, label: '' }])).toThrow(/unknown feature "nope"/);
    expect(() => sel([{ feature: 'x', op: '=', value: 'a', label: '' }])).toThrow(/numeric feature "x"/);
    expect(() => sel([{ feature: 'b', op: '!=', value: true, label: '' }])).toThrow(/boolean feature "b"/);
  });
});

describe('metricsFromCounts', () => {
  it('is 0, not NaN, when nothing is selected or the segment is empty', () => {
    expect(metricsFromCounts(0, 0, 10, 100)).toEqual({ truePositives: 0, selected: 0, segmentSize: 10, precision: 0, recall: 0, f1: 0, support: 0, lift: 0 });
    expect(metricsFromCounts(0, 5, 0, 100)).toMatchObject({ precision: 0, recall: 0, f1: 0, lift: 0 });
  });
});

describe('renderRulesSql', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(1);
  });
  afterAll(() => db.close());

  const rule = (over: Partial<Rule>): Rule => ({
    id: 'rule-0',
    segment: 0,
    segmentName: 'Power users',
    conditions: [days, plan],
    text: "days since last event ≥ 30 AND plan = 'enterprise'",
    metrics: metricsFromCounts(45, 50, 60, 1000),
    sql: '',
    jsonLogic: true,
    verified: true,
    ...over,
  });

  it('writes a header and a commented statement per rule, deterministically', () => {
    const set: RuleSet = { kind: 'segmint.rules', version: 1, table: 'features', rules: [rule({})] };
    expect(renderRulesSql(set)).toBe(
      [
        '-- segmint suggested rules',
        '-- One statement per segment over the "features" table; each selects the users its rule describes.',
        '-- Metrics compare that selection with the segment found by clustering (one segment vs the rest).',
        '',
        '-- rule-0: segment 0 "Power users"',
        "-- days since last event ≥ 30 AND plan = 'enterprise'",
        '-- F1 0.818, precision 0.900, recall 0.750, support 5.0%, lift 15.00',
        '-- selects 50 users, 45 of the 60 in the segment; verified in DuckDB',
        `SELECT "user_id" FROM "features" WHERE "days_since_last" >= 30 AND "plan" = 'enterprise';`,
        '',
      ].join('\n'),
    );
    expect(renderRulesSql(set)).toBe(renderRulesSql(structuredClone(set)));
  });

  it('keeps names and values from the data inside comments and literals (the file runs as written)', async () => {
    const n = 6;
    const nasty = "x';\nDROP TABLE features; --\r\u2028";
    const table = makeFeatureTable([{ name: 'c', label: `label\nDROP TABLE features;`, kind: 'categorical', values: [nasty, nasty, nasty, 'b', 'b', 'b'] }], Array.from({ length: n }, (_, i) => `u${i}`));
    await loadFeatureTableIntoDuckDb(db, table);
    const set = await suggestRules(db, table, namedSegmentation(table, Int32Array.from([0, 0, 0, 1, 1, 1]), [`evil\nDROP TABLE features;`, 'b']), { maxConditions: 3 }, createContext(1));
    const file = renderRulesSql(set);
    // Comments stay one line each: the label's and the name's line breaks show as escapes.
    expect(file).toContain('-- rule-0: segment 0 "evil\\nDROP TABLE features;"');
    expect(file).toContain("-- label\\u000aDROP TABLE features; = 'x'';\\u000aDROP TABLE features; --\\u000d\\u2028'");
    // Exactly one statement per rule (the value's line breaks are spelled chr(…) in its literal),
    // every statement runs, and the table is still there afterwards.
    const statements = await db.connection.extractStatements(file);
    expect(statements.count).toBe(2);
    for (let i = 0; i < statements.count; i++) await (await statements.prepare(i)).run();
    const rows = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM features');
    expect(rows).toEqual([{ n: 6 }]);
    expect(set.rules[0].conditions).toEqual([{ feature: 'c', op: '=', value: nasty, label: expect.any(String) }]);
  });
});
