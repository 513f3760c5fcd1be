/**
 * Timestamp formats: detected once per file from its first `FORMAT_SAMPLE_ROWS` values, then
 * parsed in SQL; values that do not parse in the detected format are rejected row by row.
 * All times are UTC: a value with an offset is converted to UTC, a value without one is taken
 * to be UTC already (exports from analytics tools are UTC unless they say otherwise).
 */
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import type { EventColumnMapping } from './types.js';

export type TimestampFormat = EventColumnMapping['timestampFormat'];

/**
 * Rows of each file the format is detected from. A column's format does not change halfway
 * through an export, and a full pass cost as much as staging itself (1.1 s of 5 s on 2.2M rows).
 */
export const FORMAT_SAMPLE_ROWS = 100_000;

/** A value is "numeric" (an epoch) when it is a plain decimal number. */
const NUMERIC = `'[+-]?[0-9]+([.][0-9]+)?'`;
/** A time followed by an explicit UTC offset (+02:00, -0500, +00). */
const OFFSET = `'[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]+)?)?\\s*[+-][0-9][0-9](:?[0-9][0-9])?$'`;

/**
 * The largest UTC offset accepted, in minutes: ±14:00. Every zone in use lies between −12:00
 * (Baker Island) and +14:00 (Line Islands); ±18:00 (Java's and PostgreSQL's range) only adds
 * offsets no clock has shown since 1990, the oldest time accepted. A larger offset (`+99:00`) is a
 * typo or garbage, and converting it would silently move the event by days, so the row is rejected.
 */
export const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * SQL: the explicit UTC offset `expr` ends in, in minutes (always positive: only its size is
 * checked), or NULL when it has none. The offset pattern is matched once here; callers that need
 * the offset several times per row compute this once as a column and pass its name on.
 */
export function offsetMinutesSql(expr: string): string {
  const part = (group: number) => `coalesce(TRY_CAST(nullif(regexp_extract(${expr}, '[+-]([0-9][0-9]):?([0-9][0-9])?$', ${group}), '') AS INTEGER), 0)`;
  // The pattern ends in a digit and needs a '+', or a '-' after the time's ':'. Most values fail
  // those cheap tests (ISO strings end in 'Z'), and the pattern was 0.4 s of staging 10M rows.
  const candidate = `NOT suffix(${expr}, 'Z') AND (contains(${expr}, '+') OR ${expr} LIKE '%:%-%')`;
  return `(CASE WHEN ${candidate} AND regexp_matches(${expr}, ${OFFSET}) THEN ${part(1)} * 60 + ${part(2)} END)`;
}

/**
 * SQL: true when `expr` ends in an explicit UTC offset beyond ±`MAX_OFFSET_MINUTES`. `offset` is
 * the value of `offsetMinutesSql(expr)` (a column holding it, to match the pattern once).
 */
export function offsetOutOfRangeSql(expr: string, offset: string = offsetMinutesSql(expr)): string {
  return `coalesce(${offset} > ${MAX_OFFSET_MINUTES}, FALSE)`;
}

/**
 * SQL turning the cleaned text `expr` into a TIMESTAMP (UTC) under `format`, or NULL when the
 * value does not parse. `offset` is `offsetMinutesSql(expr)`, or a column holding it.
 *
 * Why two casts for ISO strings: DuckDB's cast to TIMESTAMP drops an explicit offset instead of
 * applying it, so offset-carrying values go through TIMESTAMPTZ and back to UTC wall-clock time;
 * `AT TIME ZONE 'UTC'` does not depend on the session's TimeZone setting. An offset beyond
 * ±14:00 gives NULL (see `MAX_OFFSET_MINUTES`).
 *
 * RFC 3339 forms DuckDB's cast refuses — a lower-case `t` or `z`, and a time without seconds
 * before a zone (`16:51Z`, `16:51+02:00`) — are read by a second cast of the value upper-cased
 * with `:00` seconds added (`rfc3339Sql`). `coalesce` evaluates it only for values the first
 * cast refused, so well-formed logs pay nothing for it.
 *
 * @example
 * parseTimestampSql('epoch_ms', 'ts_raw'); // make_timestamp(TRY_CAST(round(TRY_CAST(ts_raw AS DOUBLE) * 1000) AS BIGINT))
 */
