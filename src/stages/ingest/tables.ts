/**
 * The attribute tables (users, accounts): raw files → one staging table → rows judged
 * (rejected for a missing key, duplicate key, used) → the typed `users` / `accounts` table.
 */
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent } from '../../core/sql.js';
import type { ColumnTypeName } from '../../config/types.js';
import { typeAttributes, typedValueSql, type DeclaredType, type DetectedType } from './attributes.js';
import { loadRaw, type RawTable } from './read.js';
import { checkRejectRate, mergeRejects } from './rejects.js';
import type { TextFacts } from './scan.js';
import type { AttributeColumn, ExcludedColumn, RejectedRow, RowAccounting } from './types.js';
import { cleanColumn } from './values.js';

const FILE = '__segmint_file';
const LINE = '__segmint_line';
const STATUS = '__segmint_status';

export type TableRole = 'users' | 'accounts';

/** A users or accounts input loaded into staging, before its keys are known. */
export interface LoadedTable {
  readonly role: TableRole;
  readonly files: readonly string[];
  readonly staging: string;
  /** Union of the files' columns, in order of first appearance. */
  readonly columns: readonly string[];
  readonly read: number;
  readonly raws: readonly RawTable[];
}

export interface NonFiniteValues {
  readonly column: string;
  readonly count: number;
  readonly first: { readonly file: string; readonly line: number; readonly value: string };
}

export interface TableOutcome {
  readonly rows: number;
  readonly accounting: RowAccounting;
  readonly rejects: readonly RejectedRow[];
  readonly attributes: readonly AttributeColumn[];
  readonly excluded: readonly ExcludedColumn[];
  /** Numeric attributes with values too large to be finite (`1e309`), read as missing: count and first one. */
  readonly nonFinite: readonly NonFiniteValues[];
  /** Number of rows dropped as repeats of a key, and the first repeated key. */
  readonly duplicateKeys: { readonly count: number; readonly example: string | null };
  /** Outcome columns, typed, in the table `<role>_outcomes` (key + these); never attributes. */
  readonly outcomes: readonly AttributeColumn[];
  /** Types segmint chose on its own (integer codes, identifiers) that a declared type would override. */
  readonly detected: readonly DetectedType[];
}

/** The engine table holding a role's outcome columns, keyed like the role's table. */
export const outcomesTable = (role: TableRole): string => `${role}_outcomes`;

/**
 * Read every file of a users/accounts input into one staging table (columns matched by name).
 *
 * @example
 * const users = await loadTable(db, 'users', ['/data/users.csv']);
 * users.columns; // ['user_id', 'plan', 'signup_date']
 */
export async function loadTable(
  db: Db,
  role: TableRole,
  files: readonly string[],
  scans: readonly Promise<TextFacts | null>[] = [],
): Promise<LoadedTable> {
  const raws: RawTable[] = [];
  for (let i = 0; i < files.length; i++) raws.push(await loadRaw(db, files[i], `ingest_raw_${role}_${i}`, scans[i] ?? null));
  const read = raws.reduce((s, r) => s + r.rows + r.malformed.length, 0);
  if (read === 0) throw errors.emptyInput(files.join(', '), role);

  const columns: string[] = [];
  const parts: string[] = [];
  raws.forEach((raw, i) => {
    if (raw.rows === 0) return;
    for (const c of raw.columns) if (!columns.includes(c)) columns.push(c);
    const values = raw.columns.map((c) => `${raw.textSql(c)} AS ${quoteIdent(c)}`);
    parts.push(
      `SELECT ${i} AS ${quoteIdent(FILE)}, ${raw.lineSql} AS ${quoteIdent(LINE)}, ${values.join(', ')} FROM ${quoteIdent(raw.table)} r`,
    );
  });
  const staging = `ingest_stg_${role}`;
  await db.run(
    parts.length === 0
      ? `CREATE OR REPLACE TEMP TABLE ${staging} (${quoteIdent(FILE)} INTEGER, ${quoteIdent(LINE)} BIGINT)`
      : `CREATE OR REPLACE TEMP TABLE ${staging} AS ${parts.join(' UNION ALL BY NAME ')}`,
  );
  for (const raw of raws) await raw.drop();
  return { role, files, staging, columns, read, raws };
}

