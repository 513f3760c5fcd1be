/**
 * The events table, judged in the warehouse the way ingest judges files (stages/ingest/judge.ts):
 * every row gets exactly one status — rejected (no user id, no event name, a missing or
 * unparseable timestamp, one before 1990 or in the future, a name longer than 1,000 characters,
 * a non-numeric value), duplicate (a later delivery of an event id), out of window, or used — so
 * read = used + out of window + duplicates + rejected by construction.
 *
 * Two passes over the table: one counts (and finds the window's end), one keeps the used rows in
 * a temporary table `segmint_events(user_id, event, ts, <value columns>)` that every later query
 * reads instead of the raw table.
 */
import type { ResolvedConfig, WarehouseInput } from '../config/types.js';
import { errors, warehouseErrors } from '../core/messages.js';
import { EVENT_ID_NAMES, EVENT_NAMES, TIMESTAMP_NAMES, USER_ID_NAMES, findColumn, resolveColumn } from '../stages/ingest/columns.js';
import { valueColumnsOf } from '../stages/ingest/events.js';
import { futureLimit, MAX_NAME_CHARS, OLDEST_PLAUSIBLE, withFirstEvent } from '../stages/ingest/judge.js';
import { findClockSkew, type DayCount } from '../stages/ingest/skew.js';
import { FORMAT_WORDS, rejectReason } from '../stages/ingest/plain.js';
import type { TimestampFormat } from '../stages/ingest/timestamps.js';
import { checkRejectRate } from '../stages/ingest/rejects.js';
import { epochUnit } from '../stages/ingest/timestamps.js';
import type { AnalysisWindow, EventColumnMapping, JudgedEvents, RejectedRow } from '../stages/ingest/types.js';
import { classify, describeTable, type WarehouseTable } from './catalog.js';
import { firstPresent, warehousePreset } from './presets.js';
import type { Warehouse } from './connection.js';
import { asText, byteOrder, cleanText, epochTimestamp, farOffset, ident, isNumberText, isoText, isoTimestamp, literal, minusDays, timestampLiteral } from './pgsql.js';
import { tidyIso } from '../core/isoTime.js';

/** The temporary table of used events (in the window, valid, deduplicated). */
export const EVENTS_TEMP = 'segmint_events';

/** Rejected rows listed in rejects.csv (all of them are counted). */
export const MAX_LISTED_REJECTS = 1000;

/** Value-feature columns are carried into the temporary table under their names. */
export interface WarehouseEvents extends JudgedEvents {
  readonly table: WarehouseTable;
  /** Users with a used event (valid, in the window): the users a run segments. */
  readonly users: number;
}

interface Check {
  readonly when: string;
  readonly code: string;
  readonly raw: string;
}

/**
 * Judge, window and keep the events; one line when the table or a column is missing, a column
 * has a type segmint cannot read, or too many rows are rejected.
 */
