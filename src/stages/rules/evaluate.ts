/**
 * Evaluating rules in JavaScript with SQL's NULL semantics, so that a rule selects the same users
 * here as its SQL does in DuckDB: a missing value (NaN / null) makes every comparison NULL, and
 * NULL is "not selected" — for `<` and `!=` too, where a naive JS check would say yes.
 */
import type { Feature, FeatureTable } from '../features/types.js';
import type { Condition } from './types.js';

/**
 * Marks (1) the users that satisfy `condition`; `feature` must be the column it names.
 * Writes into `out` when given (length = number of users), else into a new array.
 *
 * @example
 * const mask = evaluateCondition(column, { feature: 'plan', op: '!=', value: 'free', label: 'plan ≠ free' });
 */
export function evaluateCondition(feature: Feature, condition: Condition, out?: Uint8Array): Uint8Array {
  const n = feature.values.length;
  const mask = out ?? new Uint8Array(n);
  const mismatch = (): never => {
    throw new Error(`rule condition ${condition.op} ${JSON.stringify(condition.value)} does not fit ${feature.kind} feature ${JSON.stringify(feature.name)}`);
  };
  if (feature.kind === 'numeric') {
    const v = feature.values;
    const t = condition.value;
    if (typeof t !== 'number') return mismatch();
    // NaN compares false either way, exactly like NULL in a WHERE clause.
    if (condition.op === '>=') for (let i = 0; i < n; i++) mask[i] = v[i] >= t ? 1 : 0;
    else if (condition.op === '<') for (let i = 0; i < n; i++) mask[i] = v[i] < t ? 1 : 0;
    else return mismatch();
  } else if (feature.kind === 'boolean') {
    if (condition.op !== '=' || typeof condition.value !== 'boolean') return mismatch();
    const want = condition.value ? 1 : 0;
    const v = feature.values;
    for (let i = 0; i < n; i++) mask[i] = v[i] === want ? 1 : 0;
  } else {
    if ((condition.op !== '=' && condition.op !== '!=') || typeof condition.value !== 'string') return mismatch();
    const want = condition.value;
    const v = feature.values;
    if (condition.op === '=') for (let i = 0; i < n; i++) mask[i] = v[i] === want ? 1 : 0;
    else for (let i = 0; i < n; i++) mask[i] = v[i] !== null && v[i] !== want ? 1 : 0;
  }
  return mask;
}

/**
 * Marks (1) the users the conjunction of `conditions` selects (everyone when there are none).
 * Throws when a condition names a feature the table does not have.
 *
 * @example
 * const selected = evaluateRule(table, rule.conditions);
 * const count = selected.reduce((s, v) => s + v, 0);
 */
export function evaluateRule(table: FeatureTable, conditions: readonly Condition[]): Uint8Array {
  const n = table.userIds.length;
  const selected = new Uint8Array(n).fill(1);
  const scratch = new Uint8Array(n);
  for (const condition of conditions) {
    const feature = table.columns.find((c) => c.name === condition.feature);
    if (!feature) throw new Error(`rule condition names unknown feature ${JSON.stringify(condition.feature)}`);
    evaluateCondition(feature, condition, scratch);
    for (let i = 0; i < n; i++) selected[i] &= scratch[i];
  }
  return selected;
}
