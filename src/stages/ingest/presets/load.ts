/**
 * One call from vendor files to a canonical table, for the ingest stage (or anyone) to judge:
 * raw rows → shape check → canonical rows. Nothing is dropped here; the summary says how the
 * rows split so the caller's accounting can be checked against it.
 */
import type { Db } from '../../../core/duckdb.js';
import { quoteIdent } from '../../../core/sql.js';
import { checkShape } from './detect.js';
import { loadPresetRaw } from './read.js';
import type { MalformedRow } from '../read.js';
import type { Preset } from './types.js';

export interface CanonicalSummary {
  readonly table: string;
  /** Rows read from each file, in file order. */
  readonly rowsPerFile: readonly number[];
  readonly rows: number;
  /** Usable behaviour rows (not internal, no problem), duplicates included. */
  readonly behaviour: number;
  /** Usable internal rows (identify, sessions, …), duplicates included. */
  readonly internal: number;
  /** Usable rows repeating an earlier row's insert_id, user, event and time (in file order). */
  readonly duplicates: number;
  /** Rows with a problem (no user, no event name, no or bad timestamp). */
  readonly problems: number;
  /** Per file, the lines that are not a JSON object (set aside before `rows` were counted). */
  readonly malformed: readonly (readonly MalformedRow[])[];
}

export interface LoadOptions {
  /**
   * Keep the raw rows in the temp table `<table>__raw` (file_idx, line, j JSON) for the caller
   * to quote rejected rows from; the caller drops it.
   */
  readonly keepRaw?: boolean;
  /** Per file, the sorted data lines (counted after `headerLines`) holding no row (blank lines). */
  readonly skippedLines?: readonly (readonly number[])[];
  /**
   * Per file, the physical lines up to and including a CSV header (0 for JSON), added to every
   * row's line so it is the line an editor shows (the header is line 1).
   */
  readonly headerLines?: readonly number[];
  /**
   * Per file, whether it holds one JSON object per line (JSON lines, not an array): then a line
   * that is not one is a malformed row instead of a failure of the whole file.
   */
  readonly objectPerLine?: readonly boolean[];
}

/**
 * Read `files` as `preset`'s export into the table `table` (CANONICAL_COLUMNS, in file order).
 * Each file's first row must have the preset's shape (else E_PRESET_SHAPE, naming the preset
 * the file does look like, if any).
 *
 * @example
 * const s = await loadPresetEvents(db, getPreset('segment'), ['/exports/segment.jsonl'], 'canonical_events');
 * s.behaviour; // 30
 */
export async function loadPresetEvents(
  db: Db,
  preset: Preset,
  files: readonly string[],
  table: string,
  options: LoadOptions = {},
): Promise<CanonicalSummary> {
  const rawName = `${table}__raw`;
  const raw = await loadPresetRaw(db, files, rawName, options.skippedLines, options.headerLines, options.objectPerLine);
  raw.firstKeys.forEach((keys, i) => checkShape(preset, files[i], keys));
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS ${preset.canonicalSql(rawName)} ORDER BY file_idx, line`);
  if (!options.keepRaw) await db.run(`DROP TABLE ${quoteIdent(rawName)}`);
  const [s] = await db.all<{ rows: number; behaviour: number; internal: number; duplicates: number; problems: number }>(
    `SELECT count(*) AS rows, count_if(problem IS NULL AND NOT internal) AS behaviour, ` +
      `count_if(problem IS NULL AND internal) AS internal, count_if(problem IS NULL AND dup) AS duplicates, ` +
      `count_if(problem IS NOT NULL) AS problems FROM (SELECT *, insert_id IS NOT NULL AND row_number() OVER ` +
      `(PARTITION BY problem IS NULL, insert_id, user_id, event, ts ORDER BY file_idx, line) > 1 AS dup FROM ${quoteIdent(table)})`,
  );
  return {
    table,
    rowsPerFile: raw.rows,
    rows: Number(s.rows),
    behaviour: Number(s.behaviour),
    internal: Number(s.internal),
    duplicates: Number(s.duplicates),
    problems: Number(s.problems),
    malformed: raw.malformed,
  };
}
