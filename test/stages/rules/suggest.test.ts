import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { createRng } from '../../../src/core/rng.js';
import type { FeatureTable } from '../../../src/stages/features/types.js';
import { evaluateRule, suggestRules } from '../../../src/stages/rules/index.js';
import { warnings } from '../../../src/core/warnings.js';
import { humanRound, roundingFor } from '../../../src/stages/rules/thresholds.js';
import { loadFeatureTableIntoDuckDb, makeFeatureTable, type ColumnSpec, namedSegmentation } from '../../helpers/feature-table.js';
import { evaluateJsonLogic } from './json-logic-eval.js';

const config = { maxConditions: 3 };

let db: Db;
beforeAll(async () => {
  db = await openDb(1);
});
afterAll(() => db.close());

async function run(table: FeatureTable, labels: Int32Array, names: readonly string[], maxConditions = 3) {
  await loadFeatureTableIntoDuckDb(db, table);
  const ctx = createContext(7);
  const ruleSet = await suggestRules(db, table, namedSegmentation(table, labels, names), { maxConditions }, ctx);
  return { ruleSet, ctx };
}

const labelsFrom = (n: number, f: (i: number) => number): Int32Array => Int32Array.from({ length: n }, (_, i) => f(i));

describe('suggestRules: small exact cases', () => {
  it('finds the single threshold that describes a segment, rounded to a human value (F1 = 1)', async () => {
    // share uniform on [0, 1); the segment is share >= 0.3. The raw quantile near the boundary
    // is something like 0.2987; only the rounded 0.3 reaches F1 = 1.
    const n = 200;
    const rng = createRng(1);
    const share = Array.from({ length: n }, () => rng.next());
    const table = makeFeatureTable([
      { name: 'share_reports', label: 'share of report_viewed events', kind: 'numeric', values: share },
      { name: 'noise', kind: 'numeric', values: Array.from({ length: n }, () => rng.next() * 50) },
    ]);
    const labels = labelsFrom(n, (i) => (share[i] >= 0.3 ? 1 : 0));
    const { ruleSet, ctx } = await run(table, labels, ['light', 'heavy readers']);
    const rule = ruleSet.rules[1];
    expect(rule.conditions).toEqual([{ feature: 'share_reports', op: '>=', value: 0.3, label: 'share of report_viewed events ≥ 0.3' }]);
    expect(rule.metrics.f1).toBe(1);
    expect(rule.metrics.precision).toBe(1);
    expect(rule.metrics.recall).toBe(1);
    expect(rule.text).toBe('share of report_viewed events ≥ 0.3');
    expect(rule.sql).toBe('SELECT "user_id" FROM "features" WHERE "share_reports" >= 0.3');
    expect(rule.verified).toBe(true);
    // The complement segment gets the complementary rule.
    expect(ruleSet.rules[0].conditions.map((c) => [c.feature, c.op, c.value])).toEqual([['share_reports', '<', 0.3]]);
    expect(ctx.warnings).toEqual([]);
  });

  it('rounds count thresholds to integers and describes the count segment exactly', async () => {
    const n = 120;
    const rng = createRng(2);
    const events = Array.from({ length: n }, () => rng.int(60));
    const table = makeFeatureTable([{ name: 'events', label: 'events', kind: 'numeric', integer: true, values: events }]);
    const labels = labelsFrom(n, (i) => (events[i] >= 40 ? 0 : 1));
    const { ruleSet } = await run(table, labels, ['busy', 'quiet']);
    expect(ruleSet.rules[0].conditions).toEqual([{ feature: 'events', op: '>=', value: 40, label: 'events ≥ 40' }]);
    expect(ruleSet.rules[0].metrics.f1).toBe(1);
    expect(ruleSet.rules[1].conditions).toEqual([{ feature: 'events', op: '<', value: 40, label: 'events < 40' }]);
  });

  it('uses categorical and boolean conditions, quoting values in SQL and text', async () => {
    const plans = ['free', "o'brien plan", 'enterprise', 'pro'];
    const n = 80;
    const plan = Array.from({ length: n }, (_, i) => plans[i % 4]);
    const sso = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 === 0));
    const table = makeFeatureTable([
      { name: 'plan', label: 'plan', kind: 'categorical', values: plan },
      { name: 'has sso', label: 'uses SSO', kind: 'boolean', values: sso },
    ]);
    const labels = labelsFrom(n, (i) => (plan[i] === "o'brien plan" ? 0 : sso[i] === true ? 1 : 2));
    const { ruleSet } = await run(table, labels, ['obrien', 'sso', 'rest']);
    const [r0, r1] = ruleSet.rules;
    expect(r0.conditions).toEqual([{ feature: 'plan', op: '=', value: "o'brien plan", label: "plan = 'o''brien plan'" }]);
    expect(r0.sql).toBe(`SELECT "user_id" FROM "features" WHERE "plan" = 'o''brien plan'`);
    expect(r0.metrics.f1).toBe(1);
    // sso = true, but the o'brien users with SSO are not in the segment: one more condition.
    expect(r1.conditions.map((c) => [c.feature, c.op, c.value])).toEqual([
      ['has sso', '=', true],
      ['plan', '!=', "o'brien plan"],
    ]);
    expect(r1.text).toBe("uses SSO = true AND plan ≠ 'o''brien plan'");
    expect(r1.sql).toBe(`SELECT "user_id" FROM "features" WHERE "has sso" = true AND "plan" <> 'o''brien plan'`);
    expect(r1.metrics.f1).toBe(1);
    expect(ruleSet.rules.every((r) => r.verified)).toBe(true);
  });

  it('finds a two-condition conjunction when one condition is not enough', async () => {
    const n = 400;
    const rng = createRng(3);
    const days = Array.from({ length: n }, () => rng.int(90));
    const plan = Array.from({ length: n }, () => (rng.next() < 0.5 ? 'pro' : 'free'));
    const table = makeFeatureTable([
      { name: 'days_since_last', label: 'days since last event', kind: 'numeric', integer: true, values: days },
      { name: 'plan', label: 'plan', kind: 'categorical', values: plan },
    ]);
    const labels = labelsFrom(n, (i) => (days[i] >= 30 && plan[i] === 'pro' ? 1 : 0));
    const { ruleSet } = await run(table, labels, ['others', 'lapsing pro']);
    const rule = ruleSet.rules[1];
    expect(rule.metrics.f1).toBe(1);
    // Conditions keep the order they were found in: the most telling first (plan alone: F1 0.8).
    expect(rule.text).toBe("plan = 'pro' AND days since last event ≥ 30");
    expect(rule.jsonLogic).toEqual({
      and: [
        { '===': [{ var: 'plan' }, 'pro'] },
        { '!': [{ '===': [{ var: 'days_since_last' }, null] }] },
        { '>=': [{ var: 'days_since_last' }, 30] },
      ],
    });
  });

  it('respects maxConditions and keeps rules short unless a condition adds at least 0.01 F1', async () => {
    const n = 400;
    const rng = createRng(4);
    const a = Array.from({ length: n }, () => rng.int(100));
    const b = Array.from({ length: n }, () => rng.int(100));
    const table = makeFeatureTable([
      { name: 'a', kind: 'numeric', integer: true, values: a },
      { name: 'b', kind: 'numeric', integer: true, values: b },
    ]);
    const labels = labelsFrom(n, (i) => (a[i] >= 50 && b[i] >= 50 ? 1 : 0));
    const one = await run(table, labels, ['x', 'y'], 1);
    expect(one.ruleSet.rules[1].conditions).toHaveLength(1);
    const two = await run(table, labels, ['x', 'y'], 3);
    expect(two.ruleSet.rules[1].conditions).toHaveLength(2);
    expect(two.ruleSet.rules[1].metrics.f1).toBe(1);
  });

  it('never selects users with a missing value, for < and != too', async () => {
    const table = makeFeatureTable([
      { name: 'x', kind: 'numeric', values: [1, NaN, 5, null, 2, 8] },
      { name: 'c', kind: 'categorical', values: ['a', null, 'b', 'a', null, 'b'] },
    ]);
    const labels = Int32Array.from([1, 0, 0, 0, 1, 0]);
    const { ruleSet } = await run(table, labels, ['other', 'low x']);
    const rule = ruleSet.rules[1];
    expect(rule.conditions.map((c) => [c.feature, c.op])).toEqual([['x', '<']]);
    expect(Array.from(evaluateRule(table, rule.conditions))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(rule.metrics).toMatchObject({ truePositives: 2, selected: 2, f1: 1 });
  });
});

