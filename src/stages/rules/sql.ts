/**
 * Rules as SQL. Every identifier goes through `quoteIdent`, every string through `quoteLiteral`,
 * and every threshold through a literal DuckDB reads back as exactly the same double — the
 * verification step compares DuckDB's selection with JavaScript's user for user.
 */
import { numberLiteral, quoteIdent, quoteLiteral, UNSAFE_IN_LITERAL } from '../../core/sql.js';
import { unicodeEscape } from '../../core/visible.js';
import type { Condition, Rule, RuleSet } from './types.js';

/**
 * A numeric literal that is exact *and* readable: integers as written, short decimals as written
 * ("0.46"), anything longer in exponent form. Core's `numberLiteral` writes 17 digits plus
 * `::DOUBLE`; DuckDB parses such a literal as a DECIMAL and converts it with a double rounding,
 * which lands one ulp off for roughly 1 in 15 arbitrary doubles. A plain decimal of at most 15
 * significant digits converts exactly (one correctly rounded division of two exact doubles), and
 * DuckDB parses exponent literals directly as DOUBLE.
 *
 * @example
 * thresholdLiteral(30);                // "30"
 * thresholdLiteral(0.46);              // "0.46"
 * thresholdLiteral(0.4138832944164083); // "4.138832944164083e-1"
 */
export function thresholdLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite threshold in a rule: ${value}`);
  if (Number.isInteger(value)) return numberLiteral(value + 0);
  const plain = String(value);
  const digits = plain.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return !plain.includes('e') && digits <= 15 ? plain : value.toExponential();
}

/**
 * A string literal for any string. SQL text cannot carry a NUL character (DuckDB's parser stops
 * at it), so NULs are spliced in with `chr(0)`.
 */
export function stringLiteral(value: string): string {
  if (!value.includes('\u0000')) return quoteLiteral(value);
  return `(${value.split('\u0000').map(quoteLiteral).join(' || chr(0) || ')})`;
}

/** One condition as a SQL predicate; NULL (a missing value) never satisfies it. */
export function conditionSql(condition: Condition): string {
  const column = quoteIdent(condition.feature);
  switch (condition.op) {
    case '>=':
    case '<':
      return `${column} ${condition.op} ${thresholdLiteral(condition.value)}`;
    case '=':
    case '!=': {
      const literal = typeof condition.value === 'boolean' ? String(condition.value) : stringLiteral(condition.value);
      return `${column} ${condition.op === '=' ? '=' : '<>'} ${literal}`;
    }
  }
}

/**
 * The rule as one `SELECT user_id FROM <table> WHERE …` statement. `table` may be a
 * schema-qualified name given as parts (`['analytics', 'features']`); each part is quoted.
 *
 * @example
 * toSql(rule, 'features');
 * // SELECT "user_id" FROM "features" WHERE "days_since_last" >= 30 AND "plan" = 'enterprise'
 */
export function toSql(rule: Pick<Rule, 'conditions'>, table: string | readonly string[] = 'features'): string {
  const from = (typeof table === 'string' ? [table] : table).map(quoteIdent).join('.');
  const where = rule.conditions.map(conditionSql).join(' AND ');
  return `SELECT ${quoteIdent('user_id')} FROM ${from}${where ? ` WHERE ${where}` : ''}`;
}

/**
 * Values from the data end up in comments: a line break there would end the comment and let the
 * rest run as SQL, and a bidi control would make the file display differently from what it does.
 * Both are shown as visible escapes (`\u202e`).
 */
function commentSafe(text: string): string {
  return text.replace(new RegExp(UNSAFE_IN_LITERAL.source, 'gu'), (ch) => (ch === '\\' ? ch : unicodeEscape(ch)));
}

const fixed = (v: number, digits: number): string => v.toFixed(digits);

/**
 * The `rules.sql` file: a header, then per rule a comment block (name, wording, metrics) and its
 * statement. Deterministic: same rule set ⇒ same bytes.
 *
 * @example
 * await writeFile(join(runDir, 'rules.sql'), renderRulesSql(ruleSet));
 */
export function renderRulesSql(ruleSet: RuleSet): string {
  const lines = [
    '-- segmint suggested rules',
    `-- One statement per segment over the ${commentSafe(quoteIdent(ruleSet.table))} table; each selects the users its rule describes.`,
    '-- Metrics compare that selection with the segment found by clustering (one segment vs the rest).',
  ];
  for (const rule of ruleSet.rules) {
    const m = rule.metrics;
    lines.push(
      '',
      `-- ${commentSafe(rule.id)}: segment ${rule.segment} ${commentSafe(JSON.stringify(rule.segmentName))}`,
      `-- ${commentSafe(rule.text)}`,
      `-- F1 ${fixed(m.f1, 3)}, precision ${fixed(m.precision, 3)}, recall ${fixed(m.recall, 3)}, support ${fixed(100 * m.support, 1)}%, lift ${fixed(m.lift, 2)}`,
      `-- selects ${m.selected} users, ${m.truePositives} of the ${m.segmentSize} in the segment${rule.verified ? '; verified in DuckDB' : ''}`,
      `${toSql(rule, ruleSet.table)};`,
    );
  }
  const none = ruleSet.noEvents;
  if (none) {
    lines.push(
      '',
      `-- segment ${none.segment} ${commentSafe(JSON.stringify(none.segmentName))}: not clustered, ${none.users} users`,
      `-- ${commentSafe(none.text)}${none.verified ? '; verified in DuckDB' : ''}`,
      `${none.sql};`,
    );
  }
  return lines.join('\n') + '\n';
}
