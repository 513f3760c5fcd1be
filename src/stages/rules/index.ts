/** The rules stage: one short, verified, promotable rule per segment, as JSON, SQL and JSON Logic. */
export { suggestRules, type SuggestRulesOptions } from './suggest.js';
export { toSql, renderRulesSql } from './sql.js';
export { toJsonLogic, type JsonLogic } from './json-logic.js';
export { evaluateRule } from './evaluate.js';
export { ruleMetrics } from './metrics.js';
export type { Condition, Rule, RuleMetrics, RuleSet } from './types.js';