export function parseTimestampSql(format: TimestampFormat, expr: string, offset: string = offsetMinutesSql(expr)): string {
  const micros = (factor: string) => `make_timestamp(TRY_CAST(round(TRY_CAST(${expr} AS DOUBLE) * ${factor}) AS BIGINT))`;
  switch (format) {
    case 'epoch_s':
      return micros('1000000');
    case 'epoch_ms':
      return micros('1000');
    case 'epoch_us':
      return micros('1');
    case 'yyyymmdd':
      return `(CASE WHEN regexp_full_match(${expr}, '[0-9]{8}') THEN try_strptime(${expr}, '%Y%m%d') END)`;
    case 'iso':
    case 'timestamp': {
      const rfc = `TRY_CAST(${rfc3339Sql(expr)} AS TIMESTAMPTZ)`;
      return (
        `(CASE WHEN ${offset} > ${MAX_OFFSET_MINUTES} THEN NULL WHEN ${offset} IS NOT NULL ` +
        `THEN coalesce(TRY_CAST(${expr} AS TIMESTAMPTZ), ${rfc}) AT TIME ZONE 'UTC' ELSE coalesce(TRY_CAST(${expr} AS TIMESTAMP), ${rfc} AT TIME ZONE 'UTC') END)`
      );
    }
  }
}

/**
 * SQL: `expr` upper-cased (`t`, `z` as RFC 3339 allows them) and, where a date-time has hours and
 * minutes only, `:00` seconds added before its zone or end.
 */
function rfc3339Sql(expr: string): string {
  return `regexp_replace(upper(${expr}), '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?))?$', '\\1:00\\2')`;
}

/**
 * A column of plain numbers: compact dates (`20240501`, as warehouse date keys and GA4's
 * `event_date` are written) when most of its n values are valid YYYYMMDD dates — as epoch
 * seconds those would all be in August 1970 — else the epoch unit of their magnitude.
 */
function numericFormat(n: number, compactDates: number, magnitude: number): TimestampFormat | null {
  return compactDates >= n / 2 ? 'yyyymmdd' : epochUnit(magnitude);
}

/** Epoch unit from the typical magnitude: now is ~1.7e9 s, ~1.7e12 ms, ~1.7e15 µs. */
export function epochUnit(magnitude: number): TimestampFormat | null {
  if (magnitude < 1e11) return 'epoch_s';
  if (magnitude < 1e14) return 'epoch_ms';
  if (magnitude < 1e17) return 'epoch_us';
  return null;
}

/**
 * Detect the format of the cleaned timestamp text in `table.column` (a staging table with
 * `file_idx` and `line`; `files[i]` and `sourceColumns[i]` name file i and its timestamp column
 * for the error message). Epochs win when most values are plain numbers; otherwise
 * ISO-like strings. If fewer than half of the non-empty values parse, the column is not a
 * timestamp column at all and the run stops with `timestampUnparseable`; the remaining
 * unparseable rows become rejects.
 *
 * @example
 * await detectTimestampFormat(db, 'stg', 'ts_raw', false, ['/data/events.csv'], ['ts']); // 'iso'
 */
