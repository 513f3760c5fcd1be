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

/** A numeric literal DuckDB reads back as exactly the same double. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite number in SQL: ${value}`);
  return Number.isInteger(value) ? String(value) : `${value.toPrecision(17)}::DOUBLE`;
}
