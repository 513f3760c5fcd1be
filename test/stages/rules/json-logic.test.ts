/**
 * rules.json's JSON Logic selects what SQL selects in every engine that reads it: our reference
 * evaluator (json-logic-js semantics) and OpenFeature's flagd core, whose engine reads
 * `0 != null` as false — the guard must not drop users whose value is 0.
 */
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { evaluateRule, toJsonLogic, type Condition } from '../../../src/stages/rules/index.js';
import type { FeatureTable } from '../../../src/stages/features/types.js';
import { makeFeatureTable } from '../../helpers/feature-table.js';
import { evaluateJsonLogic } from './json-logic-eval.js';

const table = makeFeatureTable([
  { name: 'x', kind: 'numeric', values: [0, null, 3, -1, 0.5, 0] },
  { name: 'c', kind: 'categorical', values: ['a', null, 'b', '', 'a', 'b'] },
  { name: 'b', kind: 'boolean', values: [false, null, true, false, true, null] },
]);

/** One user's record as an evaluation context: missing numbers and categories are null. */
function record(t: FeatureTable, i: number): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = { targetingKey: t.userIds[i] };
  for (const c of t.columns) {
    const v = c.values[i];
    out[c.name] = c.kind === 'categorical' ? (v as string | null) : Number.isNaN(v as number) ? null : c.kind === 'boolean' ? v === 1 : (v as number);
  }
  return out;
}

function flagdSelection(conditions: readonly Condition[]): boolean[] {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify({ flags: { rule: { state: 'ENABLED', variants: { in: true, out: false }, defaultVariant: 'out', targeting: { if: [toJsonLogic(conditions), 'in', 'out'] } } } }));
  return table.userIds.map((_, i) => {
    const r = core.resolveBooleanEvaluation('rule', false, record(table, i));
    expect(r.reason).not.toBe('ERROR');
    return r.value;
  });
}

const cases: Condition[][] = [
  [{ feature: 'x', op: '>=', value: 0, label: '' }],
  [{ feature: 'x', op: '<', value: 1, label: '' }],
  [{ feature: 'x', op: '<', value: 0.5, label: '' }],
  [{ feature: 'c', op: '!=', value: 'a', label: '' }],
  [{ feature: 'c', op: '=', value: 'b', label: '' }],
  [{ feature: 'b', op: '=', value: false, label: '' }],
  [{ feature: 'x', op: '<', value: 1, label: '' }, { feature: 'c', op: '!=', value: 'b', label: '' }],
];

describe('toJsonLogic null guard', () => {
  it('is strict equality to null under a negation, which every engine reads alike', () => {
    expect(toJsonLogic([{ feature: 'x', op: '<', value: 1, label: '' }])).toEqual({ and: [{ '!': [{ '===': [{ var: 'x' }, null] }] }, { '<': [{ var: 'x' }, 1] }] });
  });

  it.each(cases.map((c) => [c.map((x) => `${x.feature} ${x.op} ${String(x.value)}`).join(' and '), c] as const))(
    'selects the SQL-semantics users in flagd-core and the reference evaluator: %s',
    (_, conditions) => {
      const expected = Array.from(evaluateRule(table, conditions), (v) => v === 1);
      const logic = toJsonLogic(conditions);
      expect(table.userIds.map((_, i) => Boolean(evaluateJsonLogic(logic, record(table, i))))).toEqual(expected);
      expect(flagdSelection(conditions)).toEqual(expected);
    },
  );

  it('keeps users whose value is 0 (flagd read the old `!=` guard as false for them)', () => {
    const zeroUsers = flagdSelection([{ feature: 'x', op: '<', value: 1, label: '' }]);
    expect(zeroUsers[0]).toBe(true);
    expect(zeroUsers[5]).toBe(true);
    expect(zeroUsers[1]).toBe(false); // missing
  });
});