export async function detectTimestampFormat(
  db: Db,
  table: string,
  column: string,
  nativeTimestamps: boolean,
  files: readonly string[],
  sourceColumns: readonly string[],
): Promise<TimestampFormat> {
  const [stats] = await db.all<{ n: number; numeric: number; compact: number; iso: number; magnitude: number | null }>(
    `SELECT count(*) AS n, count_if(regexp_full_match(${column}, ${NUMERIC})) AS numeric, count(${parseTimestampSql('yyyymmdd', column)}) AS compact, ` +
      `count(${parseTimestampSql('iso', column)}) AS iso, ` +
      `median(abs(TRY_CAST(${column} AS DOUBLE))) FILTER (WHERE regexp_full_match(${column}, ${NUMERIC})) AS magnitude ` +
      `FROM ${table} WHERE ${column} IS NOT NULL`,
  );
  const n = Number(stats.n);
  let format: TimestampFormat | null = null;
  if (n > 0 && Number(stats.numeric) >= n / 2 && Number(stats.numeric) >= Number(stats.iso)) {
    format = numericFormat(n, Number(stats.compact), Number(stats.magnitude));
  } else if (n > 0 && Number(stats.iso) >= n / 2) {
    format = nativeTimestamps ? 'timestamp' : 'iso';
  }
  if (format === null) {
    const [bad] = await db.all<{ v: string; f: number }>(
      `SELECT ${column} AS v, file_idx AS f FROM ${table} ` +
        `WHERE ${column} IS NULL OR ${parseTimestampSql('iso', column)} IS NULL ORDER BY file_idx, line LIMIT 1`,
    );
    const f = bad ? Number(bad.f) : 0;
    throw errors.timestampUnparseable(files[f], sourceColumns[f], bad?.v ?? '');
  }
  return format;
}

/**
 * `detectTimestampFormat` for every file at once, in one grouped pass: inputs from different
 * exports (ISO text in one, epoch numbers in another) each get their own format. `native[i]`
 * says file i stores real timestamps (Parquet). Returns one format per file index (files
 * without rows get 'iso').
 *
 * @example
 * await detectTimestampFormats(db, 'stg', 'ts_txt', [false, true], files, ['time', 'ts']); // ['epoch_s', 'timestamp']
 */
export async function detectTimestampFormats(
  db: Db,
  table: string,
  column: string,
  native: readonly boolean[],
  files: readonly string[],
  sourceColumns: readonly string[],
): Promise<TimestampFormat[]> {
  const rows = await db.all<{ f: number; n: number; numeric: number; compact: number; iso: number; magnitude: number | null }>(
    `SELECT file_idx AS f, count(*) AS n, count_if(regexp_full_match(${column}, ${NUMERIC})) AS numeric, count(${parseTimestampSql('yyyymmdd', column)}) AS compact, ` +
      `count(${parseTimestampSql('iso', column)}) AS iso, ` +
      `median(abs(TRY_CAST(${column} AS DOUBLE))) FILTER (WHERE regexp_full_match(${column}, ${NUMERIC})) AS magnitude ` +
      `FROM ${table} WHERE ${column} IS NOT NULL GROUP BY file_idx ORDER BY file_idx`,
  );
  const formats: TimestampFormat[] = files.map(() => 'iso');
  const byFile = new Map(rows.map((r) => [Number(r.f), r]));
  for (let f = 0; f < files.length; f++) {
    const stats = byFile.get(f);
    if (!stats) continue; // no timestamps at all: every row is rejected as missing one
    const n = Number(stats.n);
    let format: TimestampFormat | null = null;
    if (Number(stats.numeric) >= n / 2 && Number(stats.numeric) >= Number(stats.iso)) format = numericFormat(n, Number(stats.compact), Number(stats.magnitude));
    else if (Number(stats.iso) >= n / 2) format = native[f] ? 'timestamp' : 'iso';
    if (format === null) {
      const [bad] = await db.all<{ v: string }>(
        `SELECT ${column} AS v FROM ${table} WHERE file_idx = ${f} AND ${parseTimestampSql('iso', column)} IS NULL ` +
          `ORDER BY line LIMIT 1`,
      );
      throw errors.timestampUnparseable(files[f], sourceColumns[f], bad?.v ?? '');
    }
    formats[f] = format;
  }
  return formats;
}
