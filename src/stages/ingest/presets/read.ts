/**
 * Reading vendor export files as one JSON object per row, whatever the container: JSON lines or
 * JSON (Amplitude's hourly `.json.gz`, Segment and Mixpanel archives, PostHog and GA4 JSON
 * exports), CSV (PostHog's CSV download) or Parquet (PostHog batch exports, GA4 via BigQuery).
 * Keeping each row as a JSON document means no type is guessed from a sample of rows, so a field
 * that is a number in one row and a string in the next (GA4's event_timestamp) reads the same.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../core/duckdb.js';
import { errors } from '../../../core/messages.js';
import { quoteIdent, quoteLiteral } from '../../../core/sql.js';
import { createLineShift } from '../lines.js';
import type { MalformedRow } from '../read.js';
import { linesLeftEmpty, textCopy } from '../repair.js';

type Container = 'jsonl' | 'json' | 'csv' | 'tsv' | 'parquet';

const CONTAINERS: readonly (readonly [RegExp, Container])[] = [
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.json$/i, 'json'],
  [/\.(csv|txt)$/i, 'csv'],
  [/\.(tsv|tab)$/i, 'tsv'],
  [/\.(parquet|pq)$/i, 'parquet'],
];

/** The container a file name announces (compression suffixes ignored); JSON lines when unknown. */
export function containerOf(file: string): Container {
  const name = path.basename(file).replace(/\.(gz|gzip|zst)$/i, '');
  for (const [re, c] of CONTAINERS) if (re.test(name)) return c;
  return 'jsonl';
}

/** SELECT of one file as `(j JSON)`, one object per row. */
function fileSql(file: string): string {
  const lit = quoteLiteral(file);
  switch (containerOf(file)) {
    case 'jsonl':
      return `SELECT json AS j FROM read_json_objects(${lit}, format = 'newline_delimited')`;
    case 'json':
      // 'auto' reads both a JSON array of objects and newline-delimited objects (Amplitude's
      // `.json.gz` files are the latter despite the name).
      return `SELECT json AS j FROM read_json_objects(${lit}, format = 'auto')`;
    case 'csv':
      return `SELECT to_json(r) AS j FROM read_csv(${lit}, all_varchar = true, header = true) r`;
    case 'tsv':
      return `SELECT to_json(r) AS j FROM read_csv(${lit}, all_varchar = true, header = true, delim = '\\t') r`;
    case 'parquet':
      return `SELECT to_json(r) AS j FROM read_parquet(${lit}) r`;
  }
}

/**
 * DuckDB SELECT over `files` giving `(file_idx, filename, j)`. Row order inside the result is
 * DuckDB's business; materialise with `loadPresetRaw` to get stable line numbers.
 *
 * @example
 * presetReadSql(['/exports/segment.jsonl']);
 * // SELECT 0 AS file_idx, '/exports/segment.jsonl' AS filename, j FROM (SELECT json AS j FROM read_json_objects(…))
 */
export function presetReadSql(files: readonly string[]): string {
  if (files.length === 0) throw new Error('presetReadSql needs at least one file');
  return files
    .map((f, i) => `SELECT ${i} AS file_idx, ${quoteLiteral(f)} AS filename, j FROM (${fileSql(f)})`)
    .join(' UNION ALL ');
}

export interface RawPresetTable {
  /** The table, with columns (file_idx INTEGER, line BIGINT, j JSON). */
  readonly table: string;
  readonly files: readonly string[];
  /** Rows read from each file, in file order. */
  readonly rows: readonly number[];
  /** Top-level keys of each file's first row (empty for an empty file), for shape checks. */
  readonly firstKeys: readonly (readonly string[])[];
  /** Per file, the lines set aside because they are not a JSON object (see `objectPerLine`). */
  readonly malformed: readonly (readonly MalformedRow[])[];
}

/**
 * Materialise `files` into `table` (file_idx, line, j), one file at a time, so each row's line is
 * its line in its file as an editor shows it (a CSV header is line 1): DuckDB keeps insertion
 * order for a single-file CREATE TABLE AS, which makes `rowid` the row's position (the same
 * reasoning the generic loader uses).
 * A file DuckDB cannot parse (malformed JSON, truncated gzip) stops with `unreadableFile`,
 * whose message carries DuckDB's line number — except a file of one JSON object per line
 * (`objectPerLine`), whose lines that are not one are set aside as malformed rows (with their
 * line and why) and the rest read, as for plain JSON lines.
 *
 * @example
 * const raw = await loadPresetRaw(db, ['/exports/amplitude/123_2024-05-01_9#0.json.gz'], 'preset_raw');
 * raw.rows; // [1840]
 */
