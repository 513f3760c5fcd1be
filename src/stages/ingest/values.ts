/**
 * SQL snippets shared by the ingest steps for reading raw VARCHAR values.
 */
import { quoteIdent } from '../../core/sql.js';

/**
 * Spellings exports use for "no value". Compared after trimming and lower-casing. `NA` matters
 * in practice: R and pandas write it for missing ids (the UCI Online Retail log has 25% of them).
 */
export const NULL_TOKENS = ['', 'null', 'na', 'n/a', 'none', 'nan', 'undefined', 'nil'] as const;

const NULL_LIST = NULL_TOKENS.map((t) => `'${t}'`).join(', ');

/** SQL: `expr` trimmed, with the null spellings turned into NULL. */
export function cleanText(expr: string): string {
  return `CASE WHEN lower(trim(${expr})) IN (${NULL_LIST}) THEN NULL ELSE trim(${expr}) END`;
}

/** SQL: the column's cleaned value. */
export function cleanColumn(column: string): string {
  return cleanText(quoteIdent(column));
}