describe('suggestRules: metrics', () => {
  it('reports tp, selected, precision, recall, F1, support and lift for the chosen rule', async () => {
    // x >= 5 selects users 5..9 (5 users); the segment is users 4..9 (6 users).
    const table = makeFeatureTable([{ name: 'x', kind: 'numeric', integer: true, values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }]);
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    await loadFeatureTableIntoDuckDb(db, table);
    const ruleSet = await suggestRules(db, table, namedSegmentation(table, labels, ['a', 'b']), config, createContext(1), { quantiles: [0.5] });
    const m = ruleSet.rules[1].metrics;
    // The only candidate threshold: the median (index round(0.5 · 9) = 5 of the sorted values).
    expect(ruleSet.rules[1].conditions.map((c) => c.value)).toEqual([5]);
    expect(m).toEqual({
      truePositives: 5,
      selected: 5,
      segmentSize: 6,
      precision: 1,
      recall: 5 / 6,
      f1: 10 / 11,
      support: 0.5,
      lift: 1 / 0.6,
    });
  });

  it('warns W_RULE_WEAK, with the catalog message, when no rule reaches F1 0.5', async () => {
    const n = 300;
    const rng = createRng(5);
    const table = makeFeatureTable([
      { name: 'noise', kind: 'numeric', values: Array.from({ length: n }, () => rng.next()) },
      { name: 'coin', kind: 'boolean', values: Array.from({ length: n }, () => rng.next() < 0.5) },
    ]);
    // Four random segments: nothing describes them.
    const labels = labelsFrom(n, () => rng.int(4));
    const { ruleSet, ctx } = await run(table, labels, ['s0', 's1', 's2', 's3']);
    const weak = ruleSet.rules.filter((r) => r.metrics.f1 < 0.5);
    expect(weak.length).toBeGreaterThan(0);
    expect(ctx.warnings).toEqual(
      weak.map((r) => warnings.weakRule(r.segmentName, r.metrics.f1, 0.5)),
    );
  });

  it('gives a segment with no members a rule with F1 0 rather than failing', async () => {
    const table = makeFeatureTable([{ name: 'x', kind: 'numeric', values: [1, 2, 3, 4] }]);
    const { ruleSet, ctx } = await run(table, Int32Array.from([0, 0, 1, 1]), ['a', 'b', 'empty']);
    expect(ruleSet.rules[2].metrics).toMatchObject({ segmentSize: 0, f1: 0, precision: 0, recall: 0, lift: 0 });
    expect(ruleSet.rules[2].verified).toBe(true);
    expect(ctx.warnings.map((w) => w.code)).toEqual(['W_RULE_WEAK']);
  });
});

