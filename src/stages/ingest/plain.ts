/**
 * Events from plain columns (CSV, JSON, Parquet — a warehouse extract or an order log): per file,
 * its reader (in place) or its careful copy (`loadRaw`) → the timestamp format → a staging table;
 * the judge's staging view joins the files' tables.
 *
 * Per file: which column is the user id, the event and the timestamp (files may come from
 * different exports), the dedupe column, the columns event cases test and the value columns.
 * An event name may be a constant (`event_name`), with event cases renaming matching rows.
 */
import type { EventCase, ResolvedConfig } from '../../config/types.js';
import type { Db } from '../../core/duckdb.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import { EVENT_ID_NAMES, EVENT_NAMES, TIMESTAMP_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from './columns.js';
import {
  commonChecks,
  futureLimit,
  MAX_NAME_CHARS,
  NON_FINITE,
  nonFiniteReason,
  OLDEST_PLAUSIBLE,
  problemSql,
  valueOfProblemSql,
  type Check,
} from './judge.js';
import { openInPlace, type InPlaceSource } from './inPlace.js';
import { loadRaw, type MalformedRow } from './read.js';
import type { TextFacts } from './scan.js';
import {
  detectTimestampFormats,
  FORMAT_SAMPLE_ROWS,
  MAX_OFFSET_MINUTES,
  offsetMinutesSql,
  offsetOutOfRangeSql,
  parseTimestampSql,
  type TimestampFormat,
} from './timestamps.js';
import type { EventColumnMapping, FileColumnMapping } from './types.js';
import { cleanText, cleanTrimmed, trimmedSql } from './values.js';

/**
 * The view over the files' staging tables (`ingest_staged_events_<i>`) the judge reads; `events`
 * may stay a view of it after ingest.
 */
export const STAGED_VIEW = 'ingest_staged_events';

interface FileMapping {
  readonly userId: string;
  /** null when every row gets the constant event name. */
  readonly event: string | null;
  readonly timestamp: string;
  readonly eventId: string | null;
  /** Input column of each event case, in config order. */
  readonly cases: readonly string[];
  /** Input column of each value column, in `valueColumns` order. */
  readonly values: readonly string[];
}

/** The columns a reject code is about, for its reason. */
export interface ReasonContext {
  readonly userId: string;
  /** null: the events have a constant name (`eventName`), no column. */
  readonly event: string | null;
  readonly timestamp: string;
  /** Value-feature columns, by the index in `value_<i>` codes. */
  readonly values: readonly string[];
  /** How the timestamps were read, in words ("ISO 8601"). */
  readonly format: string;
  readonly now: Date;
}

/**
 * A reject code (from the staging checks) in the words segmint uses for every source, files and
 * warehouse tables alike.
 *
 * @example
 * rejectReason('ts_bad', { userId: 'uid', event: 'ev', timestamp: 'ts', values: [], format: 'ISO 8601', now });
 * // 'unparseable timestamp (column "ts", read as ISO 8601)'
 */
export function rejectReason(code: string, m: ReasonContext): string {
  const col = (name: string) => `column ${JSON.stringify(name)}`;
  const event = m.event === null ? 'the constant event name' : col(m.event);
  switch (code) {
    case 'user':
      return `missing user id (${col(m.userId)} is empty or absent)`;
    case 'user_na':
      return `missing user id (${col(m.userId)} holds a missing-value marker like NA or null)`;
    case 'user_long':
      return `user id longer than ${MAX_NAME_CHARS} characters (${col(m.userId)})`;
    case 'event':
      return `missing event name (${event} is empty or absent)`;
    case 'event_na':
      return `missing event name (${event} holds a missing-value marker like NA or null)`;
    case 'event_long':
      return `event name longer than ${MAX_NAME_CHARS} characters (${event})`;
    case 'ts_missing':
    case 'ts_missing_na':
      return `missing timestamp (${col(m.timestamp)} is empty or absent)`;
    case 'ts_bad':
      return `unparseable timestamp (${col(m.timestamp)}, read as ${m.format})`;
    case 'ts_offset':
      return `UTC offset beyond ±${MAX_OFFSET_MINUTES / 60}:00 (${col(m.timestamp)}); no time zone is that far from UTC`;
    case 'ts_old':
      return `implausible timestamp before ${OLDEST_PLAUSIBLE} (${col(m.timestamp)})`;
    case 'ts_future':
      return `timestamp in the future, after ${futureLimit(m.now)} (${col(m.timestamp)})`;
    default: {
      if (code.startsWith(NON_FINITE)) return nonFiniteReason(col(m.values[Number(code.slice(NON_FINITE.length))] ?? '?'));
      const k = Number(code.replace(/^value_/, ''));
      return `non-numeric value (${col(m.values[k] ?? '?')}, used by a value feature)`;
    }
  }
}

