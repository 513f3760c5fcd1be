/** The human wording of conditions and rules, built from each feature's `label`. */
import { quoteLiteral } from '../../core/sql.js';
import type { Condition } from './types.js';

/**
 * A threshold as people write it: the shortest decimal that is exactly this number
 * (thresholds are human-rounded already, so this is "30" or "0.46", not "0.45999…").
 */
export function formatThreshold(value: number): string {
  return String(value + 0);
}

/**
 * "days since last event ≥ 30", "plan = 'enterprise'", "uses SSO = true".
 *
 * @example
 * conditionText('days since last event', '>=', 30); // "days since last event ≥ 30"
 */
export function conditionText(label: string, op: Condition['op'], value: Condition['value']): string {
  const shown = typeof value === 'number' ? formatThreshold(value) : typeof value === 'boolean' ? String(value) : quoteLiteral(value);
  const symbol = op === '>=' ? '≥' : op === '!=' ? '≠' : op;
  return `${label} ${symbol} ${shown}`;
}

/**
 * The conditions' labels joined with AND; "all users" for a rule without conditions.
 *
 * @example
 * ruleText(rule.conditions); // "days since last event ≥ 30 AND plan = 'enterprise'"
 */
export function ruleText(conditions: readonly Condition[]): string {
  return conditions.length === 0 ? 'all users' : conditions.map((c) => c.label).join(' AND ');
}
