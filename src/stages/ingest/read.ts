/**
 * Reading one input file into a DuckDB temp table, with SQL to read any column as text and the
 * row's line in its file. Typing and validation happen later in SQL, where a bad value can be
 * reported with its line instead of failing the whole read.
 */
import { stat } from 'node:fs/promises';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import { formatOf } from './files.js';

/** Line column added to a file's table when the reader rejected some of its rows. */
const LINE = '__segmint_line';

/** A row the file reader itself could not parse (wrong number of fields and the like). */
export interface MalformedRow {
  readonly line: number;
  readonly value: string;
  readonly reason: string;
}

export interface RawTable {
  readonly file: string;
  /** Temp table holding the file as read. Select from it as `FROM <table> r`. */
  readonly table: string;
  /** The file's own column names, in file order. */
  readonly columns: readonly string[];
  /** DuckDB type of each column as stored in the file (VARCHAR for CSV, JSON for JSON). */
  readonly sourceTypes: ReadonlyMap<string, string>;
  /** SQL (over alias `r`) for the row's 1-based data line in its file. */
  readonly lineSql: string;
  /** SQL (over alias `r`) for a column's value as text. */
  textSql(column: string): string;
  /** Rows that made it into the table. */
  readonly rows: number;
  readonly malformed: readonly MalformedRow[];
  /** Drop the temp tables behind this file. */
  drop(): Promise<void>;
}

/**
 * Load `file` into the temp table `table`: CSV/TSV with every column as VARCHAR, JSON with every
 * top-level field as JSON text, Parquet with its own types (`textSql` casts them to text).
 *
 * Row numbers: DuckDB keeps insertion order for CREATE TABLE AS (preserve_insertion_order is on
 * by default), so `rowid` is the order of rows in the file. CSV rows the reader rejects are not
 * in the table; each good row's line is shifted past the rejected lines before it so line
 * numbers still point at the file's data lines.
 *
 * @example
 * const raw = await loadRaw(db, '/data/events.csv', 'ingest_raw_events_0');
 * raw.columns; // ['user_id', 'event', 'timestamp']
 */
export async function loadRaw(db: Db, file: string, table: string): Promise<RawTable> {
  const format = formatOf(file) ?? 'csv';
  const name = quoteIdent(table);
  const rejects = `${table}_rejects`;
  const lit = quoteLiteral(file);

  let source: string;
  switch (format) {
    case 'csv':
    case 'tsv':
      source =
        `read_csv(${lit}, all_varchar = true, header = true, store_rejects = true, ` +
        `rejects_table = ${quoteLiteral(rejects)}, rejects_scan = ${quoteLiteral(`${table}_rejscan`)}` +
        (format === 'tsv' ? `, delim = '\\t')` : ')');
      break;
    case 'jsonl':
    case 'json':
      // maximum_depth = 1 keeps each top-level field as JSON, so no type guessing happens here;
      // `->> '$'` (in asText) turns scalars into their plain text. A malformed line fails the
      // whole file (unreadableFile) rather than being skipped silently.
      source = `read_json(${lit}, format = ${quoteLiteral(format === 'jsonl' ? 'newline_delimited' : 'auto')}, maximum_depth = 1)`;
      break;
    case 'parquet':
      source = `read_parquet(${lit})`;
      break;
  }

  // A file with no bytes has no header either; DuckDB would invent a `column0` for it.
  if ((await stat(file)).size === 0) return emptyTable(file, table);
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT * FROM ${source}`);
  } catch (e) {
    throw errors.unreadableFile(file, firstLine(e));
  }
  await db.run(`DROP TABLE IF EXISTS ${quoteIdent(`${table}_rejscan`)}`);

  const described = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${name}`);
  const columns = described.map((d) => d.column_name);
  const sourceTypes = new Map(described.map((d) => [d.column_name, d.column_type]));
  const malformed = format === 'csv' || format === 'tsv' ? await readRejects(db, rejects) : [];
  await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`);
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
  const lined = malformed.length > 0 ? await addLines(db, table, malformed) : null;
  if (lined) await db.run(`DROP TABLE ${name}`);
  return {
    file,
    table: lined ?? table,
    columns,
    sourceTypes,
    lineSql: lined ? `r.${quoteIdent(LINE)}` : '(r.rowid + 1)',
    textSql: (column) => asText(column, sourceTypes.get(column) ?? 'VARCHAR'),
    rows: Number(n),
    malformed,
    drop: async () => {
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(lined ?? table)}`);
    },
  };
}

function asText(column: string, type: string): string {
  const c = `r.${quoteIdent(column)}`;
  if (type === 'JSON') return `(${c} ->> '$')`;
  if (type === 'VARCHAR') return c;
  return `CAST(${c} AS VARCHAR)`;
}

async function readRejects(db: Db, rejects: string): Promise<MalformedRow[]> {
  const rows = await db.all<{ line: number; value: string; kind: string; message: string }>(
    `SELECT line, min(csv_line) AS value, string_agg(DISTINCT error_type, ', ' ORDER BY error_type) AS kind, ` +
      `min(error_message) AS message FROM ${quoteIdent(rejects)} GROUP BY line ORDER BY line`,
  );
  // reject_errors counts physical lines including the header; ours are data lines.
  return rows.map((r) => ({
    line: Number(r.line) - 1,
    value: r.value ?? '',
    reason: `malformed CSV row: ${String(r.kind).toLowerCase()} (${r.message})`,
  }));
}

/**
 * Give every good row its data line when rejected lines sit between them. For the j-th rejected
 * data line L_j (1-based j), the good rows before it number k_j = L_j - j, so good row r (1-based)
 * sits at line r + #{j : k_j < r}. An ASOF join finds that count per row in one sorted pass.
 * Returns the name of a new table: the file's columns plus `__segmint_line`.
 */
async function addLines(db: Db, table: string, malformed: readonly MalformedRow[]): Promise<string> {
  const shift = quoteIdent(`${table}_shift`);
  const lined = `${table}_lined`;
  // k_j is non-decreasing; keep the last (largest) count for each k.
  const counts = new Map<number, number>();
  malformed.forEach((m, j) => counts.set(m.line - (j + 1), j + 1));
  const rows = [...counts].map(([k, c]) => `(${Math.trunc(k)}, ${c})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${shift} (k BIGINT, c BIGINT)`);
  for (let i = 0; i < rows.length; i += 1000) await db.run(`INSERT INTO ${shift} VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(lined)} AS SELECT r.*, r.rowid + 1 + coalesce(s.c, 0) AS ${quoteIdent(LINE)} ` +
      `FROM ${quoteIdent(table)} r ASOF LEFT JOIN ${shift} s ON r.rowid + 1 > s.k`,
  );
  await db.run(`DROP TABLE ${shift}`);
  return lined;
}

function emptyTable(file: string, table: string): RawTable {
  return { file, table, columns: [], sourceTypes: new Map(), lineSql: '0', textSql: () => 'NULL', rows: 0, malformed: [], drop: async () => {} };
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].trim();
}