export interface PlainStaged {
  readonly mapping: EventColumnMapping;
  /** Rows read from all files, malformed ones included. */
  readonly read: number;
  /** Rows the file readers rejected, per file. */
  readonly malformed: readonly (readonly MalformedRow[])[];
  /** Whether any file has an event id column to deduplicate on. */
  readonly dedupe: boolean;
  /**
   * The staging view's rows are in file order already: one file with rows, read in order
   * (DuckDB keeps insertion order), so `events` needs no sort to keep it.
   */
  readonly inFileOrder: boolean;
  reasonFor(fileIdx: number, problem: string): string;
  /** The line (as an editor shows it) of a staged row from its `line` column. */
  lineOf(fileIdx: number, line: number): number;
  /** Drop the staging view and the tables behind it. */
  drop(): Promise<void>;
}

/** How a timestamp format reads in a reject reason ("unparseable timestamp (…, read as epoch seconds)"). */
export const FORMAT_WORDS: Record<TimestampFormat, string> = {
  iso: 'ISO 8601',
  timestamp: 'a timestamp',
  epoch_s: 'epoch seconds',
  epoch_ms: 'epoch milliseconds',
  epoch_us: 'epoch microseconds',
  yyyymmdd: 'a compact date (YYYYMMDD)',
};

/** Event name SQL: `ev` unless a case matches (first match wins). Values are quoted, never spliced. */
export function eventCaseSql(ev: string, cases: readonly EventCase[], columnText: (i: number) => string): string {
  if (cases.length === 0) return ev;
  const whens = cases.map((c, i) => {
    const col = columnText(i);
    const test =
      c.startsWith !== null
        ? `starts_with(${col}, ${quoteLiteral(c.startsWith)})`
        : c.equals !== null
          ? `${col} = ${quoteLiteral(c.equals)}`
          : `TRY_CAST(${col} AS DOUBLE) < 0`;
    return `WHEN ${test} THEN ${quoteLiteral(c.event)}`;
  });
  return `(CASE ${whens.join(' ')} ELSE ${ev} END)`;
}

/** One events file as the staging query selects from it: read in place, or `loadRaw`'s copy. */
type StagingSource = Omit<InPlaceSource, 'settle'> & {
  /** SQL (over `r`) for the row's line, or null: the staged table's rowid + 1 is its position. */
  readonly lineSql: string | null;
};

/** One file's staged rows: its table (null when the file has no rows) and how it was read. */
interface FileStaged {
  readonly table: string | null;
  readonly mapping: FileMapping | null;
  readonly format: TimestampFormat;
  readonly rows: number;
  readonly malformed: readonly MalformedRow[];
  /** The table holds `line`; else its rowid + 1 is the row's position, turned into a line by `lineOf`. */
  readonly storesLine: boolean;
  readonly inFileOrder: boolean;
  lineOf(line: number): number;
}

