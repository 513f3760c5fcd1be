/**
 * Attribute columns of the users and accounts tables: which columns are attributes at all, and
 * what type each one gets.
 *
 * Not attributes (listed in the result's `excluded` with the reason):
 * - the table's key and the users → accounts join column, and columns named in `exclude`;
 * - identifiers by name (`id`, `uuid`, `…_id`, `…Id`, `…ID`): a number that names something is
 *   not a quantity, and segmenting on it would be noise;
 * - contact details and free text by name (`name`, `email` / `work_email`, `phone`, `address`,
 *   `ip`, `description`, `notes`, …): personal data has no place in a segment definition
 *   (a flag like `email_opt_in` is not contact data and stays);
 * - text columns whose values are (almost) unique per row (≥ 90% distinct over ≥ 20 rows):
 *   ids and free text under other names;
 * - columns with no values.
 *
 * Types, decided from every non-null value (after the null spellings in `values.ts`):
 * BOOLEAN when all are true/false, yes/no, y/n, t/f or 1/0; else DOUBLE when all are numbers;
 * else DATE when all are dates or date-times (features turn them into ages in days); else VARCHAR
 * (categorical). 0/1 columns are read as flags, which is what they almost always are. In a DOUBLE
 * column, values too large for a double (`1e309`) or spelled `inf` become NULL and are counted.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';
import { USER_ID_NAMES } from './columns.js';
import type { AttributeColumn, AttributeType, ExcludedColumn } from './types.js';
import { cleanColumn } from './values.js';

/** Columns per statistics query, and per query of distinct counts (each needs its own hash table). */
const STATS_BATCH = 250;
const DISTINCT_BATCH = 50;

/** A DOUBLE attribute with values that are numbers but not finite ones (read as NULL). */
export interface NonFiniteCount {
  readonly column: string;
  readonly count: number;
}

const TRUE_WORDS = ['true', 'yes', 'y', 't', '1'];
const FALSE_WORDS = ['false', 'no', 'n', 'f', '0'];
const list = (words: readonly string[]) => words.map((w) => `'${w}'`).join(', ');

const ID_NAME = [/^(id|uid|uuid|guid)$/i, /[_\-\s.](id|uuid|guid)$/i, /[a-z0-9]I[dD]$/];
const PERSONAL_NAME =
  /^(name|full_?name|first_?name|last_?name|display_?name|user_?name|contact_?name|phone|phone_?number|mobile|address|street|street_?address|ip|ip_?address|description|comments?|notes?)$/i;
/** Email address columns (`email`, `work_email`, `emailAddress`), not flags such as `email_opt_in`. */
const EMAIL_NAME = [/^(.*[_\-\s.])?e-?mail([_\-\s.]?address)?$/i, /[a-z0-9]Email(Address)?$/];

/** Why a column is not an attribute by its name alone, or null when it may be one. */
export function excludedByName(column: string): string | null {
  if (USER_ID_NAMES.some((n) => n.toLowerCase() === column.toLowerCase()) || ID_NAME.some((re) => re.test(column))) {
    return 'identifier';
  }
  if (PERSONAL_NAME.test(column) || EMAIL_NAME.some((re) => re.test(column))) return 'personal data or free text';
  return null;
}

/** SQL giving the typed value of `column` (cleaned text) for an attribute of type `type`. */
export function typedValueSql(column: string, type: AttributeType): string {
  const v = cleanColumn(column);
  switch (type) {
    case 'BOOLEAN':
      return `(CASE WHEN lower(${v}) IN (${list(TRUE_WORDS)}) THEN TRUE WHEN lower(${v}) IN (${list(FALSE_WORDS)}) THEN FALSE END)`;
    case 'DOUBLE':
      // A number a double cannot hold (`1e309`, `inf`) is no value: Infinity would poison every
      // mean and scale. `typeAttributes` counts them so the run can say so.
      return `(CASE WHEN isfinite(TRY_CAST(${v} AS DOUBLE)) THEN TRY_CAST(${v} AS DOUBLE) END)`;
    case 'DATE':
      return `TRY_CAST(${v} AS DATE)`;
    case 'VARCHAR':
      return v;
  }
}

