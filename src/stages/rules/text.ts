/** The human wording of conditions and rules, built from each feature's `label`. */
import { visibleOneLine } from '../../core/visible.js';
import type { Condition } from './types.js';

/**
 * A threshold as people write it: the shortest decimal that is exactly this number
 * (thresholds are human-rounded already, so this is "30" or "0.46", not "0.45999…").
 */
export function formatThreshold(value: number): string {
  return String(value + 0);
}

/**
 * A string value as people read it in a rule: in single quotes, a quote inside doubled (so
 * `pro' OR plan = 'free` cannot read as two conditions), control characters as visible escapes,
 * everything else as it is. The SQL literal (`'O''Brien' || chr(92) || …`, safe in every
 * dialect) is for rules.sql; this is the wording in reports, rules.json's text and the console.
 *
 * @example
 * displayLiteral("O'Brien\\path"); // "'O''Brien\\path'"
 */
export function displayLiteral(value: string): string {
  return `'${visibleOneLine(value).replace(/'/g, "''")}'`;
}

/**
 * "days since last event ≥ 30", "plan = 'enterprise'", "uses SSO = true".
 *
 * @example
 * conditionText('days since last event', '>=', 30); // "days since last event ≥ 30"
 */
export function conditionText(label: string, op: Condition['op'], value: Condition['value']): string {
  const symbol = op === '>=' ? '≥' : op === '!=' ? '≠' : op;
  return `${label} ${symbol} ${valueText(value)}`;
}

/** A condition's value as its wording shows it: "30", "true", "'enterprise'". */
export function valueText(value: Condition['value']): string {
  return typeof value === 'number' ? formatThreshold(value) : typeof value === 'boolean' ? String(value) : displayLiteral(value);
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
