/**
 * Judging event rows, whatever they were read from (plain columns or a vendor preset). Both
 * readers leave one staging table with the same columns:
 *
 *   file_idx INTEGER, line BIGINT   -- where the row came from
 *   uid VARCHAR, ev VARCHAR, ts TIMESTAMP
 *   dedupe_id VARCHAR               -- rows sharing one, and uid, ev and ts, are the same event delivered twice
 *                                      (only when `dedupe`)
 *   internal BOOLEAN, vendor_event VARCHAR   -- (only when `vendor`)
 *   problem VARCHAR, value VARCHAR  -- the first problem found, and the raw value it is about
 *   v0 … vN DOUBLE                  -- value-feature columns
 *
 * Every row then gets exactly one status — rejected, duplicate, set aside (vendor-internal),
 * out of window or used — so the accounting adds up by construction.
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import { MAX_VALUE_CHARS, type MalformedRow } from './read.js';
import { checkRejectRate, mergeRejects } from './rejects.js';
import { findClockSkew, type DayCount } from './skew.js';
import { parseTimestampSql } from './timestamps.js';
import type { AnalysisWindow, JudgedEvents, RowAccounting } from './types.js';
import { tidyIso } from '../../core/isoTime.js';

/** The staging table vendor presets fill. */
export const STAGING = 'ingest_stg_events';
const JUDGED = 'ingest_judged_events';

/** Events before this are taken for broken clocks or placeholder dates (1970-01-01, 1900-01-01). */
export const OLDEST_PLAUSIBLE = '1990-01-01';

/** Events more than this many days after the run starts are taken for clocks set ahead (`ts_future`). */
export const FUTURE_TOLERANCE_DAYS = 1;

/** Ids and event names longer than this are not names but data that landed in the wrong column. */
export const MAX_NAME_CHARS = 1000;

/** Problem code prefix of a value column holding a non-finite number (`1e309`, `inf`), then its index. */
export const NON_FINITE = 'nonfinite_';

/** Reject reason for a value that is a number but not a finite one; `column` names where it was. */
export const nonFiniteReason = (column: string): string =>
  `infinite or out-of-range number (${column}, used by a value feature)`;

/** One check on a staged row: when `when` holds, the row is rejected with `code`, quoting `raw`. */
export interface Check {
  readonly when: string;
  /** SQL giving the problem code (usually a literal). */
  readonly code: string;
  readonly raw: string;
}

/**
 * The checks every source shares, after its own: over-long ids and names, implausible or future
 * times, non-numeric and non-finite values. `ts` is the parsed TIMESTAMP, `values[k]` the cleaned text of value
 * column k.
 */
export function commonChecks(
  parts: { uid: string; uidRaw: string; ev: string; evRaw: string; ts: string; tsRaw: string; values: readonly { txt: string; raw: string }[] },
  now: Date,
): Check[] {
  const future = new Date(now.getTime() + FUTURE_TOLERANCE_DAYS * 86_400_000).toISOString();
  const checks: Check[] = [
    { when: `length(${parts.uid}) > ${MAX_NAME_CHARS}`, code: `'user_long'`, raw: parts.uidRaw },
    { when: `length(${parts.ev}) > ${MAX_NAME_CHARS}`, code: `'event_long'`, raw: parts.evRaw },
    { when: `${parts.ts} < TIMESTAMP '${OLDEST_PLAUSIBLE}'`, code: `'ts_old'`, raw: parts.tsRaw },
    { when: `${parts.ts} > CAST(${quoteLiteral(future)} AS TIMESTAMPTZ) AT TIME ZONE 'UTC'`, code: `'ts_future'`, raw: parts.tsRaw },
  ];
  parts.values.forEach((v, k) => {
    const d = `TRY_CAST(${v.txt} AS DOUBLE)`;
    checks.push({ when: `${v.txt} IS NOT NULL AND ${d} IS NULL`, code: `'value_${k}'`, raw: v.raw });
    // `1e309`, `inf`: numbers a double cannot hold would become Infinity in every sum and mean.
    checks.push({ when: `NOT isfinite(${d})`, code: `'${NON_FINITE}${k}'`, raw: v.raw });
  });
  return checks;
}

/** SQL for the `problem` and `value` columns: the first check that holds, in order. */
export function problemSql(checks: readonly Check[]): { problem: string; value: string } {
  if (checks.length === 0) return { problem: 'CAST(NULL AS VARCHAR)', value: 'CAST(NULL AS VARCHAR)' };
  const problem = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${c.code}`).join(' ')} END`;
  const value = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${c.raw}`).join(' ')} END`;
  return { problem, value };
}