export async function judgeWarehouseEvents(wh: Warehouse, input: WarehouseInput['events'], config: ResolvedConfig, now: Date): Promise<WarehouseEvents> {
  const table = await describeTable(wh, input.table);
  const label = `table ${table.name}`;
  const names = table.columns.map((c) => c.name);
  const typeOf = (name: string) => classify(table.columns.find((c) => c.name === name)!.type);
  const rawType = (name: string) => table.columns.find((c) => c.name === name)!.type;

  // 1. Which column is which: the same names and rules as for files, or the vendor's columns
  //    with a preset (configured columns win either way).
  const { columns } = input;
  const preset = input.preset === null ? null : warehousePreset(input.preset);
  const userId = resolveColumn(label, 'user id', columns.userId, names, preset?.userIds ?? USER_ID_NAMES);
  // A preset's later user id columns (anonymous or device ids) stand in where the first is empty.
  const userFallbacks = preset && columns.userId === null ? preset.userIds.map((c) => firstPresent([c], names)).filter((c): c is string => c !== null && c !== userId) : [];
  const event = resolveColumn(label, 'event', columns.event, names, preset?.event ?? EVENT_NAMES);
  const timestamp = resolveColumn(label, 'timestamp', columns.timestamp, names, preset?.timestamp ?? TIMESTAMP_NAMES);
  const rest = names.filter((c) => c !== userId && c !== event && c !== timestamp);
  const eventId = columns.eventId !== null ? resolveColumn(label, 'event id', columns.eventId, names, []) : findColumn(rest, preset?.eventId ?? EVENT_ID_NAMES);
  const valueColumns = valueColumnsOf(config);
  const valueSources = valueColumns.map((c) => resolveColumn(label, 'value', c, names, []));
  for (const [role, c] of [['user id', userId], ...userFallbacks.map((f) => ['user id', f] as const), ['event', event]] as const) {
    if (!['text', 'number'].includes(typeOf(c))) throw warehouseErrors.columnType(table.name, c, role, rawType(c), 'text or numbers');
  }
  for (const c of valueSources) {
    if (!['text', 'number'].includes(typeOf(c))) throw warehouseErrors.columnType(table.name, c, 'value', rawType(c), 'numbers');
  }

  // 2. How to read the timestamp.
  const col = (c: string) => `x.${ident(c)}`;
  const text = (c: string) => (typeOf(c) === 'text' ? col(c) : asText(col(c)));
  const ts = await timestampSql(wh, table, timestamp, typeOf(timestamp));

  // 3. The judged relation: cleaned values, the first problem of each row, then its status.
  const checks: Check[] = [
    { when: `uid IS NULL AND uid_raw IS NOT NULL AND trim(uid_raw) <> ''`, code: 'user_na', raw: 'uid_raw' },
    { when: 'uid IS NULL', code: 'user', raw: 'uid_raw' },
    { when: `ev IS NULL AND ev_raw IS NOT NULL AND trim(ev_raw) <> ''`, code: 'event_na', raw: 'ev_raw' },
    { when: 'ev IS NULL', code: 'event', raw: 'ev_raw' },
    { when: 'ts_missing', code: 'ts_missing', raw: 'ts_raw' },
    { when: 'ts_far_offset', code: 'ts_offset', raw: 'ts_raw' },
    { when: 'ts IS NULL', code: 'ts_bad', raw: 'ts_raw' },
    { when: `length(uid) > ${MAX_NAME_CHARS}`, code: 'user_long', raw: 'uid_raw' },
    { when: `length(ev) > ${MAX_NAME_CHARS}`, code: 'event_long', raw: 'ev_raw' },
    { when: `ts < TIMESTAMP '${OLDEST_PLAUSIBLE} 00:00:00'`, code: 'ts_old', raw: 'ts_raw' },
    { when: `ts > ${timestampLiteral(futureLimit(now))}`, code: 'ts_future', raw: 'ts_raw' },
    ...valueSources.map((c, k): Check =>
      typeOf(c) === 'text'
        ? { when: `w${k} IS NOT NULL AND NOT (${isNumberText(`w${k}`)})`, code: `value_${k}`, raw: `w${k}` }
        : { when: `v${k} IN ('NaN', 'Infinity', '-Infinity')`, code: `value_${k}`, raw: `CAST(v${k} AS TEXT)` },
    ),
  ];
  const values = valueSources
    .map((c, k) => (typeOf(c) === 'text' ? `, ${cleanText(col(c))} AS w${k}, CAST(NULL AS DOUBLE PRECISION) AS v${k}` : `, NULL AS w${k}, CAST(${col(c)} AS DOUBLE PRECISION) AS v${k}`))
    .join('');
  const uids = [userId, ...userFallbacks];
  const uid = uids.length === 1 ? cleanText(text(userId)) : `coalesce(${uids.map((c) => cleanText(text(c))).join(', ')})`;
  const uidRaw = uids.length === 1 ? text(userId) : `coalesce(${uids.map((c) => `nullif(trim(${text(c)}), '')`).join(', ')}, ${text(userId)})`;
  // The vendor's name (kept for the set-aside list) and the canonical one (page/screen views renamed).
  const renames = Object.entries(preset?.renamedEvents ?? {});
  const evClean = cleanText(text(event));
  const ev = renames.length === 0 ? evClean : `CASE ${evClean} ${renames.map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`).join(' ')} ELSE ${evClean} END`;
  const internal = preset && preset.internalEvents.length > 0 && !config.features.includeInternalEvents
    ? `coalesce(${evClean} IN (${preset.internalEvents.map(literal).join(', ')}), FALSE)`
    : 'FALSE';
  const cleaned =
    `SELECT ${uid} AS uid, ${uidRaw} AS uid_raw, ${ev} AS ev, ${text(event)} AS ev_raw, ${evClean} AS vendor_ev, ${internal} AS internal, ` +
    `${ts.raw} AS ts_raw, ${ts.missing} AS ts_missing, ${ts.farOffset} AS ts_far_offset, ${ts.parsed} AS ts, ` +
    `${eventId === null ? 'CAST(NULL AS TEXT)' : cleanText(text(eventId))} AS dedupe_id${values} FROM ${table.sql} x`;
  const problems =
    `SELECT p.*, CASE ${checks.map((c) => `WHEN ${c.when} THEN '${c.code}'`).join(' ')} END AS problem, ` +
    `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${c.raw}`).join(' ')} END AS problem_value FROM (${cleaned}) p`;
  // A value column held as text is read as a number once it passed its check.
  const finalValues = valueSources.map((c, k) => (typeOf(c) === 'text' ? `CASE WHEN problem IS NULL THEN CAST(w${k} AS DOUBLE PRECISION) END` : `v${k}`));
  // A duplicate repeats an earlier row's event id, user, event and time (see judge.ts).
  const duplicate = eventId === null
    ? 'FALSE'
    : `dedupe_id IS NOT NULL AND row_number() OVER (PARTITION BY problem IS NULL, dedupe_id, uid, ev, ts ORDER BY ts, ${byteOrder('ev')}, ${byteOrder('uid')}) > 1`;
  const judged =
    `segmint_judged AS (SELECT uid, ev, ts${finalValues.map((v, k) => `, ${v} AS v${k}`).join('')}, ` +
    `vendor_ev, CASE WHEN problem IS NOT NULL THEN 'rejected' WHEN ${duplicate} THEN 'duplicate' WHEN internal THEN 'set_aside' ELSE 'valid' END AS status FROM (${problems}) q)`;

  // 4. Count, and find the window: `window.days` ending at window.end or the latest valid event.
  const days = config.window.days;
  const end = windowEndSql(config.window.end);
  const inWindow = `ts BETWEEN ${minusDays('w.e', days)} AND w.e`;
  // Counted per user first, as for files (judge.ts): the users the window leaves out (no valid
  // row inside, some before it) come from the same pass.
  const [c] = await wh.query<{ read: string | null; rejected: string; duplicates: string; aside: string; used: string; oow: string; users: string; users_oow: string; first: string | null; e: string | null; s: string | null }>(
    `WITH ${judged}, w AS (SELECT CAST(${end} AS TIMESTAMP) AS e FROM (SELECT max(ts) FILTER (WHERE status = 'valid') AS latest FROM segmint_judged) m), ` +
      `per_user AS (SELECT count(*) AS read, count(*) FILTER (WHERE status = 'rejected') AS rejected, count(*) FILTER (WHERE status = 'duplicate') AS duplicates, ` +
      `count(*) FILTER (WHERE status = 'set_aside') AS aside, ` +
      `count(*) FILTER (WHERE status = 'valid' AND ${inWindow}) AS used, count(*) FILTER (WHERE status = 'valid' AND NOT (${inWindow})) AS oow, ` +
      `count(*) FILTER (WHERE status = 'valid' AND ts < ${minusDays('w.e', days)}) AS early, ` +
      `min(ts) FILTER (WHERE status = 'valid' AND ${inWindow}) AS first ` +
      `FROM segmint_judged CROSS JOIN w GROUP BY uid) ` +
      `SELECT sum(read) AS read, sum(rejected) AS rejected, sum(duplicates) AS duplicates, sum(aside) AS aside, sum(used) AS used, sum(oow) AS oow, ` +
      `count(*) FILTER (WHERE used > 0) AS users, count(*) FILTER (WHERE used = 0 AND early > 0) AS users_oow, ${isoText('min(first)')} AS first, ` +
      `(SELECT ${isoText('w.e')} FROM w) AS e, (SELECT ${isoText(minusDays('w.e', days))} FROM w) AS s FROM per_user`,
  );
  const read = Number(c.read);
  if (read === 0) throw errors.emptyInput(label, 'events');
  const rejected = Number(c.rejected);

  // 5. Rejected rows: the first ones listed (all when the run goes on), then the reject-rate limit.
  let rejects: RejectedRow[] = [];
  if (rejected > 0) {
    const over = rejected / read > config.output.maxRejectRate;
    const rows = await wh.query<{ problem: string; value: string | null }>(
      `SELECT problem, left(problem_value, 1000) AS value FROM (${problems}) q WHERE problem IS NOT NULL ` +
        `ORDER BY problem, ${byteOrder('problem_value')} NULLS FIRST LIMIT ${over ? 3 : MAX_LISTED_REJECTS}`,
    );
    const reason = reasons({ userId: uids.join(' or '), event, timestamp, values: valueSources, now, format: ts.format });
    rejects = rows.map((r, i) => ({ file: table.name, line: i + 1, value: r.value ?? '', reason: reason(r.problem) }));
    checkRejectRate('events', rejects, read, config.output.maxRejectRate, rejected);
  }
  // Ending at the latest event, the window is checked for a clock running ahead (skew.ts).
  if (config.window.end === null) {
    const perDay = await wh.query<{ day: number; events: string; first: string; last: string }>(
      `WITH ${judged} SELECT CAST(ts AS date) - DATE '1970-01-01' AS day, count(*) AS events, ${isoText('min(ts)')} AS first, ${isoText('max(ts)')} AS last ` +
        `FROM segmint_judged WHERE status = 'valid' GROUP BY 1`,
    );
    const skew = findClockSkew(perDay.map((d): DayCount => ({ day: Number(d.day), events: Number(d.events), first: tidyIso(d.first), last: tidyIso(d.last) })), days);
    if (skew !== null) throw errors.clockSkew(skew);
  }
  if (c.e === null || c.s === null) {
    if (config.window.end !== null) throw errors.configInvalid(config.source ?? 'config', 'window.end', 'an ISO date or date-time', config.window.end);
    throw errors.noUsers();
  }
  const window: AnalysisWindow = withFirstEvent({ start: tidyIso(c.s), end: tidyIso(c.e), days }, c.first);

  // 6. Keep the used rows for the features.
  const kept = valueColumns.map((name, k) => `, v${k} AS ${ident(name)}`).join('');
  await wh.run(
    `CREATE TEMPORARY TABLE ${EVENTS_TEMP} AS WITH ${judged} SELECT uid AS user_id, ev AS event, ts${kept} FROM segmint_judged ` +
      `WHERE status = 'valid' AND ts BETWEEN ${timestampLiteral(c.s)} AND ${timestampLiteral(c.e)}`,
  );
  await wh.run(`ANALYZE ${EVENTS_TEMP}`);

  // 7. With a preset: which vendor bookkeeping events were set aside.
  const aside = Number(c.aside);
  const setAside =
    aside === 0
      ? []
      : (
          await wh.query<{ event: string; rows: string }>(
            `WITH ${judged} SELECT vendor_ev AS event, count(*) AS rows FROM segmint_judged WHERE status = 'set_aside' GROUP BY 1 ORDER BY 2 DESC, ${byteOrder('vendor_ev')}`,
          )
        ).map((r) => ({ event: r.event, rows: Number(r.rows) }));

  return {
    table,
    mapping: { userId: [userId, ...userFallbacks].join(' or '), event, timestamp, timestampFormat: ts.format, eventId },
    window,
    accounting: {
      role: 'events',
      files: [table.name],
      read,
      used: Number(c.used),
      outOfWindow: Number(c.oow),
      // Absent when none, as for files.
      ...(Number(c.users_oow) > 0 ? { usersOutOfWindow: Number(c.users_oow) } : {}),
      duplicates: Number(c.duplicates),
      rejected,
      ...(preset ? { setAside: aside } : {}),
    },
    users: Number(c.users),
    rejects,
    valueColumns,
    setAside,
  };
}

