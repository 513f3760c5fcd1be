/**
 * Quoting for everything that reaches SQL. Identifiers and literals from data or config are
 * always passed through these (or bound as parameters); never concatenated raw.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Characters that must never sit inside a quoted literal: a backslash (it escapes the closing
 * quote in MySQL/MariaDB by default and in BigQuery/Snowflake-style strings, so
 * `x\'; DROP TABLE …` would end the literal there), control characters (NUL, line breaks) and
 * the Unicode bidi controls that make SQL display differently from what it does.
 */
export const UNSAFE_IN_LITERAL = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * A string literal that means the same in every engine segmint's SQL may be pasted into: plain
 * `'…'` with `'` doubled when the value is safe; otherwise the safe runs quoted and every unsafe
 * character spelled `chr(code)`, joined with `||` (DuckDB and PostgreSQL read it as the same
 * string; an engine without `||` concatenation fails to parse it, which is safe, rather than
 * reading a backslash as an escape).
 *
 * @example
 * quoteLiteral("it's"); // 'it''s'
 * quoteLiteral("x\\'; DROP TABLE t; --"); // ('x' || chr(92) || '''; DROP TABLE t; --')
 */
export function quoteLiteral(value: string): string {
  const plain = (v: string) => `'${v.replace(/'/g, "''")}'`;
  if (!UNSAFE_IN_LITERAL.test(value)) return plain(value);
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    if (UNSAFE_IN_LITERAL.test(ch)) {
      if (run) parts.push(plain(run));
      run = '';
      parts.push(`chr(${ch.codePointAt(0)})`);
    } else run += ch;
  }
  if (run) parts.push(plain(run));
  return `(${parts.join(' || ')})`;
}

/**
 * A numeric literal DuckDB reads back as exactly the same double. Short decimals are written
 * plainly (DuckDB parses up to 15 significant digits exactly); longer ones in exponent form,
 * because DuckDB's DECIMAL path would round a 17-digit plain decimal differently.
 */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite number in SQL: ${value}`);
  if (Number.isInteger(value)) return String(value + 0);
  const plain = String(value);
  const digits = plain.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return !plain.includes('e') && digits <= 15 ? plain : value.toExponential();
}