/**
 * SQL for the `value` column from an already computed `problem` column (`problemSql`'s problem,
 * selected under that name): the checks are not evaluated a second time, and only the rows with
 * a problem look up their raw value. Needs every check's code to be a distinct literal.
 */
export function valueOfProblemSql(checks: readonly Check[], problem = 'problem'): string {
  const codes = checks.map((c) => c.code);
  if (codes.some((c) => !/^'[a-z0-9_]+'$/.test(c)) || new Set(codes).size !== codes.length) {
    throw new Error('valueOfProblemSql needs distinct literal codes');
  }
  if (checks.length === 0) return 'CAST(NULL AS VARCHAR)';
  return `CASE WHEN ${problem} IS NULL THEN NULL ELSE (CASE ${problem} ${checks.map((c) => `WHEN ${c.code} THEN ${c.raw}`).join(' ')} END) END`;
}

/** The time limit `ts_future` uses, for its reject reason. */
export function futureLimit(now: Date): string {
  return new Date(now.getTime() + FUTURE_TOLERANCE_DAYS * 86_400_000).toISOString().replace(/\.000Z$/, 'Z');
}

export interface JudgeInput {
  /** The staged rows: a table, or a view over one table per file. */
  readonly staging: string;
  readonly files: readonly string[];
  /** Rows the file readers rejected, per file. */
  readonly malformed: readonly (readonly MalformedRow[])[];
  readonly read: number;
  /** Value-feature columns: staged as v0…vN, named like this in `events`. */
  readonly valueColumns: readonly string[];
  /** Count vendor-internal rows as behaviour. */
  readonly includeInternal: boolean;
  /** Whether any row can be internal at all (a preset); without one, no `setAside` is reported. */
  readonly vendor: boolean;
  /** Whether any row has a dedupe id; without one the (costly) duplicate search is skipped. */
  readonly dedupe: boolean;
  /** The staged rows are in file order (see PlainStaged.inFileOrder). */
  readonly inFileOrder: boolean;
  reasonFor(fileIdx: number, problem: string): string;
  /**
   * The line (as an editor shows it) of a staged row from its `line` column, which may hold a
   * position among the rows read instead (files read in place).
   */
  lineOf(fileIdx: number, line: number): number;
  /**
   * Drop the staging relation (a table or a view over tables) once `events` no longer needs it;
   * not called when `events` is a view of it. The caller drops it when judging fails.
   */
  dropStaging(): Promise<void>;
}

/** Rows set aside are listed most first, ties by name. */
export type JudgeOutcome = Pick<JudgedEvents, 'window' | 'accounting' | 'rejects' | 'setAside'>;

/**
 * Judge the staged rows, check the reject rate, window them and create `events`.
 *
 * @example
 * const out = await judgeEvents(db, input, config);
 * out.accounting; // { role: 'events', read: 45, used: 30, outOfWindow: 0, duplicates: 1, rejected: 0, setAside: 14, … }
 */