/** A planted table: 4 segments defined by raw features, plus noise features and missing values. */
function planted(n: number, seed: number) {
  const rng = createRng(seed);
  const labels = labelsFrom(n, () => rng.int(4));
  const noisy = (base: number, spread: number) => base + spread * rng.normal();
  const cols: ColumnSpec[] = [
    { name: 'events', label: 'events', kind: 'numeric', integer: true, values: Array.from(labels, (l) => Math.max(0, Math.round(l === 0 ? noisy(400, 60) : noisy(60, 30)))) },
    { name: 'days_since_last', label: 'days since last event', kind: 'numeric', integer: true, values: Array.from(labels, (l) => Math.max(0, Math.round(l === 1 ? noisy(45, 8) : noisy(5, 4)))) },
    { name: 'share_report_viewed', label: 'share of report_viewed events', kind: 'numeric', values: Array.from(labels, (l) => Math.min(1, Math.max(0, l === 2 ? noisy(0.6, 0.08) : noisy(0.15, 0.08)))) },
    { name: 'plan', label: 'plan', kind: 'categorical', values: Array.from(labels, (l) => (rng.next() < 0.05 ? null : l === 3 ? 'enterprise' : rng.next() < 0.5 ? 'free' : 'pro')) },
    { name: 'has_sso', label: 'uses SSO', kind: 'boolean', values: Array.from(labels, () => (rng.next() < 0.1 ? null : rng.next() < 0.4)) },
    { name: 'revenue', label: 'revenue', kind: 'numeric', values: Array.from(labels, () => (rng.next() < 0.2 ? null : Math.exp(noisy(6, 1.5)))) },
    { name: 'country', label: 'country', kind: 'categorical', values: Array.from(labels, () => ['DE', 'FR', 'US', 'Ünïcødé', "it's"][rng.int(5)]) },
  ];
  return { table: makeFeatureTable(cols), labels };
}

