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
 *   ids and free text under other names, and whole-number columns whose every value is
 *   different (over ≥ 20 rows): a row number or a numeric id (`CustomerId`, `id_student`);
 * - columns with no values.
 *
 * Types, decided from every non-null value (after the null spellings in `values.ts`):
 * BOOLEAN when all are true/false, yes/no, y/n, t/f or 1/0; else DOUBLE when all are numbers;
 * else DATE when all are dates or date-times (features turn them into ages in days); else VARCHAR
 * (categorical). 0/1 columns are read as flags, which is what they almost always are. In a DOUBLE
 * column, values too large for a double (`1e309`) or spelled `inf` become NULL and are counted.
 *
 * Integer codes: a whole-number column whose values all lie in 1..{@link CODE_MAX} and that has
 * few distinct values (2 or more, at most {@link CODE_SHARE} of its values) is a coded category
 * (wholesale `Channel` 1–2 and `Region` 1–3; shoppers `Month` 1–10, `Browser` 1–13,
 * `TrafficType` 1–20), not a quantity: "1.3× fewer Channel" means nothing. Counts start at 0
 * (`Administrative`, `num_of_prev_attempts`) and quantities spread wider (`employees`,
 * `studied_credits` 30–430), so they stay numbers. The share bound keeps a small table's 1–5
 * rating a number until there are 20 rows per value. Detections are returned in `detected`
 * (the run warns with them) and a declared type (`inputs.users.types`) always wins.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';
import { USER_ID_NAMES } from './columns.js';
import type { AttributeColumn, AttributeType, ExcludedColumn } from './types.js';
import { cleanColumn } from './values.js';

/** Columns per statistics query, and per query of distinct counts (each needs its own hash table). */
const STATS_BATCH = 250;
const DISTINCT_BATCH = 50;
/** Integer codes: values within 1..CODE_MAX, distinct values at most CODE_SHARE of the values. */
const CODE_MAX = 20;
const CODE_SHARE = 0.05;
/** Uniqueness is only judged on this many values or more. */
const UNIQUE_MIN_ROWS = 20;

/** A column type the analyst declared (`inputs.users.types`); `id` and `ignore` never reach typing. */
export type DeclaredType = 'category' | 'number' | 'date';

/** A type segmint chose for a column on its own, which the analyst may want to override. */
export interface DetectedType {
  readonly column: string;
  /** `category`: an integer code; `id`: an identifier (by name or unique per row), left out. */
  readonly as: 'category' | 'id';
  /** Why, in words: `whole numbers 1–13, 13 distinct`, `named like an id`. */
  readonly why: string;
}

export interface TypeOptions {
  /** Types declared in the config: they win over detection, names included. */
  readonly declared?: ReadonlyMap<string, DeclaredType>;
  /**
   * Outcome columns: typed as they are (flag, number, date, text), never excluded by name or
   * uniqueness (a revenue may well be unique per row) and never read as integer codes.
   */
  readonly asIs?: boolean;
}

/** A DOUBLE attribute with values that are numbers but not finite ones (read as NULL). */
export interface NonFiniteCount {
  readonly column: string;
  readonly count: number;
}

const TRUE_WORDS = ['true', 'yes', 'y', 't', '1'];
const FALSE_WORDS = ['false', 'no', 'n', 'f', '0'];
const list = (words: readonly string[]) => words.map((w) => `'${w}'`).join(', ');

const ID_NAME = [/^(id|uid|uuid|guid)$/i, /[_\-\s.](id|uuid|guid)$/i, /^(id|uuid|guid)[_\-\s.]/i, /[a-z0-9]I[dD]$/];
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

/**
 * The left-out columns nothing else tells the analyst about: not the ones their config left out,
 * and not `named` ones another warning gives (identifiers `detected` by name or values; a
 * warehouse column of a type no attribute is made of).
 */