export async function loadPresetRaw(
  db: Db,
  files: readonly string[],
  table: string,
  /** Per file, the sorted data lines holding no row (blank lines), so `line` is the real line. */
  skippedLines: readonly (readonly number[])[] = [],
  /**
   * Per file, the physical lines up to and including its header (0 when none): added to every
   * row's line so it is the line an editor shows. Default: 1 for CSV/TSV (header = true), else 0.
   */
  headerLines: readonly number[] = [],
  /** Per file, whether it holds one JSON object per line (not a JSON array). */
  objectPerLine: readonly boolean[] = [],
): Promise<RawPresetTable> {
  const name = quoteIdent(table);
  const tmp = quoteIdent(`${table}__file`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} (file_idx INTEGER, line BIGINT, j JSON)`);
  const rows: number[] = [];
  const firstKeys: string[][] = [];
  const malformed: MalformedRow[][] = [];
  for (let i = 0; i < files.length; i++) {
    // A file with no bytes has no rows (DuckDB's CSV reader would invent a column for it).
    if ((await stat(files[i]).catch(() => null))?.size === 0) {
      rows.push(0);
      firstKeys.push([]);
      malformed.push([]);
      continue;
    }
    let bad: MalformedRow[] = [];
    try {
      await db.run(`CREATE OR REPLACE TEMP TABLE ${tmp} AS ${fileSql(files[i])}`);
    } catch (e) {
      const container = containerOf(files[i]);
      if (!objectPerLine[i] || (container !== 'jsonl' && container !== 'json')) throw errors.unreadableFile(files[i], firstLine(e));
      bad = await readObjectLines(db, files[i], tmp, e);
    }
    malformed.push(bad);
    const skipped = bad.length === 0 ? (skippedLines[i] ?? []) : [...new Set([...(skippedLines[i] ?? []), ...bad.map((b) => b.line)])].sort((x, y) => x - y);
    const container = containerOf(files[i]);
    const header = Math.trunc(headerLines[i] ?? (container === 'csv' || container === 'tsv' ? 1 : 0));
    if (skipped.length === 0) {
      await db.run(`INSERT INTO ${name} SELECT ${i}, rowid + 1 + ${header}, j FROM ${tmp} ORDER BY rowid`);
    } else {
      const shift = `${table}__shift`;
      await createLineShift(db, shift, skipped);
      await db.run(
        `INSERT INTO ${name} SELECT ${i}, p.pos + coalesce(s.c, 0) + ${header}, p.j FROM (SELECT rowid + 1 AS pos, j FROM ${tmp}) p ` +
          `ASOF LEFT JOIN ${quoteIdent(shift)} s ON p.pos > s.k ORDER BY p.pos`,
      );
      await db.run(`DROP TABLE ${quoteIdent(shift)}`);
    }
    const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${tmp}`);
    const first = await db.all<{ k: string[] | null }>(`SELECT json_keys(j) AS k FROM ${tmp} WHERE rowid = 0`);
    rows.push(Number(n));
    firstKeys.push(first.length > 0 && Array.isArray(first[0].k) ? [...first[0].k] : []);
    await db.run(`DROP TABLE ${tmp}`);
  }
  return { table, files, rows, firstKeys, malformed };
}

/**
 * Reads a JSON lines file DuckDB refused as a whole into `tmp` (`j` per row) from a copy whose
 * lines that are not a JSON object are left empty (repair.ts); returns those lines. Without any,
 * the file fails for another reason and `failure` (DuckDB's) is the error.
 */
async function readObjectLines(db: Db, file: string, tmp: string, failure: unknown): Promise<MalformedRow[]> {
  const copy = await textCopy(file, { lines: true, jsonObjects: true });
  try {
    const bad = linesLeftEmpty(copy);
    if (bad.length === 0) throw errors.unreadableFile(file, firstLine(failure));
    try {
      await db.run(`CREATE OR REPLACE TEMP TABLE ${tmp} AS SELECT json AS j FROM read_json_objects(${quoteLiteral(copy.file)}, format = 'newline_delimited')`);
    } catch {
      throw errors.unreadableFile(file, firstLine(failure));
    }
    return bad;
  } finally {
    await copy.cleanup();
  }
}

/**
 * The top-level keys of the first row of `file` (for `detectPreset`), or [] for an empty file.
 *
 * @example
 * await sampleKeys(db, '/exports/mixpanel.jsonl'); // ['event', 'properties']
 */
export async function sampleKeys(db: Db, file: string): Promise<string[]> {
  try {
    const rows = await db.all<{ k: string[] | null }>(`SELECT json_keys(j) AS k FROM (${fileSql(file)}) LIMIT 1`);
    return rows.length > 0 && Array.isArray(rows[0].k) ? [...rows[0].k] : [];
  } catch (e) {
    throw errors.unreadableFile(file, firstLine(e));
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].trim();
}
