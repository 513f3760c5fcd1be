/**
 * Events from plain columns (CSV, JSON, Parquet — a warehouse extract or an order log): raw files
 * → one text table over all files → the timestamp format → the judge's staging table.
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
  STAGING,
  valueOfProblemSql,
  type Check,
} from './judge.js';
import type { RawTable } from './read.js';
import {
  detectTimestampFormats,
  FORMAT_SAMPLE_ROWS,
  MAX_OFFSET_MINUTES,
  offsetMinutesSql,
  offsetOutOfRangeSql,
  parseTimestampSql,
  type TimestampFormat,
} from './timestamps.js';
import type { EventColumnMapping } from './types.js';
import { cleanText, cleanTrimmed } from './values.js';

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
  /** Whether any file has an event id column to deduplicate on. */
  readonly dedupe: boolean;
  /**
   * The staging table's rows are in file order already: one file with rows, read in order
   * (DuckDB keeps insertion order), so `events` needs no sort to keep it.
   */
  readonly inFileOrder: boolean;
  reasonFor(fileIdx: number, problem: string): string;
}

const FORMAT_WORDS: Record<TimestampFormat, string> = {
  iso: 'ISO 8601',
  timestamp: 'a timestamp',
  epoch_s: 'epoch seconds',
  epoch_ms: 'epoch milliseconds',
  epoch_us: 'epoch microseconds',
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

/**
 * Stage `raws` for judging (leaves the judge's staging table behind and drops the raw tables).
 *
 * @example
 * const staged = await stagePlain(db, raws, config, ['Quantity', 'UnitPrice'], new Date());
 * staged.mapping; // { userId: 'CustomerID', event: '(constant "purchase")', timestamp: 'InvoiceDate', timestampFormat: 'iso' }
 */
export async function stagePlain(
  db: Db,
  raws: readonly RawTable[],
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
): Promise<PlainStaged> {
  const input = config.inputs.events!;
  const { columns, eventName, eventCases } = input;
  const files = raws.map((r) => r.file);

  // 1. Which column is which, per file.
  const mappings: (FileMapping | null)[] = raws.map((raw) => {
    if (raw.rows === 0) return null;
    const userId = resolveColumn(raw.file, 'user id', columns.userId, raw.columns, USER_ID_NAMES);
    // A constant name replaces the event column unless one is configured (then it fills blanks).
    const event = eventName !== null && columns.event === null ? null : resolveColumn(raw.file, 'event', columns.event, raw.columns, EVENT_NAMES);
    const timestamp = resolveColumn(raw.file, 'timestamp', columns.timestamp, raw.columns, TIMESTAMP_NAMES);
    const rest = raw.columns.filter((c) => c !== userId && c !== event && c !== timestamp);
    const eventId = columns.eventId !== null ? resolveColumn(raw.file, 'event id', columns.eventId, raw.columns, []) : findColumn(rest, EVENT_ID_NAMES);
    const cases = eventCases.map((c) => resolveColumn(raw.file, 'event case', c.column, raw.columns, []));
    const values = valueColumns.map((c) => resolveColumn(raw.file, 'value', c, raw.columns, []));
    return { userId, event, timestamp, eventId, cases, values };
  });
  const first = mappings.find((m): m is FileMapping => m !== null) ?? null;

  // 2. One text relation over all files: raw and cleaned values side by side. Not materialised:
  //    staging reads it once, and format detection reads only the first timestamps of each file.
  //    Parquet files carry real timestamp types (`native`): those are read as they are, not
  //    turned into text and parsed back (that round trip was two thirds of staging a Parquet file).
  const native = raws.map((r, i) => /TIMESTAMP|DATE/.test(r.sourceTypes.get(mappings[i]?.timestamp ?? '') ?? ''));
  const text = textRelation(raws, mappings, eventCases, valueColumns.length, eventName, false, native);
  const timestamps = textRelation(raws, mappings, eventCases, valueColumns.length, eventName, true, native);

  // 3. Timestamp format, per file (inputs may come from different exports); text formats are
  //    always VARCHAR.
  const formats = await detectTimestampFormats(db, timestamps, 'ts_txt', native, files, mappings.map((m) => m?.timestamp ?? ''));
  const format = formats[mappings.findIndex((m) => m !== null)] ?? 'iso';
  // The offset pattern is matched once per row (ts_off), then read by the parse and the check.
  const parseOf = (i: number) => (native[i] ? 'ts_native' : parseTimestampSql(formats[i], 'ts_txt', 'ts_off'));
  const parsers = new Set(raws.map((_, i) => parseOf(i)));
  const parse = parsers.size <= 1 ? parseOf(Math.max(0, mappings.findIndex((m) => m !== null))) : `(CASE file_idx ${raws.map((_, i) => `WHEN ${i} THEN ${parseOf(i)}`).join(' ')} END)`;
  // A native timestamp has no text of its own: a rejected one is shown as DuckDB writes it.
  const tsRaw = native.some(Boolean) ? 'coalesce(ts_raw, CAST(ts_native AS VARCHAR))' : 'ts_raw';

  // 4. The judge's staging table: typed values and the first problem of each row.
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
  const dedupe = mappings.some((m) => m !== null && m.eventId !== null);
  const { problem } = problemSql(checks);
  const vals = valueColumns.map((_, k) => `, TRY_CAST(w${k} AS DOUBLE) AS v${k}`).join('');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGING} AS SELECT file_idx, line, uid, ev, ${ts}${dedupe ? ', dedupe_id' : ''}, ` +
      `problem, ${valueOfProblemSql(checks)} AS value${vals} ` +
      `FROM (SELECT *, ${problem} AS problem FROM (SELECT *, ${parse} AS ${ts} FROM (SELECT *, ${offsetMinutesSql('ts_txt')} AS ts_off FROM ${text})))`,
  );
  for (const raw of raws) await raw.drop();

  const reasonFor = (fileIdx: number, code: string): string => {
    const m = mappings[fileIdx]!;
    return rejectReason(code, { ...m, format: FORMAT_WORDS[formats[fileIdx]], now });
  };

  const m = first ?? { userId: '', event: '', timestamp: '', eventId: null };
  return {
    mapping: {
      userId: m.userId,
      event: m.event ?? `(constant ${JSON.stringify(eventName)})`,
      timestamp: m.timestamp,
      timestampFormat: format,
      eventId: m.eventId,
    },
    dedupe,
    inFileOrder: raws.filter((r) => r.rows > 0).length <= 1 && raws.every((r) => r.inFileOrder),
    reasonFor,
  };
}

/** SQL: a native timestamp column (`type` as DuckDB names it) as a UTC TIMESTAMP. */
function nativeTimestamp(column: string, type: string): string {
  if (/WITH TIME ZONE|TIMESTAMPTZ/i.test(type)) return `(${column} AT TIME ZONE 'UTC')`;
  return `CAST(${column} AS TIMESTAMP)`;
}

/**
 * SQL for the text relation (in parentheses): per file, raw and cleaned user id, event name,
 * timestamp, dedupe id and value columns; with `timestampsOnly`, just file_idx, line and ts_txt.
 */
function textRelation(
  raws: readonly RawTable[],
  mappings: readonly (FileMapping | null)[],
  cases: readonly EventCase[],
  valueCount: number,
  eventName: string | null,
  timestampsOnly: boolean,
  /** Per file: its timestamp column has a real timestamp type (read as it is, as `ts_native`). */
  native: readonly boolean[],
): string {
  const parts: string[] = [];
  const constant = eventName === null ? 'CAST(NULL AS VARCHAR)' : quoteLiteral(eventName);
  raws.forEach((raw, i) => {
    const m = mappings[i];
    if (m === null) return;
    const t = (c: string) => raw.textSql(c);
    const where = `CAST(${i} AS INTEGER) AS file_idx, CAST(${raw.lineSql} AS BIGINT) AS line`;
    if (timestampsOnly) {
      // Insertion order is file order, so LIMIT takes the file's first rows.
      parts.push(`(SELECT ${where}, ${cleanText(t(m.timestamp))} AS ts_txt FROM ${quoteIdent(raw.table)} r LIMIT ${FORMAT_SAMPLE_ROWS})`);
      return;
    }
    // Each column is trimmed once in an inner query; the outer one cleans the trimmed text. A
    // native timestamp is carried as it is; its text is only `'native'` to say it is present.
    const stamp = native[i]
      ? [`${nativeTimestamp(`r.${quoteIdent(m.timestamp)}`, raw.sourceTypes.get(m.timestamp)!)} AS ts_native`, `CAST(NULL AS VARCHAR) AS ts_raw`]
      : [`CAST(NULL AS TIMESTAMP) AS ts_native`, `${t(m.timestamp)} AS ts_raw`, `trim(${t(m.timestamp)}) AS ts_t`];
    const tsTxt = native[i] ? `CASE WHEN ts_native IS NULL THEN NULL ELSE 'native' END` : cleanTrimmed('ts_t');
    const inner: string[] = [where, `${t(m.userId)} AS uid_raw`, `trim(${t(m.userId)}) AS uid_t`, ...stamp];
    if (m.event !== null) inner.push(`${t(m.event)} AS ev_raw`, `trim(${t(m.event)}) AS ev_t`);
    if (m.eventId !== null) inner.push(`trim(${t(m.eventId)}) AS id_t`);
    m.cases.forEach((c, k) => inner.push(`${cleanText(t(c))} AS case_${k}`));
    m.values.forEach((c, k) => inner.push(`${t(c)} AS w${k}_raw`, `trim(${t(c)}) AS w${k}_t`));
    const evRaw = m.event === null ? constant : 'ev_raw';
    const evClean = m.event === null ? constant : `COALESCE(${cleanTrimmed('ev_t')}, ${constant})`;
    const ev = eventCaseSql(evClean, cases, (k) => `case_${k}`);
    const values = m.values.map((_, k) => `, w${k}_raw, ${cleanTrimmed(`w${k}_t`)} AS w${k}`).join('');
    parts.push(
      `SELECT file_idx, line, uid_raw, ${cleanTrimmed('uid_t')} AS uid, ${evRaw} AS ev_raw, ${ev} AS ev, ` +
        `ts_raw, ${tsTxt} AS ts_txt, ts_native, ` +
        `${m.eventId === null ? 'CAST(NULL AS VARCHAR)' : cleanTrimmed('id_t')} AS dedupe_id${values} ` +
        `FROM (SELECT ${inner.join(', ')} FROM ${quoteIdent(raw.table)} r)`,
    );
  });
  if (parts.length > 0) return `(${parts.join(' UNION ALL ')})`;
  // Every row was malformed: an empty relation with the same columns.
  const v = 'CAST(NULL AS VARCHAR)';
  const values = Array.from({ length: valueCount }, (_, k) => `, ${v} AS w${k}_raw, ${v} AS w${k}`).join('');
  const cols = timestampsOnly
    ? `${v} AS ts_txt`
    : `${v} AS uid_raw, ${v} AS uid, ${v} AS ev_raw, ${v} AS ev, ${v} AS ts_raw, ${v} AS ts_txt, CAST(NULL AS TIMESTAMP) AS ts_native, ${v} AS dedupe_id${values}`;
  return `(SELECT CAST(NULL AS INTEGER) AS file_idx, CAST(NULL AS BIGINT) AS line, ${cols} WHERE FALSE)`;
}
