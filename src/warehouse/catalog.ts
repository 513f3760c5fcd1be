/**
 * What the warehouse holds: a table's columns and their types, read from the catalog (PostgreSQL's
 * `pg_class` / `pg_attribute`, which every user can read), so that a missing table and a table
 * the user may not read are told apart before any data is touched.
 */
import { warehouseErrors } from '../core/messages.js';
import { sqlIdent } from '../core/sql.js';
import type { Warehouse } from './connection.js';

export interface WarehouseColumn {
  readonly name: string;
  /** The type as the warehouse spells it (`timestamp without time zone`, `bigint`, `text`). */
  readonly type: string;
}

export interface WarehouseTable {
  /** The name as the user gave it (`analytics.events`), for messages. */
  readonly name: string;
  /** The quoted name for SQL. */
  readonly sql: string;
  readonly columns: readonly WarehouseColumn[];
  /** Size on disk in bytes (0 for a view). */
  readonly bytes: number;
}

/** The kinds of column types segmint reads. */
export type ColumnClass = 'text' | 'number' | 'boolean' | 'date' | 'timestamp' | 'timestamptz' | 'other';

/** PostgreSQL's type names by what segmint can do with them. */
export function classify(type: string): ColumnClass {
  const t = type.toLowerCase();
  // Arrays (`text[]`, `integer[]`) hold many values per row: not an attribute, nor an id.
  if (t.endsWith(']')) return 'other';
  if (/^(text|character varying|character|varchar|char|citext|name)\b/.test(t)) return 'text';
  if (/^(smallint|integer|bigint|real|double precision|numeric|decimal)\b/.test(t)) return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (/^timestamp(\(\d\))? without time zone$/.test(t)) return 'timestamp';
  if (/^timestamp(\(\d\))? with time zone$/.test(t)) return 'timestamptz';
  return 'other';
}

/** The table's quoted SQL name from its parts. */
export const quotedTable = (parts: readonly string[]): string => parts.map((p) => sqlIdent(p, 'postgres')).join('.');

/**
 * Look a table up; one line when it does not exist or may not be read.
 * @example (await describeTable(wh, ['analytics', 'events'])).columns; // [{ name: 'user_id', type: 'text' }, …]
 */
export async function describeTable(wh: Warehouse, parts: readonly string[]): Promise<WarehouseTable> {
  const name = parts.join('.');
  const sql = quotedTable(parts);
  const [found] = await wh.query<{ oid: number; usage: boolean; can_read: boolean; bytes: string | number }>(
    `SELECT c.oid, has_schema_privilege(c.relnamespace, 'USAGE') AS usage, has_any_column_privilege(c.oid, 'SELECT') AS can_read, ` +
      `CASE WHEN c.relkind IN ('r', 'm', 'p') THEN pg_total_relation_size(c.oid) ELSE 0 END AS bytes ` +
      `FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [sql],
  );
  if (!found) throw warehouseErrors.tableMissing(name, wh.url);
  if (!found.usage) throw warehouseErrors.permissionDenied(name, wh.url, `no USAGE on the schema of ${name}`);
  if (!found.can_read) throw warehouseErrors.permissionDenied(name, wh.url, `no SELECT on ${name}`);
  const columns = await wh.query<WarehouseColumn>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a ` +
      `WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [found.oid],
  );
  return { name, sql, columns, bytes: Number(found.bytes) };
}
