/**
 * Sniffing one input for `segmint init`: which files it is, their format and CSV dialect,
 * whether the rows have a vendor export's shape, and — for plain tables — a profile of every
 * column over a sample of rows, plus what ingest would make of the event columns.
 *
 * Everything here is read with DuckDB through the same helpers ingest uses (column name lists,
 * null spellings, timestamp parsing), so what init writes is what ingest will find.
 */
import path from 'node:path';
import type { Db } from '../core/duckdb.js';
import { errors } from '../core/messages.js';
import { quoteIdent, quoteLiteral } from '../core/sql.js';
import { EVENT_NAMES, TIMESTAMP_NAMES, USER_ID_NAMES, findColumn } from '../stages/ingest/columns.js';
import { formatOf, resolveInputs, type FileFormat } from '../stages/ingest/files.js';
import { peekKeys } from '../stages/ingest/events.js';
import { containerOf, detectPreset, getPreset, loadPresetEvents, type PresetName } from '../stages/ingest/presets/index.js';
import { checkUtf8Head, readHead } from '../stages/ingest/scan.js';
import { detectTimestampFormat, parseTimestampSql, type TimestampFormat } from '../stages/ingest/timestamps.js';
import { cleanText } from '../stages/ingest/values.js';

/** Rows read per input to profile it: enough for stable shares, fast on any export. */
export const SAMPLE_ROWS = 200_000;
/** Files of a folder or glob read for the sample (a year of daily exports need not all be opened). */
export const SAMPLE_FILES = 32;

export interface ColumnProfile {
  readonly name: string;
  /** DuckDB type as read: VARCHAR for CSV, JSON for JSON fields, Parquet's own types. */
  readonly type: string;
  /** Values present (after trimming and the null spellings ingest uses, e.g. `NA`). */
  readonly present: number;
  readonly distinct: number;
  /** Values that read as numbers, and how many of those are below zero. */
  readonly numeric: number;
  readonly negative: number;
  /** Values that read as a date with a time of day (what an event timestamp looks like). */
  readonly dateTimes: number;
}

/** What ingest would make of the event columns, measured on the sample. */
export interface EventProfile {
  readonly userId: string;
  /** null when no column names the event (an order log: every row is one kind of event). */
  readonly event: string | null;
  readonly timestamp: string;
  readonly format: TimestampFormat;
  /** Earliest and latest parsed timestamp (ISO, UTC), null when none parse. */
  readonly first: string | null;
  readonly last: string | null;
  /** Sampled rows ingest would reject, by reason (a row counts once, for its first problem). */
  readonly missingUser: number;
  readonly missingEvent: number;
  readonly badTimestamp: number;
}

/** A vendor export read through its preset, as ingest will read it. */
export interface VendorProfile {
  /** Rows read, and how they split (a row with a problem is rejected by ingest). */
  readonly rows: number;
  readonly behaviour: number;
  readonly internal: number;
  readonly duplicates: number;
  readonly problems: number;
  /** Users with behaviour, and the earliest / latest usable event (ISO, UTC). */
  readonly users: number;
  readonly first: string | null;
  readonly last: string | null;
}

export interface SniffedInput {
  /** The path as given, made absolute (a file, folder or glob). */
  readonly path: string;
  readonly files: readonly string[];
  readonly format: FileFormat;
  /** Delimiter and quote of a CSV/TSV input, from DuckDB's `sniff_csv`. */
  readonly csv: { readonly delimiter: string; readonly quote: string } | null;
  /** Top-level keys of the first row, and the vendor export they match (null = plain table). */
  readonly keys: readonly string[];
  readonly preset: PresetName | null;
  /** Set for a vendor export: its rows as the preset reads them. */
  readonly vendor: VendorProfile | null;
  /**
   * Rows profiled: the first SAMPLE_ROWS of a plain table, every row of a vendor export's first
   * SAMPLE_FILES files. `truncated` when that is not all of the input.
   */
  readonly rows: number;
  readonly truncated: boolean;
  readonly columns: readonly ColumnProfile[];
  /** Set when the columns can be events (a user id and a timestamp). */
  readonly events: EventProfile | null;
  /** Plain tables: temp table holding the sampled rows as cleaned text (null for presets). */
  readonly sampleTable: string | null;
}

/**
 * Sniff one input path. The sampled rows stay in `sampleTable` for later questions (attribute
 * typing) until the database is closed.
 *
 * @example
 * const s = await sniffInput(db, '/data/orders.csv', 0);
 * s.events?.userId; // 'CustomerID'
 */
/**
 * Columns the user named (`init --user-id/--event/--timestamp`): they win over detection in every
 * input that has them; an input without them is sniffed as usual (a users table has no timestamp).
 */
export interface ColumnHints {
  readonly userId?: string;
  readonly event?: string;
  readonly timestamp?: string;
}