/** SQL for a configured window end (a date alone is the end of that day), or the latest valid event. */
function windowEndSql(end: string | null): string {
  if (end === null) return 'm.latest';
  const t = end.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `(CAST(${literal(t)} AS DATE) + INTERVAL '1 day' - INTERVAL '1 microsecond')`;
  return `(CAST(${literal(t)} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`;
}

interface TimestampSql {
  readonly format: EventColumnMapping['timestampFormat'];
  /** The raw value as text (for rejects). */
  readonly raw: string;
  /** True when the value is missing. */
  readonly missing: string;
  /** The UTC TIMESTAMP, NULL when it does not parse. */
  readonly parsed: string;
  /** True when the value is a date-time with an offset beyond ±14:00 (rejected as such, as ingest does). */
  readonly farOffset: string;
}

/** How to read the timestamp column, by its type (epoch units from the values' magnitude, as for files). */
async function timestampSql(wh: Warehouse, table: WarehouseTable, column: string, cls: ReturnType<typeof classify>): Promise<TimestampSql> {
  const c = `x.${ident(column)}`;
  const nativeMissing = `${c} IS NULL`;
  switch (cls) {
    case 'timestamp':
      return { format: 'timestamp', raw: asText(c), missing: nativeMissing, parsed: c, farOffset: 'FALSE' };
    case 'timestamptz':
      return { format: 'timestamp', raw: asText(c), missing: nativeMissing, parsed: `(${c} AT TIME ZONE 'UTC')`, farOffset: 'FALSE' };
    case 'date':
      return { format: 'timestamp', raw: asText(c), missing: nativeMissing, parsed: `CAST(${c} AS TIMESTAMP)`, farOffset: 'FALSE' };
    case 'text': {
      const clean = cleanText(c);
      return { format: 'iso', raw: c, missing: `${clean} IS NULL`, parsed: isoTimestamp(clean), farOffset: farOffset(clean) };
    }
    case 'number': {
      const [row] = await wh.query<{ m: number | null }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(CAST(${ident(column)} AS DOUBLE PRECISION))) AS m FROM ${table.sql}`,
      );
      const unit = row?.m === null || row?.m === undefined ? null : epochUnit(Number(row.m));
      if (unit === null || unit === 'iso' || unit === 'timestamp') throw errors.timestampUnparseable(`table ${table.name}`, column, String(row?.m ?? 'no values'));
      const micros = unit === 'epoch_s' ? 1_000_000 : unit === 'epoch_ms' ? 1_000 : 1;
      return { format: unit, raw: asText(c), missing: nativeMissing, parsed: epochTimestamp(c, micros), farOffset: 'FALSE' };
    }
    default: {
      const type = table.columns.find((x) => x.name === column)!.type;
      throw warehouseErrors.columnType(table.name, column, 'timestamp', type, 'a timestamp, a date, ISO 8601 text or epoch numbers');
    }
  }
}

/** Reject reasons in the words ingest uses for files (one wording for every source). */
function reasons(m: { userId: string; event: string; timestamp: string; values: readonly string[]; now: Date; format: TimestampFormat }): (code: string) => string {
  return (code) => rejectReason(code, { ...m, format: FORMAT_WORDS[m.format] });
}
