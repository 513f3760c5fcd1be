/**
 * The events input: raw files → staging → each row judged (rejected, duplicate, out of window,
 * used) in SQL → the `events(user_id, event, ts)` table. Every row read ends in exactly one of
 * those four outcomes, so the accounting always adds up.
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import { EVENT_ID_NAMES, EVENT_NAMES, TIMESTAMP_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from './columns.js';
import { loadRaw, type RawTable } from './read.js';
import { checkRejectRate, mergeRejects } from './rejects.js';
import { detectTimestampFormat, parseTimestampSql, type TimestampFormat } from './timestamps.js';
import type { AnalysisWindow, EventColumnMapping, RejectedRow, RowAccounting } from './types.js';
import { cleanText } from './values.js';

const STAGING = 'ingest_stg_events';
const JUDGED = 'ingest_judged_events';

interface FileMapping {
  readonly userId: string;
  readonly event: string;
  readonly timestamp: string;
  readonly eventId: string | null;
}

export interface EventsOutcome {
  readonly mapping: EventColumnMapping;
  readonly window: AnalysisWindow;
  readonly accounting: RowAccounting;
  readonly rejects: readonly RejectedRow[];
}

const FORMAT_WORDS: Record<TimestampFormat, string> = {
  iso: 'ISO 8601',
  timestamp: 'a timestamp',
  epoch_s: 'epoch seconds',
  epoch_ms: 'epoch milliseconds',
  epoch_us: 'epoch microseconds',
};

/**
 * Load, validate, deduplicate and window the event files; leaves the `events` table behind.
 *
 * @example
 * const out = await ingestEvents(db, ['/data/events.csv'], config);
 * out.mapping; // { userId: 'user_id', event: 'event', timestamp: 'timestamp', timestampFormat: 'iso' }
 */
export async function ingestEvents(db: Db, files: readonly string[], config: ResolvedConfig): Promise<EventsOutcome> {
  // 1. Raw files into all-VARCHAR staging tables.
  const raws: RawTable[] = [];
  for (let i = 0; i < files.length; i++) raws.push(await loadRaw(db, files[i], `ingest_raw_events_${i}`));
  const read = raws.reduce((s, r) => s + r.rows + r.malformed.length, 0);
  if (read === 0) throw errors.emptyInput(files.join(', '), 'events');

  // 2. Which column is which, per file (files may come from different exports).
  const columns = config.inputs.events.columns;
  const mappings: (FileMapping | null)[] = raws.map((raw) => {
    if (raw.rows === 0) return null;
    const userId = resolveColumn(raw.file, 'user id', columns.userId, raw.columns, USER_ID_NAMES);
    const event = resolveColumn(raw.file, 'event', columns.event, raw.columns, EVENT_NAMES);
    const timestamp = resolveColumn(raw.file, 'timestamp', columns.timestamp, raw.columns, TIMESTAMP_NAMES);
    const rest = raw.columns.filter((c) => c !== userId && c !== event && c !== timestamp);
    return { userId, event, timestamp, eventId: findColumn(rest, EVENT_ID_NAMES) };
  });
  const first = mappings.find((m): m is FileMapping => m !== null) ?? null;

  // 3. One staging table over all files: raw and cleaned values side by side.
  await stage(db, raws, mappings);

  // 4. Timestamp format, from the values of every file together.
  // Parquet files carry real timestamp types; text formats are always VARCHAR.
  const typed = raws.flatMap((r, i) => {
    const m = mappings[i];
    return m === null ? [] : [/TIMESTAMP|DATE/.test(r.sourceTypes.get(m.timestamp) ?? '')];
  });
  const native = typed.length > 0 && typed.every(Boolean);
  const format: TimestampFormat =
    first === null
      ? 'iso'
      : await detectTimestampFormat(db, STAGING, 'ts_txt', native, files, mappings.map((m) => m?.timestamp ?? ''));

  // 5. Judge every row: problem → rejected; repeated event id → duplicate; else valid.
  await judge(db, format);

  const reasonFor = (fileIdx: number, problem: string): string => {
    const m = mappings[fileIdx]!;
    switch (problem) {
      case 'user':
        return `missing user id (column ${JSON.stringify(m.userId)})`;
      case 'event':
        return `missing event name (column ${JSON.stringify(m.event)})`;
      case 'ts_missing':
        return `missing timestamp (column ${JSON.stringify(m.timestamp)})`;
      default:
        return `unparseable timestamp (column ${JSON.stringify(m.timestamp)}, read as ${FORMAT_WORDS[format]})`;
    }
  };
  const judgedRejects = await db.all<{ f: number; line: number; problem: string; value: string | null }>(
    `SELECT file_idx AS f, line, problem, value FROM ${JUDGED} WHERE status = 'rejected' ORDER BY file_idx, line`,
  );
  const rejects = mergeRejects(
    raws.map((r) => r.malformed),
    judgedRejects.map((r) => ({ fileIdx: Number(r.f), line: Number(r.line), value: r.value ?? '', reason: reasonFor(Number(r.f), r.problem) })),
    files,
  );
  checkRejectRate(rejects, read, config.output.maxRejectRate);

  // 6. The analysis window, then the final table.
  const window = await analysisWindow(db, config);
  const inWindow = `ts BETWEEN CAST(${quoteLiteral(window.start)} AS TIMESTAMP) AND CAST(${quoteLiteral(window.end)} AS TIMESTAMP)`;
  await db.run(
    `CREATE OR REPLACE TABLE events AS SELECT uid AS user_id, ev AS event, ts FROM ${JUDGED} ` +
      `WHERE status = 'valid' AND ${inWindow} ORDER BY file_idx, line`,
  );
  const [counts] = await db.all<{ used: number; oow: number; dup: number }>(
    `SELECT count_if(status = 'valid' AND ${inWindow}) AS used, count_if(status = 'valid' AND NOT (${inWindow})) AS oow, ` +
      `count_if(status = 'duplicate') AS dup FROM ${JUDGED}`,
  );
  await db.run(`DROP TABLE IF EXISTS ${STAGING}`);
  await db.run(`DROP TABLE IF EXISTS ${JUDGED}`);

  const m = first ?? { userId: '', event: '', timestamp: '' };
  return {
    mapping: { userId: m.userId, event: m.event, timestamp: m.timestamp, timestampFormat: format },
    window,
    accounting: {
      role: 'events',
      files,
      read,
      used: Number(counts.used),
      outOfWindow: Number(counts.oow),
      duplicates: Number(counts.dup),
      rejected: rejects.length,
    },
    rejects,
  };
}