/**
 * Stage the event files for judging: one staging table per file, read in place when it can be
 * (`openInPlace`), else from `loadRaw`'s copy; leaves the judge's staging view over them.
 *
 * @example
 * const staged = await stagePlain(db, files, scans, config, ['Quantity', 'UnitPrice'], new Date());
 * staged.mapping; // { userId: 'CustomerID', event: '(constant "purchase")', timestamp: 'InvoiceDate', timestampFormat: 'iso' }
 */
export async function stagePlain(
  db: Db,
  files: readonly string[],
  scans: readonly Promise<TextFacts | null>[],
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
): Promise<PlainStaged> {
  const staged: FileStaged[] = [];
  let dedupe = false;
  const drop = async () => {
    await db.run(`DROP VIEW IF EXISTS ${STAGED_VIEW}`);
    for (const f of staged) if (f.table !== null) await db.run(`DROP TABLE IF EXISTS ${quoteIdent(f.table)}`);
  };
  try {
    for (let i = 0; i < files.length; i++) {
      const scan = Promise.resolve(scans[i] ?? null);
      scan.catch(() => {}); // handled where awaited
      staged.push(await stageFile(db, i, files[i], scan, config, valueColumns, now));
    }
    dedupe = staged.some((f) => f.mapping?.eventId != null);
    await db.run(`CREATE OR REPLACE TEMP VIEW ${STAGED_VIEW} AS ${stagingUnion(staged, dedupe, valueColumns.length)}`);
  } catch (e) {
    await drop();
    throw e;
  }

  const formats = staged.map((f) => f.format);
  const reasonFor = (fileIdx: number, code: string): string => {
    const m = staged[fileIdx].mapping!;
    return rejectReason(code, { ...m, format: FORMAT_WORDS[formats[fileIdx]], now });
  };
  const withRows = staged.filter((f) => f.mapping !== null);
  const constantEvent = `(constant ${JSON.stringify(config.inputs.events!.eventName)})`;
  const columnsOf = (f: FileStaged, file: string): FileColumnMapping => ({
    file,
    userId: f.mapping!.userId,
    event: f.mapping!.event ?? constantEvent,
    timestamp: f.mapping!.timestamp,
    timestampFormat: f.format,
    eventId: f.mapping!.eventId,
  });
  const byFile = staged.flatMap((f, i) => (f.mapping === null ? [] : [columnsOf(f, files[i])]));
  const [first] = byFile;
  const alike = byFile.every((f) => sameColumns(f, first));
  return {
    mapping: {
      userId: first?.userId ?? '',
      event: first?.event ?? constantEvent,
      timestamp: first?.timestamp ?? '',
      timestampFormat: first?.timestampFormat ?? 'iso',
      eventId: first?.eventId ?? null,
      ...(alike ? {} : { byFile }),
    },
    read: staged.reduce((s, f) => s + f.rows + f.malformed.length, 0),
    malformed: staged.map((f) => f.malformed),
    dedupe,
    inFileOrder: withRows.length <= 1 && withRows.every((f) => f.inFileOrder),
    reasonFor,
    lineOf: (fileIdx, line) => staged[fileIdx].lineOf(line),
    drop,
  };
}

/** Whether two files' columns were read alike (the file aside). */
function sameColumns(a: FileColumnMapping, b: FileColumnMapping): boolean {
  return a.userId === b.userId && a.event === b.event && a.timestamp === b.timestamp && a.timestampFormat === b.timestampFormat && a.eventId === b.eventId;
}

/**
 * Stage one file into `ingest_staged_events_<i>`: read in place when it can be; when that is ruled
 * out, fails, or the file's scan disagrees with the rows read, from `loadRaw`'s careful copy.
 */