export function unsaidExclusions(excluded: readonly ExcludedColumn[], named: ReadonlySet<string> = new Set()): ExcludedColumn[] {
  return excluded.filter((e) => !e.chosen && !named.has(e.column));
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
  options: TypeOptions = {},
): Promise<{ attributes: AttributeColumn[]; excluded: ExcludedColumn[]; nonFinite: NonFiniteCount[]; detected: DetectedType[] }> {
  const declared = options.declared ?? new Map<string, DeclaredType>();
  const excluded: ExcludedColumn[] = [];
  const detected: DetectedType[] = [];
  const kept: string[] = [];
  for (const c of candidates) {
    const byName = declared.has(c) || options.asIs ? null : excludedByName(c);
    const reason = preExcluded.get(c) ?? byName;
    if (reason) excluded.push({ column: c, reason, ...(preExcluded.has(c) ? { chosen: true as const } : {}) });
    else kept.push(c);
    if (!preExcluded.has(c) && byName === 'identifier') detected.push({ column: c, as: 'id', why: 'named like an id' });
  }
  if (kept.length === 0) return { attributes: [], excluded, nonFinite: [], detected };

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
        `count_if(TRY_CAST(${v} AS DOUBLE) = round(TRY_CAST(${v} AS DOUBLE))) AS w${i}`,
        `min(TRY_CAST(${v} AS DOUBLE)) AS lo${i}`,
        `max(TRY_CAST(${v} AS DOUBLE)) AS hi${i}`,
      ];
    });
    Object.assign(stats, (await db.all<Record<string, number>>(`SELECT ${aggs.join(', ')} FROM ${quoteIdent(table)} WHERE ${where}`))[0]);
  }
  const DECLARED: Record<DeclaredType, AttributeType> = { category: 'VARCHAR', number: 'DOUBLE', date: 'DATE' };
  const typeOf = (i: number): AttributeType => {
    const given = declared.get(kept[i]);
    if (given !== undefined) return DECLARED[given];
    const n = Number(stats[`n${i}`]);
    if (Number(stats[`b${i}`]) === n) return 'BOOLEAN';
    if (Number(stats[`x${i}`]) === n) return 'DOUBLE';
    if (Number(stats[`d${i}`]) === n) return 'DATE';
    return 'VARCHAR';
  };
  // Whole numbers (an undeclared DOUBLE): ids when unique per row, codes when few and within 1..CODE_MAX.
  const wholeNumbers = (i: number) =>
    !declared.has(kept[i]) && !options.asIs && typeOf(i) === 'DOUBLE' && Number(stats[`w${i}`]) === Number(stats[`n${i}`]) && Number(stats[`n${i}`]) >= UNIQUE_MIN_ROWS;
  const uncertain = kept
    .map((_, i) => i)
    .filter((i) => (Number(stats[`n${i}`]) >= UNIQUE_MIN_ROWS && typeOf(i) === 'VARCHAR' && !declared.has(kept[i]) && !options.asIs) || wholeNumbers(i));
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
    let type = typeOf(i);
    const distinct = Number(stats[`u${i}`]);
    if (type === 'VARCHAR' && uncertain.includes(i) && distinct >= 0.9 * n) {
      excluded.push({ column: c, reason: 'unique per row (identifier or free text)' });
      return;
    }
    if (wholeNumbers(i)) {
      const [lo, hi] = [Number(stats[`lo${i}`]), Number(stats[`hi${i}`])];
      if (distinct === n) {
        excluded.push({ column: c, reason: 'unique per row (identifier)' });
        detected.push({ column: c, as: 'id', why: `a different whole number in each of its ${n} rows` });
        return;
      }
      if (lo >= 1 && hi <= CODE_MAX && distinct >= 2 && distinct <= CODE_SHARE * n) {
        type = 'VARCHAR';
        detected.push({ column: c, as: 'category', why: `whole numbers ${lo}–${hi}, ${distinct} distinct` });
      }
    }
    attributes.push({ column: c, type });
    if (type === 'DOUBLE' && Number(stats[`f${i}`]) > 0) nonFinite.push({ column: c, count: Number(stats[`f${i}`]) });
  });
  return { attributes, excluded, nonFinite, detected };
}
