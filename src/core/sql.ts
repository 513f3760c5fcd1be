/**
 * Quoting for everything that reaches SQL. Identifiers and literals from data or config are
 * always passed through these (or bound as parameters); never concatenated raw.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
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