async function stageFile(
  db: Db,
  fileIdx: number,
  file: string,
  scan: Promise<TextFacts | null>,
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
): Promise<FileStaged> {
  const table = `${STAGED_VIEW}_${fileIdx}`;
  const inPlace = await openInPlace(db, file, scan);
  if (inPlace !== null) {
    try {
      const { mapping, format, rows } = await stageRows(db, table, { ...inPlace, lineSql: null }, config, valueColumns, now);
      const lineOf = await inPlace.settle(rows);
      if (lineOf !== null && rows > 0) return { table, mapping, format, rows, malformed: [], storesLine: false, inFileOrder: true, lineOf };
    } catch {
      // A malformed record, a missing column, a value no format reads: the careful read below
      // finds it again and says where, or reads the file.
    }
    await db.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  }
  const raw = await loadRaw(db, file, `ingest_raw_events_${fileIdx}`, scan);
  try {
    const base = { malformed: raw.malformed, storesLine: true, inFileOrder: raw.inFileOrder, lineOf: (line: number) => line };
    if (raw.rows === 0) return { ...base, table: null, mapping: null, format: 'iso', rows: 0 };
    const source: StagingSource = { ...raw, from: quoteIdent(raw.table), sample: quoteIdent(raw.table), lineSql: raw.lineSql };
    const { mapping, format, rows } = await stageRows(db, table, source, config, valueColumns, now);
    return { ...base, table, mapping, format, rows };
  } finally {
    await raw.drop();
  }
}

/**
 * Map one file's columns, detect its timestamp format and create its staging table: typed values
 * and the first problem of each row (and `line` when the source has one).
 */