async function stage(db: Db, raws: readonly RawTable[], mappings: readonly (FileMapping | null)[]): Promise<void> {
  const parts: string[] = [];
  raws.forEach((raw, i) => {
    const m = mappings[i];
    if (m === null) return;
    const t = (c: string) => raw.textSql(c);
    parts.push(
      `SELECT ${i} AS file_idx, ${raw.lineSql} AS line, ` +
        `${t(m.userId)} AS uid_raw, ${cleanText(t(m.userId))} AS uid, ` +
        `${t(m.event)} AS ev_raw, ${cleanText(t(m.event))} AS ev, ` +
        `${t(m.timestamp)} AS ts_raw, ${cleanText(t(m.timestamp))} AS ts_txt, ` +
        `${m.eventId === null ? 'CAST(NULL AS VARCHAR)' : cleanText(t(m.eventId))} AS dedupe_id ` +
        `FROM ${quoteIdent(raw.table)} r`,
    );
  });
  if (parts.length === 0) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGING} (file_idx INTEGER, line BIGINT, uid_raw VARCHAR, uid VARCHAR, ` +
        `ev_raw VARCHAR, ev VARCHAR, ts_raw VARCHAR, ts_txt VARCHAR, dedupe_id VARCHAR)`,
    );
  } else {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING} AS ${parts.join(' UNION ALL ')}`);
  }
  for (const raw of raws) await raw.drop();
}

async function judge(db: Db, format: TimestampFormat): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${JUDGED} AS ` +
      `WITH parsed AS (SELECT *, ${parseTimestampSql(format, 'ts_txt')} AS ts FROM ${STAGING}), ` +
      `checked AS (SELECT file_idx, line, uid, ev, ts, dedupe_id, ` +
      `CASE WHEN uid IS NULL THEN 'user' WHEN ev IS NULL THEN 'event' WHEN ts_txt IS NULL THEN 'ts_missing' ` +
      `WHEN ts IS NULL THEN 'ts_bad' END AS problem, ` +
      `CASE WHEN uid IS NULL THEN uid_raw WHEN ev IS NULL THEN ev_raw ELSE ts_raw END AS value FROM parsed) ` +
      // The first delivery of an event id (in file order) is kept; later ones are duplicates.
      `SELECT *, CASE WHEN problem IS NOT NULL THEN 'rejected' ` +
      `WHEN dedupe_id IS NOT NULL AND row_number() OVER (PARTITION BY problem IS NULL, dedupe_id ORDER BY file_idx, line) > 1 ` +
      `THEN 'duplicate' ELSE 'valid' END AS status FROM checked`,
  );
}

const ISO_OUT = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

/**
 * `window.days` ending at `window.end` (a date alone means the end of that day) or at the
 * latest valid event. Both bounds inclusive, microsecond-exact, as ISO strings.
 */
async function analysisWindow(db: Db, config: ResolvedConfig): Promise<AnalysisWindow> {
  const { days, end } = config.window;
  let endSql: string;
  if (end === null) {
    endSql = `(SELECT max(ts) FROM ${JUDGED} WHERE status = 'valid')`;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(end.trim())) {
    endSql = `(TRY_CAST(${quoteLiteral(end.trim())} AS DATE) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`;
  } else {
    endSql = parseTimestampSql('iso', quoteLiteral(end.trim()));
  }
  const span = `to_microseconds(CAST(${Math.round(days * 86_400_000_000)} AS BIGINT))`;
  const [row] = await db.all<{ e: string | null; s: string | null }>(
    `SELECT strftime(e, ${ISO_OUT}) AS e, strftime(e - ${span}, ${ISO_OUT}) AS s FROM (SELECT CAST(${endSql} AS TIMESTAMP) AS e)`,
  );
  if (row.e === null || row.s === null) {
    if (end !== null) throw errors.configInvalid(config.source ?? 'config', 'window.end', 'an ISO date or date-time', end);
    // Nothing valid to anchor the window on: every row was rejected or a duplicate.
    throw errors.noUsers();
  }
  const tidy = (s: string) => s.replace(/\.000000Z$/, 'Z');
  return { start: tidy(row.s), end: tidy(row.e), days };
}
