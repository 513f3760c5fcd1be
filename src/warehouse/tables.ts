/**
 * The users and accounts tables in the warehouse: keys found as for files, rows without a key
 * rejected, a repeated key keeping one row, and the attribute columns chosen and typed from the
 * warehouse's own column types (booleans, numbers, dates → ages, text → categories). Ids,
 * personal data and text that is unique per row are never attributes, as for files
 * (`excludedByName` in stages/ingest/attributes.ts). The kept rows go into temporary tables
 * `segmint_users(user_id, account_id, <attributes>)` and `segmint_accounts(account_id, …)`.
 */
import type { WarehouseInput } from '../config/types.js';
import { errors, warehouseErrors } from '../core/messages.js';
import { excludedByName } from '../stages/ingest/attributes.js';
import { ACCOUNT_ID_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from '../stages/ingest/columns.js';
import type { AttributeColumn, AttributeType, ExcludedColumn, RowAccounting } from '../stages/ingest/types.js';
import { classify, describeTable, type WarehouseTable } from './catalog.js';
import type { Warehouse } from './connection.js';
import { asText, byteOrder, cleanText, ident } from './pgsql.js';

export const USERS_TEMP = 'segmint_users';
export const ACCOUNTS_TEMP = 'segmint_accounts';

/** Text columns with at least this many values, nearly all distinct, are ids or free text (as ingest). */
const UNIQUE_MIN_ROWS = 20;
const UNIQUE_SHARE = 0.9;

export interface WarehouseAttributeTable {
  readonly table: WarehouseTable;
  readonly key: string;
  /** Users only: the column joining to accounts, or null. */
  readonly accountKey: string | null;
  readonly rows: number;
  readonly accounting: RowAccounting;
  readonly attributes: readonly AttributeColumn[];
  /** Numeric attributes whose every value is a whole number. */
  readonly integral: ReadonlySet<string>;
  readonly excluded: readonly ExcludedColumn[];
  readonly duplicateKeys: { readonly count: number; readonly example: string | null };
  /** Columns left out for their type (arrays, JSON, …), with it. */
  readonly unreadable: readonly { readonly column: string; readonly type: string }[];
  /** Attribute values read as missing because they are infinite or NaN (dates `infinity`, floats), per column. */
  readonly nonFinite: readonly { readonly column: string; readonly count: number; readonly value: string }[];
}

const ATTRIBUTE_TYPE: Partial<Record<ReturnType<typeof classify>, AttributeType>> = {
  text: 'VARCHAR',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'DATE',
  timestamptz: 'DATE',
};

/**
 * @example
 * const accounts = await loadAttributeTable(wh, 'accounts', { table: ['accounts'], key: null, exclude: [] }, null);
 * const users = await loadAttributeTable(wh, 'users', { table: ['users'], key: null, accountKey: null, exclude: [] }, accounts.key);
 */
export async function loadAttributeTable(
  wh: Warehouse,
  role: 'users' | 'accounts',
  input: NonNullable<WarehouseInput['users']> | NonNullable<WarehouseInput['accounts']>,
  accountsKey: string | null,
): Promise<WarehouseAttributeTable> {
  const table = await describeTable(wh, input.table);
  const label = `table ${table.name}`;
  const names = table.columns.map((c) => c.name);
  const keyWords = role === 'users' ? 'user id' : 'account id';
  const key = resolveColumn(label, keyWords, input.key, names, [...(role === 'users' ? USER_ID_NAMES : ACCOUNT_ID_NAMES), 'id']);
  const join = role === 'users' ? joinColumn(label, names.filter((c) => c !== key), 'accountKey' in input ? input.accountKey : null, accountsKey) : null;
  const typeOf = (c: string) => classify(table.columns.find((x) => x.name === c)!.type);
  for (const c of [key, ...(join ? [join] : [])]) {
    if (!['text', 'number'].includes(typeOf(c))) throw warehouseErrors.columnType(table.name, c, keyWords, table.columns.find((x) => x.name === c)!.type, 'text or numbers');
  }

  // Candidates by name and type first; the rest are judged on their values below.
  const excluded: ExcludedColumn[] = [];
  const unreadable: { column: string; type: string }[] = [];
  const candidates: { column: string; type: AttributeType }[] = [];
  for (const { name, type } of table.columns) {
    if (name === key || name === join) continue;
    const chosen = input.exclude.includes(name);
    const reason = chosen ? 'excluded in the config' : excludedByName(name);
    const attributeType = ATTRIBUTE_TYPE[classify(type)];
    if (reason) excluded.push({ column: name, reason, ...(chosen ? { chosen: true as const } : {}) });
    else if (!attributeType) {
      excluded.push({ column: name, reason: `type ${type} is not a number, flag, date or category` });
      unreadable.push({ column: name, type });
    }
    else candidates.push({ column: name, type: attributeType });
  }

  // The kept rows: one per key (the first in the row's text order, so the choice is stable).
  const x = (c: string) => `x.${ident(c)}`;
  const notFinite = (c: { column: string; type: AttributeType }) =>
    c.type === 'DATE' ? `NOT isfinite(${x(c.column)})` : `CAST(${x(c.column)} AS DOUBLE PRECISION) IN ('Infinity', '-Infinity', 'NaN')`;
  const keySql = cleanText(typeOf(key) === 'text' ? x(key) : asText(x(key)));
  const value = (c: { column: string; type: AttributeType }) => {
    switch (c.type) {
      case 'VARCHAR':
        return cleanText(x(c.column));
      // PostgreSQL's `infinity` (a history table's "no end date") and float infinities and NaN
      // are no value an age or a mean can use: read as missing, as ingest reads `1e309`.
      case 'DATE':
        return `CASE WHEN isfinite(${x(c.column)}) THEN CAST(${classify(table.columns.find((t) => t.name === c.column)!.type) === 'timestamptz' ? `${x(c.column)} AT TIME ZONE 'UTC'` : x(c.column)} AS DATE) END`;
      case 'DOUBLE':
        return `CASE WHEN ${notFinite(c)} THEN NULL ELSE ${x(c.column)} END`;
      default:
        return x(c.column);
    }
  };
  const temp = role === 'users' ? USERS_TEMP : ACCOUNTS_TEMP;
  const keyOut = role === 'users' ? 'user_id' : 'account_id';
  const joinSql = role === 'users' ? `, ${join === null ? 'CAST(NULL AS TEXT)' : cleanText(typeOf(join) === 'text' ? x(join) : asText(x(join)))} AS account_id` : '';
  const attrs = candidates.map((c) => `, ${value(c)} AS ${ident(c.column)}`).join('');
  // Non-finite values of the rows kept, as written (read as missing above), in the same pass:
  // one column each, dropped once counted.
  const finiteChecked = candidates.filter((c) => c.type === 'DATE' || c.type === 'DOUBLE');
  const nonFiniteCols = finiteChecked.map((c, i) => `, CASE WHEN ${notFinite(c)} THEN ${asText(x(c.column))} END AS segmint_nf${i}`).join('');
  await wh.run(
    `CREATE TEMPORARY TABLE ${temp} AS SELECT * FROM (SELECT ${keySql} AS ${keyOut}${joinSql}${attrs}${nonFiniteCols}, ` +
      `row_number() OVER (PARTITION BY ${keySql} ORDER BY ${byteOrder(asText('x'))}) AS segmint_rn FROM ${table.sql} x) t ` +
      `WHERE ${keyOut} IS NOT NULL AND segmint_rn = 1`,
  );
  const nonFinite: { column: string; count: number; value: string }[] = [];
  if (finiteChecked.length > 0) {
    const [found] = await wh.query<Record<string, string | null>>(
      `SELECT ${finiteChecked.map((_, i) => `count(segmint_nf${i}) AS n${i}, min(segmint_nf${i}) AS v${i}`).join(', ')} FROM ${temp}`,
    );
    finiteChecked.forEach((c, i) => {
      const count = Number(found[`n${i}`]);
      if (count > 0) nonFinite.push({ column: c.column, count, value: found[`v${i}`] ?? '' });
    });
  }
  await wh.run(`ALTER TABLE ${temp} DROP COLUMN segmint_rn${finiteChecked.map((_, i) => `, DROP COLUMN segmint_nf${i}`).join('')}`);
  await wh.run(`ANALYZE ${temp}`);

  // Accounting and the duplicate keys' first example.
  const [counts] = await wh.query<{ read: string; rejected: string; example: string | null }>(
    `SELECT count(*) AS read, count(*) FILTER (WHERE k IS NULL) AS rejected, ` +
      `(SELECT k FROM (SELECT ${keySql} AS k FROM ${table.sql} x) d WHERE k IS NOT NULL GROUP BY k HAVING count(*) > 1 ORDER BY ${byteOrder('k')} LIMIT 1) AS example ` +
      `FROM (SELECT ${keySql} AS k FROM ${table.sql} x) t`,
  );
  const read = Number(counts.read);
  if (read === 0) throw errors.emptyInput(label, role);
  const [{ n }] = await wh.query<{ n: string }>(`SELECT count(*) AS n FROM ${temp}`);
  const rows = Number(n);
  const rejected = Number(counts.rejected);
  const duplicates = read - rejected - rows;

  // Attribute values: none at all, or unique per row (text), leave a column out.
  const attributes: AttributeColumn[] = [];
  const integral = new Set<string>();
  if (candidates.length > 0) {
    const aggs = candidates.flatMap((c, i) => {
      const v = ident(c.column);
      return [
        `count(${v}) AS n${i}`,
        c.type === 'VARCHAR' ? `count(DISTINCT ${v}) AS u${i}` : `0 AS u${i}`,
        c.type === 'DOUBLE' ? `coalesce(bool_and(CAST(${v} AS DOUBLE PRECISION) = floor(CAST(${v} AS DOUBLE PRECISION))), false) AS i${i}` : `false AS i${i}`,
      ];
    });
    const [stats] = await wh.query<Record<string, string | number | boolean>>(`SELECT ${aggs.join(', ')} FROM ${temp}`);
    candidates.forEach((c, i) => {
      const values = Number(stats[`n${i}`]);
      if (values === 0) excluded.push({ column: c.column, reason: 'no values' });
      else if (c.type === 'VARCHAR' && values >= UNIQUE_MIN_ROWS && Number(stats[`u${i}`]) >= UNIQUE_SHARE * values) {
        excluded.push({ column: c.column, reason: 'unique per row (identifier or free text)' });
      } else {
        attributes.push(c);
        if (stats[`i${i}`] === true) integral.add(c.column);
      }
    });
  }

  return {
    nonFinite,
    unreadable,
    table,
    key,
    accountKey: join,
    rows,
    accounting: { role, files: [table.name], read, used: rows, outOfWindow: 0, duplicates, rejected },
    attributes,
    integral,
    excluded,
    duplicateKeys: { count: duplicates, example: counts.example },
  };
}

/**
 * The users column joining to accounts, as for files: the configured one; else the accounts key's
 * name when users has it; else the first account-id-like column.
 */
function joinColumn(label: string, columns: readonly string[], configured: string | null, accountsKey: string | null): string | null {
  if (configured !== null) return resolveColumn(label, 'account id', configured, columns, ACCOUNT_ID_NAMES);
  if (accountsKey !== null) {
    const same = findColumn(columns, [accountsKey]);
    if (same !== null && accountsKey.toLowerCase() !== 'id') return same;
    return resolveColumn(label, 'account id', null, columns, ACCOUNT_ID_NAMES);
  }
  return findColumn(columns, ACCOUNT_ID_NAMES);
}