export async function judgeEvents(db: Db, input: JudgeInput, config: ResolvedConfig): Promise<JudgeOutcome> {
  // 1. One status per row. The first delivery of an event (in file order) is kept; later ones are
  //    duplicates. A delivery is the same event when it repeats the event id AND the user, event
  //    and time (Mixpanel's own dedupe key): rows that share only an id are different events —
  //    Amplitude's `event_id` counts per device, a daily extract's row number restarts every file —
  //    and taking them for re-deliveries dropped 98% of such a file without an error. Internal
  //    rows are set aside after deduplication, so a re-delivered identify counts as a duplicate
  //    like any other row.
  // Columns a source cannot fill are left out of its staging table (constant columns cost a
  // fifth of staging on 1M rows): no `internal` without a preset, no `dedupe_id` without an id.
  const setAsideWhen = input.includeInternal || !input.vendor ? 'FALSE' : 'internal';
  const duplicateWhen = input.dedupe
    ? 'dedupe_id IS NOT NULL AND row_number() OVER (PARTITION BY problem IS NULL, dedupe_id, uid, ev, ts ORDER BY file_idx, line) > 1'
    : 'FALSE';
  // Without a dedupe id a row's status reads only the row itself, so a view does: copying every
  // row once more cost as much as the final table. The duplicate search needs the table.
  const judgedSql = `SELECT *, CASE WHEN problem IS NOT NULL THEN 'rejected' ` +
    `WHEN ${duplicateWhen} THEN 'duplicate' WHEN ${setAsideWhen} THEN 'set_aside' ELSE 'valid' END AS status FROM ${input.staging}`;
  if (input.dedupe) {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${JUDGED} AS ${judgedSql}`);
    await input.dropStaging();
  } else {
    await db.run(`CREATE OR REPLACE TEMP VIEW ${JUDGED} AS ${judgedSql}`);
  }

  // 2. Rejects: counted first, so a run over the limit never pulls millions of them into memory.
  const [{ n: judgedCount }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${JUDGED} WHERE status = 'rejected'`);
  const malformedCount = input.malformed.reduce((s, m) => s + m.length, 0);
  const rejectedCount = Number(judgedCount) + malformedCount;
  const over = input.read > 0 && rejectedCount / input.read > config.output.maxRejectRate;
  const judged = await db.all<{ f: number; line: number; problem: string; value: string | null; cut: boolean }>(
    `SELECT file_idx AS f, line, problem, left(value, ${MAX_VALUE_CHARS}) AS value, length(value) > ${MAX_VALUE_CHARS} AS cut ` +
      `FROM ${JUDGED} WHERE status = 'rejected' ORDER BY file_idx, line${over ? ' LIMIT 3' : ''}`,
  );
  const rejects = mergeRejects(
    input.malformed,
    judged.map((r) => ({
      fileIdx: Number(r.f),
      line: input.lineOf(Number(r.f), Number(r.line)),
      value: (r.value ?? '') + (r.cut ? '…' : ''),
      reason: input.reasonFor(Number(r.f), r.problem),
    })),
    input.files,
  );
  checkRejectRate('events', rejects, input.read, config.output.maxRejectRate, rejectedCount);

  // 3. The window, then the final table.
  const window = await analysisWindow(db, config);
  const inWindow = `ts BETWEEN CAST(${quoteLiteral(window.start)} AS TIMESTAMP) AND CAST(${quoteLiteral(window.end)} AS TIMESTAMP)`;
  const values = input.valueColumns.map((c, k) => `, v${k} AS ${quoteIdent(c)}`).join('');
  // `events` keeps file order. Staged rows already in it stay in it through the view (DuckDB keeps
  // insertion order); the rest are sorted — sorting every row cost a fifth of ingest on 1M rows.
  // Rows in order with nothing to deduplicate or set aside need no copy at all: `events` is then
  // a view of the staged rows (a copy of every used row cost 0.1 s per million and its memory).
  const sorted = input.dedupe || !input.inFileOrder;
  const asView = !sorted && !input.vendor;
  await dropEvents(db);
  await db.run(
    `CREATE ${asView ? 'TEMP VIEW' : 'TABLE'} events AS SELECT uid AS user_id, ev AS event, ts${values} ` +
      `FROM ${asView ? `${input.staging} WHERE problem IS NULL` : `${JUDGED} WHERE status = 'valid'`} AND ${inWindow}${sorted ? ' ORDER BY file_idx, line' : ''}`,
  );
  // Counted per user first: the users the window leaves out come from the same grouping (two
  // DISTINCT counts of users over every row cost twice as much). Left out = no valid row inside
  // and some before it; a user whose rows all come after an as-of end had not started by then.
  const [counts] = await db.all<{ used: number; oow: number; dup: number; aside: number; users_oow: number; first: string | null }>(
    `SELECT sum(used) AS used, sum(oow) AS oow, sum(dup) AS dup, sum(aside) AS aside, count(*) FILTER (WHERE used = 0 AND early > 0) AS users_oow, ` +
      `strftime(min(first), ${ISO_OUT}) AS first ` +
      `FROM (SELECT count_if(status = 'valid' AND ${inWindow}) AS used, count_if(status = 'valid' AND NOT (${inWindow})) AS oow, ` +
      `min(ts) FILTER (WHERE status = 'valid' AND ${inWindow}) AS first, ` +
      `count_if(status = 'valid' AND ts < CAST(${quoteLiteral(window.start)} AS TIMESTAMP)) AS early, ` +
      `count_if(status = 'duplicate') AS dup, count_if(status = 'set_aside') AS aside FROM ${JUDGED} GROUP BY uid)`,
  );
  const setAside = !input.vendor
    ? []
    : await db.all<{ event: string; rows: number }>(
        `SELECT coalesce(vendor_event, ev) AS event, count(*) AS rows FROM ${JUDGED} WHERE status = 'set_aside' ` +
          `GROUP BY 1 ORDER BY 2 DESC, 1`,
      );
  await db.run(input.dedupe ? `DROP TABLE IF EXISTS ${JUDGED}` : `DROP VIEW IF EXISTS ${JUDGED}`);
  // With a dedupe id the staging went as soon as the judged table held its rows.
  if (!asView && !input.dedupe) await input.dropStaging();

  const accounting: RowAccounting = {
    role: 'events',
    files: input.files,
    read: input.read,
    used: Number(counts.used),
    outOfWindow: Number(counts.oow),
    // Absent when none, like setAside: most runs lose no user to the window.
    ...(Number(counts.users_oow) > 0 ? { usersOutOfWindow: Number(counts.users_oow) } : {}),
    duplicates: Number(counts.dup),
    rejected: rejectedCount,
    ...(input.vendor ? { setAside: Number(counts.aside) } : {}),
  };
  return { window: withFirstEvent(window, counts.first), accounting, rejects, setAside: setAside.map((r) => ({ event: r.event, rows: Number(r.rows) })) };
}

