/**
 * Attributes carried by events: the latest value of each user (or account) property, so that a
 * vendor export alone, with no users table, still gives segments their attributes.
 *
 * "Latest" means: the value from the row with the greatest `ts` (ties: the later row in file
 * order). A key that was only ever set with set-once semantics ($set_once, $setOnce) takes its
 * earliest value instead, and never overrides a value set normally, as the vendors apply them.
 * JSON nulls are skipped (a null does not erase a known value). Rows without an id or a
 * timestamp are ignored. Values are text: strings as they are, numbers and booleans as written,
 * objects and arrays as JSON text.
 */
import type { Db } from '../../../core/duckdb.js';
import { quoteIdent, quoteLiteral } from '../../../core/sql.js';
import { compareUtf8 } from '../../../core/bytes.js';

export interface PropertyColumn {
  /** Column name in the table (the key, made unique ignoring case). */
  readonly column: string;
  /** The property key as the export spells it. */
  readonly key: string;
}

export interface PropertyTable {
  readonly table: string;
  /** The id column: `user_id` or `account_id`. */
  readonly key: string;
  /** Property columns in table order (keys in byte order), all VARCHAR. */
  readonly columns: readonly PropertyColumn[];
  readonly rows: number;
}

interface Source {
  readonly id: 'user_id' | 'account_id';
  readonly set: string;
  readonly once: string | null;
}

/**
 * Latest user properties per user from a canonical table (or view): creates
 * `target(user_id VARCHAR, <one VARCHAR column per property key>)`, one row per user that has
 * any property, ordered by user_id. A key named like the id column is left out (it is the id).
 *
 * @example
 * const props = await latestUserProperties(db, 'canonical_events');
 * props.columns.map((c) => c.column); // ['device_os', 'geo_country', 'plan', 'role']
 */
export async function latestUserProperties(db: Db, canonical: string, target = 'event_user_props'): Promise<PropertyTable> {
  return latestProperties(db, canonical, target, { id: 'user_id', set: 'user_props', once: 'user_props_once' });
}

/**
 * Latest account properties per account from group rows: `target(account_id, <props>)`.
 *
 * @example
 * await latestAccountProperties(db, 'canonical_events'); // event_account_props(account_id, industry, name)
 */
export async function latestAccountProperties(
  db: Db,
  canonical: string,
  target = 'event_account_props',
): Promise<PropertyTable> {
  return latestProperties(db, canonical, target, { id: 'account_id', set: 'account_props', once: null });
}

/**
 * Each user's latest account: `target(user_id VARCHAR, account_id VARCHAR)` from every row that
 * names an account (Segment group calls, Amplitude `groups`, PostHog `$groups`), latest by
 * timestamp then file order; ordered by user_id.
 *
 * @example
 * await latestUserAccounts(db, 'canonical_events'); // event_user_accounts: u_alice → acme, …
 */
export async function latestUserAccounts(db: Db, canonical: string, target = 'event_user_accounts'): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS ` +
      `SELECT user_id, arg_max(account_id, (ts, file_idx, line)) AS account_id FROM ${quoteIdent(canonical)} ` +
      `WHERE user_id IS NOT NULL AND account_id IS NOT NULL AND ts IS NOT NULL GROUP BY user_id ORDER BY user_id`,
  );
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(target)}`);
  return Number(n);
}

async function latestProperties(db: Db, canonical: string, target: string, src: Source): Promise<PropertyTable> {
  const from = quoteIdent(canonical);
  const long = quoteIdent(`${target}__long`);
  const pairs = (column: string, once: 0 | 1) =>
    `SELECT s.${src.id} AS id, s.ts, s.file_idx, s.line, ${once} AS once, e.key, e.value ->> '$' AS v ` +
    `FROM ${from} s, json_each(s.${column}) e ` +
    `WHERE s.${src.id} IS NOT NULL AND s.ts IS NOT NULL AND json_type(s.${column}) = 'OBJECT' AND json_type(e.value) <> 'NULL'`;
  const parts = [pairs(src.set, 0), ...(src.once ? [pairs(src.once, 1)] : [])];
  // One winner per (id, key): any normal set beats set-once; normal sets latest first, set-once
  // earliest first; file order breaks timestamp ties; the value text last, so a repeated key in
  // one object still gives one answer.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${long} AS SELECT id, key, v FROM (` +
      `SELECT *, row_number() OVER (PARTITION BY id, key ORDER BY once, ` +
      `CASE WHEN once = 0 THEN ts END DESC NULLS LAST, CASE WHEN once = 0 THEN file_idx END DESC NULLS LAST, ` +
      `CASE WHEN once = 0 THEN line END DESC NULLS LAST, ts, file_idx, line, v) AS pick ` +
      `FROM (${parts.join(' UNION ALL ')})) WHERE pick = 1 AND lower(key) <> ${quoteLiteral(src.id)}`,
  );
  const keys = (await db.all<{ key: string }>(`SELECT DISTINCT key FROM ${long}`)).map((r) => r.key).sort(compareUtf8);
  const columns = uniqueColumns(keys, src.id);
  const selects = columns.map((c) => `max(v) FILTER (WHERE key = ${quoteLiteral(c.key)}) AS ${quoteIdent(c.column)}`);
  await db.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS SELECT id AS ${src.id}${selects.map((s) => `, ${s}`).join('')} ` +
      `FROM ${long} GROUP BY id ORDER BY id`,
  );
  await db.run(`DROP TABLE ${long}`);
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(target)}`);
  return { table: target, key: src.id, columns, rows: Number(n) };
}

/**
 * Column names for the keys: DuckDB matches identifiers ignoring case, so `Plan` and `plan`
 * cannot both be columns; later ones (in byte order) get `_2`, `_3`, … .
 */
function uniqueColumns(keys: readonly string[], id: string): PropertyColumn[] {
  const used = new Set([id.toLowerCase()]);
  return keys.map((key) => {
    let column = key;
    for (let i = 2; used.has(column.toLowerCase()); i++) column = `${key}_${i}`;
    used.add(column.toLowerCase());
    return { column, key };
  });
}