async function stageRows(
  db: Db,
  table: string,
  source: StagingSource,
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
): Promise<{ mapping: FileMapping; format: TimestampFormat; rows: number }> {
  const { columns, eventName, eventCases } = config.inputs.events!;
  const { file } = source;

  // 1. Which column is which (files may come from different exports).
  const userId = resolveColumn(file, 'user id', columns.userId, source.columns, USER_ID_NAMES);
  // A constant name replaces the event column unless one is configured (then it fills blanks).
  const event = eventName !== null && columns.event === null ? null : resolveColumn(file, 'event', columns.event, source.columns, EVENT_NAMES);
  const timestamp = resolveColumn(file, 'timestamp', columns.timestamp, source.columns, TIMESTAMP_NAMES);
  const rest = source.columns.filter((c) => c !== userId && c !== event && c !== timestamp);
  const eventId = columns.eventId !== null ? resolveColumn(file, 'event id', columns.eventId, source.columns, []) : findColumn(rest, EVENT_ID_NAMES);
  const cases = eventCases.map((c) => resolveColumn(file, 'event case', c.column, source.columns, []));
  const values = valueColumns.map((c) => resolveColumn(file, 'value', c, source.columns, []));
  const mapping: FileMapping = { userId, event, timestamp, eventId, cases, values };

  // 2. The timestamp format, from the file's first rows. Parquet files carry real timestamp
  //    types (`native`): those are read as they are, not turned into text and parsed back (that
  //    round trip was two thirds of staging a Parquet file).
  const native = /TIMESTAMP|DATE/.test(source.sourceTypes.get(timestamp) ?? '');
  //    A native column needs no sample: its values are timestamps or NULL.
  const [format]: TimestampFormat[] = native
    ? ['timestamp']
    : await detectTimestampFormats(db, timestampSample(source, mapping), 'ts_txt', [native], [file], [timestamp]);
  // The offset pattern is matched once per row (ts_off), then read by the parse and the check.
  const parse = native ? 'ts_native' : parseTimestampSql(format, 'ts_txt', 'ts_off');
  // A native timestamp has no text of its own: a rejected one is shown as DuckDB writes it.
  const tsRaw = native ? 'coalesce(ts_raw, CAST(ts_native AS VARCHAR))' : 'ts_raw';

  // 3. The staging table: typed values and the first problem of each row.
  const ts = 'ts';
  const missing = (clean: string, raw: string, code: string): Check[] => [
    { when: `${clean} IS NULL AND ${raw} IS NOT NULL AND trim(${raw}) <> ''`, code: `'${code}_na'`, raw },
    { when: `${clean} IS NULL`, code: `'${code}'`, raw },
  ];
  const checks: Check[] = [
    ...missing('uid', 'uid_raw', 'user'),
    ...missing('ev', 'ev_raw', 'event'),
    ...missing('ts_txt', 'ts_raw', 'ts_missing'),
    { when: offsetOutOfRangeSql('ts_txt', 'ts_off'), code: `'ts_offset'`, raw: tsRaw },
    { when: `${ts} IS NULL`, code: `'ts_bad'`, raw: tsRaw },
    ...commonChecks(
      {
        uid: 'uid',
        uidRaw: 'uid_raw',
        ev: 'ev',
        evRaw: 'ev_raw',
        ts,
        tsRaw,
        values: valueColumns.map((_, k) => ({ txt: `w${k}`, raw: `w${k}_raw` })),
      },
      now,
    ),
  ];
  // The checks run once per row (problem); the raw value is looked up for the few rows with one.
  const { problem } = problemSql(checks);
  const vals = valueColumns.map((_, k) => `, TRY_CAST(w${k} AS DOUBLE) AS v${k}`).join('');
  const text = textRelation(source, mapping, eventCases, eventName, native);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${source.lineSql === null ? '' : 'line, '}uid, ev, ${ts}` +
      `${eventId === null ? '' : ', dedupe_id'}, problem, ${valueOfProblemSql(checks)} AS value${vals} ` +
      `FROM (SELECT *, ${problem} AS problem FROM (SELECT *, ${parse} AS ${ts} FROM (SELECT *, ${offsetMinutesSql('ts_txt')} AS ts_off FROM ${text})))`,
  );
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return { mapping, format, rows: Number(n) };
}

/**
 * The judge's staging relation over the files' tables: file_idx, line (the stored line, or the
 * position for files read in place), uid, ev, ts, dedupe_id (when `dedupe`), problem, value, v0….
 */
function stagingUnion(staged: readonly FileStaged[], dedupe: boolean, valueCount: number): string {
  const vals = Array.from({ length: valueCount }, (_, k) => `, v${k}`).join('');
  const parts = staged.flatMap((f, i) => {
    if (f.table === null) return [];
    const id = dedupe ? (f.mapping!.eventId === null ? ', CAST(NULL AS VARCHAR) AS dedupe_id' : ', dedupe_id') : '';
    const line = f.storesLine ? 'line' : 'rowid + 1';
    return [`SELECT CAST(${i} AS INTEGER) AS file_idx, CAST(${line} AS BIGINT) AS line, uid, ev, ts${id}, problem, value${vals} FROM ${quoteIdent(f.table)}`];
  });
  if (parts.length > 0) return parts.join(' UNION ALL ');
  // Every row was malformed: an empty relation with the same columns.
  const v = 'CAST(NULL AS VARCHAR)';
  const d = 'CAST(NULL AS DOUBLE)';
  return (
    `SELECT CAST(NULL AS INTEGER) AS file_idx, CAST(NULL AS BIGINT) AS line, ${v} AS uid, ${v} AS ev, CAST(NULL AS TIMESTAMP) AS ts` +
    `${dedupe ? `, ${v} AS dedupe_id` : ''}, ${v} AS problem, ${v} AS value${Array.from({ length: valueCount }, (_, k) => `, ${d} AS v${k}`).join('')} WHERE FALSE`
  );
}

/** SQL: a native timestamp column (`type` as DuckDB names it) as a UTC TIMESTAMP. */
function nativeTimestamp(column: string, type: string): string {
  if (/WITH TIME ZONE|TIMESTAMPTZ/i.test(type)) return `(${column} AT TIME ZONE 'UTC')`;
  return `CAST(${column} AS TIMESTAMP)`;
}

/**
 * The file's first `FORMAT_SAMPLE_ROWS` cleaned timestamps (in parentheses), as
 * `detectTimestampFormats` reads them: file_idx 0, line, ts_txt. Insertion order is file order,
 * so LIMIT takes the file's first rows; read in place, the reader stops after them.
 */
function timestampSample(source: StagingSource, m: FileMapping): string {
  return (
    `(SELECT CAST(0 AS INTEGER) AS file_idx, CAST(${source.lineSql ?? '0'} AS BIGINT) AS line, ` +
    `${cleanText(source.textSql(m.timestamp))} AS ts_txt FROM ${source.sample} r LIMIT ${FORMAT_SAMPLE_ROWS})`
  );
}

/**
 * SQL for one file's text relation (in parentheses): raw and cleaned user id, event name,
 * timestamp, dedupe id and value columns, and `line` when the source has one.
 */
function textRelation(
  source: StagingSource,
  m: FileMapping,
  cases: readonly EventCase[],
  eventName: string | null,
  /** The timestamp column has a real timestamp type (read as it is, as `ts_native`). */
  native: boolean,
): string {
  const constant = eventName === null ? 'CAST(NULL AS VARCHAR)' : quoteLiteral(eventName);
  const t = (c: string) => source.textSql(c);
  // The raw text is read once in the inner query, trimmed once in the middle one (`trimmedSql`
  // reads its column several times), and cleaned in the outer one. A native timestamp is carried
  // as it is; its text is only `'native'` to say it is present.
  const stamp = native
    ? [`${nativeTimestamp(`r.${quoteIdent(m.timestamp)}`, source.sourceTypes.get(m.timestamp)!)} AS ts_native`, `CAST(NULL AS VARCHAR) AS ts_raw`]
    : [`CAST(NULL AS TIMESTAMP) AS ts_native`, `${t(m.timestamp)} AS ts_raw`];
  const tsTxt = native ? `CASE WHEN ts_native IS NULL THEN NULL ELSE 'native' END` : cleanTrimmed('ts_t');
  const inner: string[] = [`${t(m.userId)} AS uid_raw`, ...stamp];
  const trimmed: string[] = [`${trimmedSql('uid_raw')} AS uid_t`];
  if (!native) trimmed.push(`${trimmedSql('ts_raw')} AS ts_t`);
  if (source.lineSql !== null) inner.unshift(`CAST(${source.lineSql} AS BIGINT) AS line`);
  if (m.event !== null) {
    inner.push(`${t(m.event)} AS ev_raw`);
    trimmed.push(`${trimmedSql('ev_raw')} AS ev_t`);
  }
  if (m.eventId !== null) {
    inner.push(`${t(m.eventId)} AS id_raw`);
    trimmed.push(`${trimmedSql('id_raw')} AS id_t`);
  }
  m.cases.forEach((c, k) => {
    inner.push(`${t(c)} AS case_${k}_raw`);
    trimmed.push(`${trimmedSql(`case_${k}_raw`)} AS case_${k}_t`);
  });
  m.values.forEach((c, k) => {
    inner.push(`${t(c)} AS w${k}_raw`);
    trimmed.push(`${trimmedSql(`w${k}_raw`)} AS w${k}_t`);
  });
  const evRaw = m.event === null ? constant : 'ev_raw';
  const evClean = m.event === null ? constant : `COALESCE(${cleanTrimmed('ev_t')}, ${constant})`;
  const ev = eventCaseSql(evClean, cases, (k) => cleanTrimmed(`case_${k}_t`));
  const values = m.values.map((_, k) => `, w${k}_raw, ${cleanTrimmed(`w${k}_t`)} AS w${k}`).join('');
  return (
    `(SELECT ${source.lineSql === null ? '' : 'line, '}uid_raw, ${cleanTrimmed('uid_t')} AS uid, ${evRaw} AS ev_raw, ${ev} AS ev, ` +
    `ts_raw, ${tsTxt} AS ts_txt, ts_native, ` +
    `${m.eventId === null ? 'CAST(NULL AS VARCHAR)' : cleanTrimmed('id_t')} AS dedupe_id${values} ` +
    `FROM (SELECT *, ${trimmed.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${source.from} r)))`
  );
}