/**
 * Drop `events`, whichever it is: a table, or a view of the staging tables (an earlier ingest
 * into the same database). A temp view would otherwise hide a new table of the same name.
 */
async function dropEvents(db: Db): Promise<void> {
  const found = await db.all<{ kind: string }>(
    `SELECT 'VIEW' AS kind FROM duckdb_views() WHERE view_name = 'events' AND NOT internal ` +
      `UNION ALL SELECT 'TABLE' AS kind FROM duckdb_tables() WHERE table_name = 'events'`,
  );
  for (const { kind } of found) await db.run(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} events`);
}

const ISO_OUT = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

/**
 * `window.days` ending at `window.end` (a date alone means the end of that day) or at the
 * latest valid event. Both bounds inclusive, microsecond-exact, as ISO strings.
 */
async function analysisWindow(db: Db, config: ResolvedConfig): Promise<AnalysisWindow> {
  const { days, end } = config.window;
  if (end === null) await checkClockSkew(db, days);
  const endSql = end === null ? `(SELECT max(ts) FROM ${JUDGED} WHERE status = 'valid')` : windowEndSql(end);
  const window = await windowFrom(db, endSql, days);
  if (window === null) {
    if (end !== null) throw errors.configInvalid(config.source ?? 'config', 'window.end', 'an ISO date or date-time', end);
    // Nothing valid to anchor the window on: every row was rejected, a duplicate or set aside.
    throw errors.noUsers();
  }
  return window;
}

/** Stops the run when the latest valid events look like clock skew (skew.ts), from a count per day. */
async function checkClockSkew(db: Db, windowDays: number): Promise<void> {
  const days = await db.all<DayCount>(
    `SELECT d - DATE '1970-01-01' AS day, count(*) AS events, strftime(min(ts), ${ISO_OUT}) AS first, strftime(max(ts), ${ISO_OUT}) AS last ` +
      `FROM (SELECT CAST(ts AS DATE) AS d, ts FROM ${JUDGED} WHERE status = 'valid') GROUP BY d`,
  );
  const skew = findClockSkew(days.map((d) => ({ day: Number(d.day), events: Number(d.events), first: tidyIso(d.first), last: tidyIso(d.last) })), windowDays);
  if (skew !== null) throw errors.clockSkew(skew);
}

/**
 * The window with the earliest used event (an ISO string from the database, or null), when the
 * log begins clearly inside the window: more than a day and more than 5% of its days after its
 * start (a sample whose window starts at 23:45 and whose events begin the next morning is not
 * news). The window as it is otherwise.
 */
export function withFirstEvent(window: AnalysisWindow, first: string | null): AnalysisWindow {
  if (first === null) return window;
  const firstEvent = tidyIso(first);
  const lateBy = Date.parse(firstEvent) - Date.parse(window.start);
  return lateBy > Math.max(1, 0.05 * window.days) * 86_400_000 ? { ...window, firstEvent } : window;
}

/** SQL for a configured window end: a date alone is the end of that day. */
export function windowEndSql(end: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(end.trim())) {
    return `(TRY_CAST(${quoteLiteral(end.trim())} AS DATE) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`;
  }
  return parseTimestampSql('iso', quoteLiteral(end.trim()));
}

/** The `days`-day window ending at the TIMESTAMP `endSql`, or null when that is NULL. */
export async function windowFrom(db: Db, endSql: string, days: number): Promise<AnalysisWindow | null> {
  const span = `to_microseconds(CAST(${Math.round(days * 86_400_000_000)} AS BIGINT))`;
  const [row] = await db.all<{ e: string | null; s: string | null }>(
    `SELECT strftime(e, ${ISO_OUT}) AS e, strftime(e - ${span}, ${ISO_OUT}) AS s FROM (SELECT CAST(${endSql} AS TIMESTAMP) AS e)`,
  );
  if (row.e === null || row.s === null) return null;
  return { start: tidyIso(row.s), end: tidyIso(row.e), days };
}