export async function sniffInput(db: Db, given: string, index: number, hints: ColumnHints = {}): Promise<SniffedInput> {
  const files = await resolveInputs([given], 'input');
  const first = files[0];
  const format = formatOf(first) ?? 'csv';
  if (format !== 'parquet') await checkUtf8Head(first);
  const keys = (await peekKeys(db, first)) ?? [];
  const preset = detectPreset(keys);
  const csv = format === 'csv' || format === 'tsv' ? await sniffDialect(db, first) : null;
  const base = { path: path.resolve(given), files, format, csv, keys, preset };
  if (preset !== null) {
    const vendor = await profileVendor(db, preset, files.slice(0, SAMPLE_FILES), `init_vendor_${index}`);
    return { ...base, vendor, rows: vendor.rows, truncated: files.length > SAMPLE_FILES, columns: [], events: null, sampleTable: null };
  }

  const table = `init_sample_${index}`;
  const reader = readerSql(files.slice(0, SAMPLE_FILES), format);
  let described: { column_name: string; column_type: string }[];
  try {
    described = await db.all(`DESCRIBE SELECT * FROM ${reader}`);
    const select = described.map((d) => `${cleanText(asText(d.column_name, d.column_type))} AS ${quoteIdent(d.column_name)}`);
    await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${select.join(', ')} FROM ${reader} LIMIT ${SAMPLE_ROWS}`);
  } catch (e) {
    throw errors.unreadableFile(first, (e instanceof Error ? e.message : String(e)).split('\n')[0].trim());
  }
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  const rows = Number(n);
  const columns = rows === 0 ? [] : await profileColumns(db, table, described);
  const events = rows === 0 ? null : await profileEvents(db, table, columns, first, hints);
  // A sample cut short by SAMPLE_ROWS may miss the end of a time-sorted export: take the span
  // from every row (DuckDB reads only the timestamp column for this).
  const span = events && rows === SAMPLE_ROWS ? await fullSpan(db, reader, events, described) : null;
  return { ...base, vendor: null, rows, truncated: rows === SAMPLE_ROWS, columns, events: span ? { ...events!, ...span } : events, sampleTable: table };
}

/** Read the files through the preset, exactly as ingest will, and count what it makes of them. */
async function profileVendor(db: Db, preset: PresetName, files: readonly string[], table: string): Promise<VendorProfile> {
  // As ingest does (events.ts): a JSON file of one object per line sets a malformed line aside
  // (a truncated last line of a daily export) instead of failing the read.
  const objectPerLine = await Promise.all(
    files.map(async (f) => ['jsonl', 'json'].includes(containerOf(f)) && !(await readHead(f).catch(() => null))?.trimStart().startsWith('[')),
  );
  const s = await loadPresetEvents(db, getPreset(preset), files, table, { objectPerLine });
  const iso = (e: string) => `strftime(${e}, '%Y-%m-%dT%H:%M:%SZ')`;
  const usable = 'problem IS NULL AND NOT internal';
  const [t] = await db.all<{ users: number; first: string | null; last: string | null }>(
    `SELECT count(DISTINCT user_id) FILTER (WHERE ${usable}) AS users, ${iso(`min(ts) FILTER (WHERE ${usable})`)} AS first, ` +
      `${iso(`max(ts) FILTER (WHERE ${usable})`)} AS last FROM ${quoteIdent(table)}`,
  );
  await db.run(`DROP TABLE ${quoteIdent(table)}`);
  return {
    rows: s.rows,
    behaviour: s.behaviour,
    internal: s.internal,
    duplicates: s.duplicates,
    problems: s.problems,
    users: Number(t.users),
    first: t.first,
    last: t.last,
  };
}

async function fullSpan(
  db: Db,
  reader: string,
  events: EventProfile,
  described: readonly { column_name: string; column_type: string }[],
): Promise<{ first: string | null; last: string | null }> {
  const type = described.find((d) => d.column_name === events.timestamp)!.column_type;
  const parsed = parseTimestampSql(events.format, 't');
  const [row] = await db.all<{ first: string | null; last: string | null }>(
    `SELECT strftime(min(${parsed}), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(${parsed}), '%Y-%m-%dT%H:%M:%SZ') AS last ` +
      `FROM (SELECT ${cleanText(asText(events.timestamp, type))} AS t FROM ${reader})`,
  );
  return { first: row.first, last: row.last };
}

/** DuckDB table function reading `files` with every column kept as the file wrote it. */
function readerSql(files: readonly string[], format: FileFormat): string {
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  switch (format) {
    case 'csv':
    case 'tsv':
      // Malformed lines are ingest's business (it rejects them with their line); skip them here.
      return `read_csv(${list}, all_varchar = true, header = true, union_by_name = true, ignore_errors = true${format === 'tsv' ? `, delim = '\\t'` : ''})`;
    case 'jsonl':
    case 'json':
      return `read_json(${list}, format = ${quoteLiteral(format === 'jsonl' ? 'newline_delimited' : 'auto')}, maximum_depth = 1, union_by_name = true)`;
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true)`;
  }
}