export interface FinishOptions {
  /** The input column holding the table's key. */
  readonly key: string;
  /** Users only: the input column joining to accounts (kept as `account_id`, never an attribute). */
  readonly join: string | null;
  readonly exclude: readonly string[];
  /** An excluded column the table lacks is skipped instead of refused (IngestOptions). */
  readonly excludedMayBeMissing?: boolean;
  readonly maxRejectRate: number;
  /** Outcome columns: kept apart in `<role>_outcomes`, never attributes. */
  readonly outcomes?: readonly string[];
  /** Declared column types (`inputs.users.types`); `id` and `ignore` leave a column out. */
  readonly types?: Readonly<Record<string, ColumnTypeName>>;
}

/**
 * Judge the rows, type the attributes and create the final table: `users(user_id, account_id,
 * <attributes>)` or `accounts(account_id, <attributes>)`, ordered by key. A repeated key keeps
 * its first row (in file order); a missing key rejects the row.
 *
 * @example
 * await finishTable(db, users, { key: 'user_id', join: 'account_id', exclude: [], maxRejectRate: 0.05 });
 */
export async function finishTable(db: Db, loaded: LoadedTable, options: FinishOptions): Promise<TableOutcome> {
  const { role, staging, files } = loaded;
  const keyOut = role === 'users' ? 'user_id' : 'account_id';
  const keyWords = role === 'users' ? 'user id' : 'account id';
  const key = cleanColumn(options.key);
  const judged = `ingest_judged_${role}`;
  const hasRows = loaded.columns.length > 0;

  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${judged} AS SELECT *, ` +
      (hasRows
        ? `CASE WHEN ${key} IS NULL THEN 'rejected' ` +
          `WHEN row_number() OVER (PARTITION BY ${key} IS NULL, ${key} ORDER BY ${quoteIdent(FILE)}, ${quoteIdent(LINE)}) > 1 ` +
          `THEN 'duplicate' ELSE 'used' END`
        : `'used'`) +
      ` AS ${quoteIdent(STATUS)} FROM ${staging}`,
  );

  const judgedRejects = hasRows
    ? await db.all<{ f: number; line: number; value: string | null }>(
        `SELECT ${quoteIdent(FILE)} AS f, ${quoteIdent(LINE)} AS line, ${quoteIdent(options.key)} AS value FROM ${judged} ` +
          `WHERE ${quoteIdent(STATUS)} = 'rejected' ORDER BY 1, 2`,
      )
    : [];
  const reason = `missing ${keyWords} (column ${JSON.stringify(options.key)})`;
  const rejects = mergeRejects(
    loaded.raws.map((r) => r.malformed),
    judgedRejects.map((r) => ({ fileIdx: Number(r.f), line: Number(r.line), value: r.value ?? '', reason })),
    files,
  );
  checkRejectRate(role, rejects, loaded.read, options.maxRejectRate);

  const [dup] = hasRows
    ? await db.all<{ n: number; example: string | null }>(
        `SELECT count(*) AS n, arg_min(${key}, ${quoteIdent(FILE)} * 1e12 + ${quoteIdent(LINE)}) AS example ` +
          `FROM ${judged} WHERE ${quoteIdent(STATUS)} = 'duplicate'`,
      )
    : [{ n: 0, example: null }];

  // Attributes: every column but the keys, excluded ones, outcomes and our own bookkeeping.
  const preExcluded = new Map<string, string>();
  const setting = role === 'users' ? 'inputs.users' : 'inputs.accounts';
  // A misspelt exclude (`Plan` for `plan`) would otherwise leave the column clustered on, silently.
  for (const c of options.exclude) {
    if (!loaded.columns.includes(c)) {
      if (options.excludedMayBeMissing) continue;
      throw errors.configuredColumnMissing(files[0], `${setting}.exclude`, c, loaded.columns);
    }
    preExcluded.set(c, 'excluded in the config');
  }
  const declared = new Map<string, DeclaredType>();
  for (const [column, type] of Object.entries(options.types ?? {})) {
    if (!loaded.columns.includes(column)) throw errors.configuredColumnMissing(files[0], `${setting}.types`, column, loaded.columns);
    if (type === 'id') preExcluded.set(column, 'an id (inputs types)');
    else if (type === 'ignore') preExcluded.set(column, 'ignored (inputs types)');
    else declared.set(column, type);
  }
  const outcomeColumns = options.outcomes ?? [];
  for (const column of outcomeColumns) {
    if (!loaded.columns.includes(column)) throw errors.configuredColumnMissing(files[0], `${setting}.outcomes`, column, loaded.columns);
  }
  const candidates = loaded.columns.filter((c) => c !== options.key && c !== options.join && !outcomeColumns.includes(c));
  const used = `${quoteIdent(STATUS)} = 'used'`;
  const { attributes, excluded, nonFinite: counts, detected } = await typeAttributes(db, judged, used, candidates, preExcluded, { declared });
  const outcomes = await typeOutcomes(db, judged, used, outcomeColumns, declared, files[0], setting);
  const nonFinite: NonFiniteValues[] = [];
  for (const { column, count } of counts) {
    const [first] = await db.all<{ f: number; line: number; value: string }>(
      `SELECT ${quoteIdent(FILE)} AS f, ${quoteIdent(LINE)} AS line, ${quoteIdent(column)} AS value FROM ${judged} ` +
        `WHERE ${quoteIdent(STATUS)} = 'used' AND NOT isfinite(TRY_CAST(${cleanColumn(column)} AS DOUBLE)) ORDER BY 1, 2 LIMIT 1`,
    );
    nonFinite.push({ column, count, first: { file: files[Number(first.f)], line: Number(first.line), value: first.value } });
  }

  const select = [`${key} AS ${keyOut}`];
  if (role === 'users') select.push(`${options.join === null ? 'CAST(NULL AS VARCHAR)' : cleanColumn(options.join)} AS account_id`);
  for (const a of attributes) select.push(`${typedValueSql(a.column, a.type)} AS ${quoteIdent(a.column)}`);
  await db.run(
    `CREATE OR REPLACE TABLE ${role} AS SELECT ${select.join(', ')} FROM ${judged} ` +
      `WHERE ${quoteIdent(STATUS)} = 'used' ORDER BY ${keyOut}`,
  );
  if (outcomes.length > 0) {
    const cols = outcomes.map((o) => `${typedValueSql(o.column, o.type)} AS ${quoteIdent(o.column)}`);
    await db.run(
      `CREATE OR REPLACE TABLE ${outcomesTable(role)} AS SELECT ${key} AS ${keyOut}, ${cols.join(', ')} FROM ${judged} ` +
        `WHERE ${quoteIdent(STATUS)} = 'used' ORDER BY ${keyOut}`,
    );
  }
  const [{ n: rows }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${role}`);
  await db.run(`DROP TABLE IF EXISTS ${judged}`);
  await db.run(`DROP TABLE IF EXISTS ${staging}`);

  const duplicates = Number(dup.n);
  return {
    rows: Number(rows),
    accounting: { role, files, read: loaded.read, used: Number(rows), outOfWindow: 0, duplicates, rejected: rejects.length },
    rejects,
    attributes,
    excluded,
    nonFinite,
    duplicateKeys: { count: duplicates, example: dup.example ?? null },
    outcomes,
    detected,
  };
}

/**
 * Type the outcome columns as they are (flag, number, category; a declared type wins). An outcome
 * with no values, or a date, cannot be reported per segment: one line saying so.
 */
async function typeOutcomes(
  db: Db,
  table: string,
  where: string,
  columns: readonly string[],
  declared: ReadonlyMap<string, DeclaredType>,
  file: string,
  setting: string,
): Promise<AttributeColumn[]> {
  if (columns.length === 0) return [];
  const { attributes, excluded } = await typeAttributes(db, table, where, columns, new Map(), { declared, asIs: true });
  if (excluded.length > 0) throw errors.outcomeUnusable(file, setting, excluded[0].column, 'it has no values');
  const date = attributes.find((a) => a.type === 'DATE');
  if (date) throw errors.outcomeUnusable(file, setting, date.column, 'its values are dates (an outcome is a flag, a category or a number)');
  return attributes;
}