describe('suggestRules on a planted table', () => {
  it('finds high-F1, verified rules over the planted features with human-rounded thresholds', async () => {
    const { table, labels } = planted(1200, 11);
    const { ruleSet, ctx } = await run(table, labels, ['power', 'lapsed', 'readers', 'enterprise']);
    expect(ruleSet.kind).toBe('segmint.rules');
    expect(ruleSet.table).toBe('features');
    const plantedOn = ['events', 'days_since_last', 'share_report_viewed', 'plan'];
    ruleSet.rules.forEach((rule, s) => {
      expect(rule.verified).toBe(true);
      expect(rule.metrics.f1).toBeGreaterThan(0.9);
      expect(rule.conditions[0].feature).toBe(plantedOn[s]);
      expect(rule.conditions.length).toBeLessThanOrEqual(3);
      for (const c of rule.conditions) {
        if (typeof c.value !== 'number') continue;
        const f = table.columns.find((col) => col.name === c.feature)!;
        const vals = Array.from(f.values as Float64Array).filter((v) => !Number.isNaN(v));
        const rounding = roundingFor(f.kind === 'numeric' && f.integer, Math.min(...vals), Math.max(...vals));
        expect(humanRound(c.value, rounding)).toBe(c.value);
      }
    });
    expect(ruleSet.rules[3].conditions[0]).toMatchObject({ op: '=', value: 'enterprise' });
    expect(ctx.warnings).toEqual([]);
  });

  it('JSON Logic selects the same users as the JS evaluation (and so as the SQL)', async () => {
    const { table, labels } = planted(400, 12);
    const { ruleSet } = await run(table, labels, ['a', 'b', 'c', 'd']);
    const records = table.userIds.map((_, i) =>
      Object.fromEntries(
        table.columns.map((f) => {
          const v = f.values[i];
          if (f.kind === 'categorical') return [f.name, v];
          if (Number.isNaN(v)) return [f.name, null];
          return [f.name, f.kind === 'boolean' ? v === 1 : v];
        }),
      ),
    );
    for (const rule of ruleSet.rules) {
      const js = evaluateRule(table, rule.conditions);
      expect(records.map((r) => (evaluateJsonLogic(rule.jsonLogic, r) ? 1 : 0))).toEqual(Array.from(js));
    }
  });

  it('is deterministic and leaves its inputs untouched', async () => {
    const { table, labels } = planted(600, 13);
    const snapshot = structuredClone({ table, labels });
    const names = Object.freeze(['a', 'b', 'c', 'd']);
    const first = await run(table, labels, names);
    const second = await run(table, labels, names);
    expect(second.ruleSet).toEqual(first.ruleSet);
    expect(JSON.stringify(second.ruleSet)).toBe(JSON.stringify(first.ruleSet));
    expect({ table, labels }).toEqual(snapshot);
  });

  it('does not depend on the order of the feature columns', async () => {
    const { table, labels } = planted(600, 14);
    const reversed: FeatureTable = { ...table, columns: [...table.columns].reverse() };
    const a = await run(table, labels, ['a', 'b', 'c', 'd']);
    const b = await run(reversed, labels, ['a', 'b', 'c', 'd']);
    expect(b.ruleSet).toEqual(a.ruleSet);
  });

  it('never uses excluded features', async () => {
    const { table, labels } = planted(600, 15);
    await loadFeatureTableIntoDuckDb(db, table);
    const ruleSet = await suggestRules(db, table, namedSegmentation(table, labels, ['a', 'b', 'c', 'd']), config, createContext(1), { exclude: ['events', 'plan'] });
    for (const rule of ruleSet.rules) for (const c of rule.conditions) expect(['events', 'plan']).not.toContain(c.feature);
  });

  it('throws, naming the rule, if the SQL ever selects different users than the JS evaluation', async () => {
    const { table, labels } = planted(300, 16);
    await loadFeatureTableIntoDuckDb(db, table);
    // Corrupt the DuckDB copy so the two can no longer agree.
    await db.run(`UPDATE features SET events = events + 100000, days_since_last = NULL, share_report_viewed = 1 - share_report_viewed, plan = 'x'`);
    await expect(suggestRules(db, table, namedSegmentation(table, labels, ['power', 'b', 'c', 'd']), config, createContext(1))).rejects.toThrow(/rule-0 \("power"\)/);
  });
});