function asText(column: string, type: string): string {
  const c = quoteIdent(column);
  if (type === 'JSON') return `(${c} ->> '$')`;
  return type === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`;
}

async function sniffDialect(db: Db, file: string): Promise<{ delimiter: string; quote: string } | null> {
  try {
    const [row] = await db.all<{ Delimiter: string; Quote: string }>(`SELECT Delimiter, Quote FROM sniff_csv(${quoteLiteral(file)})`);
    return row ? { delimiter: row.Delimiter, quote: row.Quote } : null;
  } catch {
    // An empty or odd file: the sample read below reports the real problem.
    return null;
  }
}

/** A date followed by a time of day, as event timestamps are written (not a bare date of birth). */
const DATE_TIME = `'^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{1,2}:[0-9]{2}'`;

async function profileColumns(db: Db, table: string, described: readonly { column_name: string; column_type: string }[]): Promise<ColumnProfile[]> {
  const aggs = described.flatMap((d, i) => {
    const c = quoteIdent(d.column_name);
    const num = `TRY_CAST(${c} AS DOUBLE)`;
    return [
      `count(${c}) AS p${i}`,
      `count(DISTINCT ${c}) AS u${i}`,
      `count(${num}) AS x${i}`,
      `count_if(${num} < 0) AS g${i}`,
      `count_if(regexp_matches(${c}, ${DATE_TIME}) AND ${parseTimestampSql('iso', c)} IS NOT NULL) AS t${i}`,
    ];
  });
  const [s] = await db.all<Record<string, number>>(`SELECT ${aggs.join(', ')} FROM ${quoteIdent(table)}`);
  return described.map((d, i) => ({
    name: d.column_name,
    type: d.column_type,
    present: Number(s[`p${i}`]),
    distinct: Number(s[`u${i}`]),
    numeric: Number(s[`x${i}`]),
    negative: Number(s[`g${i}`]),
    dateTimes: Number(s[`t${i}`]),
  }));
}

/**
 * The timestamp column: a common name first (what ingest's `auto` finds), else a column typed
 * as a timestamp by the file, else one whose values are mostly date-times.
 */
export function timestampColumn(columns: readonly ColumnProfile[]): string | null {
  const named = findColumn(columns.map((c) => c.name), TIMESTAMP_NAMES);
  if (named !== null) return named;
  const typed = columns.find((c) => /^TIMESTAMP/.test(c.type));
  if (typed) return typed.name;
  const looks = columns.find((c) => c.present > 0 && c.dateTimes >= 0.9 * c.present);
  return looks ? looks.name : null;
}

async function profileEvents(db: Db, table: string, columns: readonly ColumnProfile[], file: string, hints: ColumnHints): Promise<EventProfile | null> {
  const names = columns.map((c) => c.name);
  const named = (hint: string | undefined) => (hint !== undefined && names.includes(hint) ? hint : null);
  const userId = named(hints.userId) ?? findColumn(names, USER_ID_NAMES);
  const timestamp = named(hints.timestamp) ?? timestampColumn(columns);
  if (userId === null || timestamp === null) return null;
  const event =
    named(hints.event) ??
    findColumn(
      names.filter((n) => n !== userId && n !== timestamp),
      EVENT_NAMES,
    );
  const ts = quoteIdent(timestamp);
  const native = /^(TIMESTAMP|DATE)/.test(columns.find((c) => c.name === timestamp)!.type);
  // ingest's own detector, over a view shaped like its staging table.
  const view = quoteIdent(`${table}_ts`);
  await db.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT 0 AS file_idx, rowid AS line, ${ts} AS ts_txt FROM ${quoteIdent(table)}`);
  const format = await detectTimestampFormat(db, view, 'ts_txt', native, [file], [timestamp]);
  await db.run(`DROP VIEW ${view}`);

  const parsed = parseTimestampSql(format, ts);
  const uid = `${quoteIdent(userId)} IS NULL`;
  const ev = event === null ? 'FALSE' : `${quoteIdent(event)} IS NULL`;
  const [s] = await db.all<{ first: string | null; last: string | null; mu: number; me: number; bt: number }>(
    `SELECT strftime(min(${parsed}), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(${parsed}), '%Y-%m-%dT%H:%M:%SZ') AS last, ` +
      `count_if(${uid}) AS mu, count_if(NOT (${uid}) AND ${ev}) AS me, ` +
      `count_if(NOT (${uid}) AND NOT (${ev}) AND ${parsed} IS NULL) AS bt FROM ${quoteIdent(table)}`,
  );
  return {
    userId,
    event,
    timestamp,
    format,
    first: s.first,
    last: s.last,
    missingUser: Number(s.mu),
    missingEvent: Number(s.me),
    badTimestamp: Number(s.bt),
  };
}