/**
 * Type every candidate column of `table` (rows where `where` holds) and drop the ones that are
 * not attributes. Batched SQL passes compute, per column, the non-null, boolean, numeric,
 * non-finite and date counts, then distinct counts where the type leaves them in question.
 *
 * @example
 * await typeAttributes(db, 'stg', "status = 'used'", ['plan', 'seats', 'email'], new Map());
 * // { attributes: [{ column: 'plan', type: 'VARCHAR' }, { column: 'seats', type: 'DOUBLE' }],
 * //   excluded: [{ column: 'email', reason: 'personal data or free text' }] }
 */
export async function typeAttributes(
  db: Db,
  table: string,
  where: string,
  candidates: readonly string[],
  preExcluded: ReadonlyMap<string, string>,
): Promise<{ attributes: AttributeColumn[]; excluded: ExcludedColumn[]; nonFinite: NonFiniteCount[] }> {
  const excluded: ExcludedColumn[] = [];
  const kept: string[] = [];
  for (const c of candidates) {
    const reason = preExcluded.get(c) ?? excludedByName(c);
    if (reason) excluded.push({ column: c, reason });
    else kept.push(c);
  }
  if (kept.length === 0) return { attributes: [], excluded, nonFinite: [] };

  // Column statistics in batches: one query over thousands of columns runs DuckDB out of memory
  // (measured: 500 columns with count(DISTINCT) each exhausted 1 GB on 150 rows). Distinct counts,
  // the costly part, are only taken for the columns whose type leaves them in question.
  const stats: Record<string, number> = {};
  for (let from = 0; from < kept.length; from += STATS_BATCH) {
    const aggs = kept.slice(from, from + STATS_BATCH).flatMap((c, j) => {
      const i = from + j;
      const v = cleanColumn(c);
      return [
        `count(${v}) AS n${i}`,
        `count_if(lower(${v}) IN (${list([...TRUE_WORDS, ...FALSE_WORDS])})) AS b${i}`,
        `count(TRY_CAST(${v} AS DOUBLE)) AS x${i}`,
        `count_if(NOT isfinite(TRY_CAST(${v} AS DOUBLE))) AS f${i}`,
        `count(TRY_CAST(${v} AS DATE)) AS d${i}`,
      ];
    });
    Object.assign(stats, (await db.all<Record<string, number>>(`SELECT ${aggs.join(', ')} FROM ${quoteIdent(table)} WHERE ${where}`))[0]);
  }
  const typeOf = (i: number): AttributeType => {
    const n = Number(stats[`n${i}`]);
    if (Number(stats[`b${i}`]) === n) return 'BOOLEAN';
    if (Number(stats[`x${i}`]) === n) return 'DOUBLE';
    if (Number(stats[`d${i}`]) === n) return 'DATE';
    return 'VARCHAR';
  };
  const uncertain = kept.map((_, i) => i).filter((i) => Number(stats[`n${i}`]) >= 20 && typeOf(i) === 'VARCHAR');
  for (let from = 0; from < uncertain.length; from += DISTINCT_BATCH) {
    const aggs = uncertain.slice(from, from + DISTINCT_BATCH).map((i) => `count(DISTINCT ${cleanColumn(kept[i])}) AS u${i}`);
    Object.assign(stats, (await db.all<Record<string, number>>(`SELECT ${aggs.join(', ')} FROM ${quoteIdent(table)} WHERE ${where}`))[0]);
  }

  const attributes: AttributeColumn[] = [];
  const nonFinite: NonFiniteCount[] = [];
  kept.forEach((c, i) => {
    const n = Number(stats[`n${i}`]);
    if (n === 0) {
      excluded.push({ column: c, reason: 'no values' });
      return;
    }
    const type = typeOf(i);
    if (type === 'VARCHAR' && n >= 20 && Number(stats[`u${i}`]) >= 0.9 * n) {
      excluded.push({ column: c, reason: 'unique per row (identifier or free text)' });
      return;
    }
    attributes.push({ column: c, type });
    if (type === 'DOUBLE' && Number(stats[`f${i}`]) > 0) nonFinite.push({ column: c, count: Number(stats[`f${i}`]) });
  });
  return { attributes, excluded, nonFinite };
}
