/**
 * A promoted rule as one SELECT over raw tables: the features it needs (definitions.ts), then
 * its conditions. NULL (a missing value) satisfies no condition, as in the run's rules.
 */
import type { Condition } from '../stages/rules/types.js';
import { thresholdLiteral } from '../stages/rules/sql.js';
import { featureRelation, type Frame, type NamedMeaning } from './definitions.js';
import type { DialectOps } from './dialect.js';
import type { PromotedVersion } from './schema.js';

/** One condition as a predicate over the feature relation `f`. */
export function conditionSql(c: Condition, ops: DialectOps): string {
  const column = `f.${ops.ident(c.feature)}`;
  switch (c.op) {
    case '>=':
    case '<':
      return `${column} ${c.op} ${thresholdLiteral(c.value)}`;
    case '=':
    case '!=': {
      const literal = typeof c.value === 'boolean' ? String(c.value).toUpperCase() : ops.literal(c.value);
      return `${column} ${c.op === '=' ? '=' : '<>'} ${literal}`;
    }
  }
}

/** The features a version's rule uses, in the order its conditions name them. */
export function ruleFeatures(v: Pick<PromotedVersion, 'rule' | 'features'>): NamedMeaning[] {
  const names = [...new Set(v.rule.conditions.map((c) => c.feature))];
  return names.map((name) => ({ name, meaning: v.features[name].meaning }));
}

/**
 * `SELECT user_id` of the users the rule selects, computing only the features it uses.
 *
 * @example
 * ruleQuery(entry, { ops: opsFor('postgres'), tables: WAREHOUSE_TABLES, windowDays: entry.window.days, asOf: null });
 */
export function ruleQuery(v: Pick<PromotedVersion, 'rule' | 'features'>, frame: Frame): string {
  const { ctes, select } = featureRelation(ruleFeatures(v), frame);
  const where = v.rule.conditions.map((c) => conditionSql(c, frame.ops)).join(' AND ');
  return `WITH ${ctes.join(', ')}, f AS (${select}) SELECT f.user_id FROM f${where ? ` WHERE ${where}` : ''} ORDER BY f.user_id`;
}
