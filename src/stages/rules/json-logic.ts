/**
 * Rules as JSON Logic (jsonlogic.com), for systems that evaluate rules outside SQL. The data a
 * rule is applied to is one user's record: feature name → number, string or boolean, with null
 * (or an absent key) for a missing value.
 *
 * JSON Logic compares like JavaScript, where `null < 30` is true; each condition that a missing
 * value could wrongly satisfy is therefore guarded with `{"!": [{"===": [{"var": …}, null]}]}`,
 * so the selection matches SQL's NULL semantics. Not `{"!=": [var, null]}`: loose equality is
 * where engines part ways (flagd's engine reads `0 != null` as false, which dropped every user
 * whose value is 0), while strict equality to null and `!` read the same in every engine. `var`
 * names are feature names used as plain keys: evaluators that read "a.b" as a path
 * (json-logic-js does) need feature names without dots.
 */
import type { Condition } from './types.js';

export type JsonLogic = boolean | { readonly [op: string]: readonly unknown[] };

function conditionLogic(condition: Condition): JsonLogic[] {
  const v = { var: condition.feature };
  const present = { '!': [{ '===': [v, null] }] };
  switch (condition.op) {
    case '>=':
    case '<':
      return [present, { [condition.op]: [v, condition.value + 0] }];
    case '=':
      // Strict equality: no coercion between "1" and 1, and null never equals a value.
      return [{ '===': [v, condition.value] }];
    case '!=':
      return [present, { '!==': [v, condition.value] }];
  }
}

/**
 * `{"and": [...]}` over the conditions (`true` for a rule without conditions).
 *
 * @example
 * toJsonLogic([{ feature: 'days_since_last', op: '>=', value: 30, label: '…' }]);
 * // { and: [ { '!': [{ '===': [{ var: 'days_since_last' }, null] }] }, { '>=': [{ var: 'days_since_last' }, 30] } ] }
 */
export function toJsonLogic(conditions: readonly Condition[]): JsonLogic {
  if (conditions.length === 0) return true;
  return { and: conditions.flatMap(conditionLogic) };
}
