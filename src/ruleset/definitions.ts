/**
 * Feature definitions from meanings: for every {@link FeatureMeaning} kind, what it counts in
 * plain words and how to recompute it in SQL from raw tables — one definition, rendered for each
 * dialect through {@link DialectOps}. The SQL reproduces the features stage
 * (`src/stages/features/**`) exactly:
 *
 *   - the window is the run's length in days ending at the as-of time E, both ends included
 *     (events outside it are not seen at all);
 *   - "days since" values are whole days (floor) from the event to E; calendar days are UTC;
 *   - hour bands and weekends are UTC; sessions split at gaps longer than the gap minutes;
 *   - "recent" is `ts > E − days`;
 *   - on raw tables, rows a run would reject for their time (before 1990, or more than a day after
 *     the statement runs: ingest's `ts_old` / `ts_future`) are not seen either, so one device
 *     clock set to 2031 cannot become E.
 *
 * The query is built from four relations, like the stage's:
 *   as_of — one row, `e` = E (a literal, or the latest event when no as-of is given);
 *   ev   — the events in the window, with E carried along;
 *   b    — one row per user: the aggregates the requested features need;
 *   s    — sessions per user (only when a session feature is requested);
 * then the feature expressions over b, s and the users / accounts tables.
 */
import { assertUnreachable } from '../core/errors.js';
import { HOUR_BANDS, attributeWords, labelOf, type EventSelector, type FeatureMeaning } from '../core/meaning.js';
import { FUTURE_TOLERANCE_DAYS, OLDEST_PLAUSIBLE } from '../stages/ingest/judge.js';
import type { DialectOps } from './dialect.js';

const DAY_US = 86_400_000_000;

/** A peak day is judged against the days this close to it (a week either side). */
const PEAK_NEIGHBOURHOOD_DAYS = 7;

/** Where the raw data lives and what its key columns are called. */
export interface RawTables {
  readonly events: {
    readonly table: readonly string[];
    readonly userId: string;
    readonly event: string;
    readonly timestamp: string;
    /**
     * Whether ingest judged these rows already (implausible times rejected). The queries leave
     * such rows out of a table that was not judged themselves, as of the time they run.
     */
    readonly judged: boolean;
  };
  readonly users: { readonly table: readonly string[]; readonly key: string; readonly accountKey: string };
  readonly accounts: { readonly table: readonly string[]; readonly key: string };
}

/** The warehouse layout exported SQL expects (table names overridable). */
export const WAREHOUSE_TABLES: RawTables = {
  events: { table: ['events'], userId: 'user_id', event: 'event', timestamp: 'timestamp', judged: false },
  users: { table: ['users'], key: 'user_id', accountKey: 'account_id' },
  accounts: { table: ['accounts'], key: 'account_id' },
};

/** The tables `ingest` leaves in DuckDB (`events.ts`, keys renamed to user_id / account_id). */
export const INGESTED_TABLES: RawTables = {
  events: { table: ['events'], userId: 'user_id', event: 'event', timestamp: 'ts', judged: true },
  users: { table: ['users'], key: 'user_id', accountKey: 'account_id' },
  accounts: { table: ['accounts'], key: 'account_id' },
};

/**
 * A window's end (ISO, `…Z`) as a Frame's `asOf` text, `YYYY-MM-DD HH:MM:SS.ffffff`.
 *
 * @example
 * windowEndLiteral({ end: '2026-11-30T23:59:58Z' }); // '2026-11-30 23:59:58.000000'
 */
export const windowEndLiteral = (window: { readonly end: string }): string =>
  window.end.replace('T', ' ').replace(/Z$/, '').replace(/^(.{19})(?:\.(\d+))?$/, (_, s: string, f?: string) => `${s}.${(f ?? '').padEnd(6, '0')}`);

/** What the features are computed over. */
export interface Frame {
  readonly ops: DialectOps;
  readonly tables: RawTables;
  /** The window's length in whole days, ending at E. */
  readonly windowDays: number;
  /** E as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), or null for the latest usable event in the events table. */
  readonly asOf: string | null;
}

export interface NamedMeaning {
  /** The feature's column name in the run (the name rules use). */
  readonly name: string;
  readonly meaning: FeatureMeaning;
}

/** The parts of a per-user feature query: CTEs, and a SELECT producing `user_id` + one column per feature. */
export interface FeatureRelation {
  readonly ctes: readonly string[];
  readonly select: string;
}

/** Collects the aggregates of relation `b`, each once, under a stable alias. */
class Aggregates {
  readonly list: [alias: string, sql: string][] = [];
  private readonly bySql = new Map<string, string>();
  sessions = false;
  /** Whether events carry `on_peak` (1 on a peak day), for the share of events on peak days. */
  peak = false;
  users = false;
  accounts = false;
  readonly values: string[] = [];
  add(prefix: string, sql: string): string {
    const known = this.bySql.get(sql);
    if (known) return `b.${known}`;
    const alias = `${prefix}_${this.list.length}`;
    this.list.push([alias, sql]);
    this.bySql.set(sql, alias);
    return `b.${alias}`;
  }
  value(column: string): string {
    let i = this.values.indexOf(column);
    if (i < 0) i = this.values.push(column) - 1;
    return `v_${i}`;
  }
}

/**
 * SQL for one feature over relations b (per-user aggregates), s (sessions), u (users), a (accounts).
 * Every meaning kind is handled here; a new kind fails to compile until it is.
 */
function featureSql(m: FeatureMeaning, ops: DialectOps, agg: Aggregates): string {
  const n = agg.add('n', 'count(*)');
  const share = (count: string) => `${ops.double(count)} / ${n}`;
  const wholeDaysTo = (ts: string) => ops.bigint(`floor(${ops.double(ops.micros(ts, 'b.e'))} / ${DAY_US})`);
  const firstTs = () => agg.add('first_ts', 'min(ts)');
  const lastTs = () => agg.add('last_ts', 'max(ts)');
  const activeDays = () => agg.add('active_days', `count(DISTINCT ${ops.date('ts')})`);
  const meanDaysBetweenActiveDays = () => {
    const days = activeDays();
    return `CASE WHEN ${days} > 1 THEN ${ops.double(ops.daysBetween(ops.date(firstTs()), ops.date(lastTs())))} / (${days} - 1) END`;
  };
  const eventCount = (events: EventSelector) =>
    events.type === 'event'
      ? agg.add('mix', ops.countIf(`event_name = ${ops.literal(events.event)}`))
      : events.except.length === 0
        ? n
        : agg.add('other', `count(*) - ${ops.countIf(`event_name IN (${events.except.map(ops.literal).join(', ')})`)}`);
  const attribute = (source: 'users' | 'accounts', column: string) => {
    agg.users = true;
    if (source === 'accounts') agg.accounts = true;
    return `${source === 'users' ? 'u' : 'a'}.${ops.ident(column)}`;
  };
  switch (m.kind) {
    case 'events':
      return n;
    case 'activeDays':
      return activeDays();
    case 'sessions':
      agg.sessions = true;
      return 's.sessions';
    case 'eventsPerSession':
      agg.sessions = true;
      return `${ops.double(n)} / s.sessions`;
    case 'sessionMinutes':
      agg.sessions = true;
      return 's.avg_session_minutes';
    case 'daysSinceLastEvent':
      return wholeDaysTo(lastTs());
    case 'daysSinceFirstEvent':
      return wholeDaysTo(firstTs());
    case 'activeDayShare':
      return `${ops.double(activeDays())} / (${ops.daysBetween(ops.date(firstTs()), ops.date('b.e'))} + 1)`;
    case 'daysBetweenActiveDays':
      return meanDaysBetweenActiveDays();
    case 'recencyInUsualGaps':
      // greatest() is spelled alike in all five dialects; its arguments are never NULL here
      // (PostgreSQL ignores NULL arguments where the others return NULL).
      return `${ops.double(wholeDaysTo(lastTs()))} / greatest(1.0, coalesce(${meanDaysBetweenActiveDays()}, ${ops.double(wholeDaysTo(firstTs()))} + 1))`;
    case 'distinctEventTypes':
      return agg.add('distinct_events', 'count(DISTINCT event_name)');
    case 'hourShare': {
      const { from, to } = HOUR_BANDS[m.band];
      return share(agg.add(`h_${m.band}`, ops.countIf(`${ops.hour('ts')} >= ${from} AND ${ops.hour('ts')} < ${to}`)));
    }
    case 'weekendShare':
      return share(agg.add('weekend', ops.countIf(ops.weekend('ts'))));
    case 'recentShare':
      return share(agg.add('recent', ops.countIf(`ts > ${ops.minusDays('e', m.days)}`)));
    case 'peakDayShare':
      agg.peak = true;
      return share(agg.add('peak', ops.countIf('on_peak = 1')));
    case 'eventCount':
      return eventCount(m.events);
    case 'eventShare':
      return share(eventCount(m.events));
    case 'value': {
      const product = `(${m.columns.map((c) => agg.value(c)).join(' * ')})`;
      switch (m.aggregate) {
        case 'sum':
          return agg.add('val', `coalesce(sum(${product}), 0)`);
        // Missing when no event has a value, said outright rather than left to how each engine
        // aggregates nothing (ClickHouse's avg of no values is nan unless the column is Nullable).
        case 'mean':
          return agg.add('val', `CASE WHEN count(${product}) > 0 THEN avg(${product}) END`);
        case 'max':
          return agg.add('val', `CASE WHEN count(${product}) > 0 THEN max(${product}) END`);
        default:
          return assertUnreachable(m.aggregate);
      }
    }
    case 'attribute': {
      const ref = attribute(m.source, m.column);
      switch (m.type) {
        case 'number':
          return ops.double(ref);
        case 'boolean':
          return ref;
        case 'category':
          return ops.category(ref);
        default:
          return assertUnreachable(m.type);
      }
    }
    case 'attributeAge':
      return ops.daysBetween(ops.dateValue(attribute(m.source, m.column)), ops.date('b.e'));
    default:
      return assertUnreachable(m);
  }
}

/** Sessions per user (relation `s`), as `sessionsSql` in the features stage. */
function sessionsCte(ops: DialectOps, gapMinutes: number): string {
  const gapUs = Math.round(gapMinutes * 60_000_000);
  const prev = ops.previous('ts', 'user_id', 'ts, event_name');
  // Ties (events at one instant) get one running total whatever their order: the default frame
  // with ORDER BY is RANGE UNBOUNDED PRECEDING, which takes in every row of the same ts.
  return (
    `s_o AS (SELECT user_id, ts, CASE WHEN ${prev} IS NULL OR ${ops.micros(prev, 'ts')} > ${gapUs} THEN 1 ELSE 0 END AS starts FROM ev), ` +
    `s_n AS (SELECT user_id, ts, sum(starts) OVER (PARTITION BY user_id ORDER BY ts) AS sid FROM s_o), ` +
    `s_p AS (SELECT user_id, sid, ${ops.micros('min(ts)', 'max(ts)')} AS span_us FROM s_n GROUP BY user_id, sid), ` +
    `s AS (SELECT user_id, count(*) AS sessions, ${ops.dialect === 'duckdb' ? 'avg(span_us)' : `avg(${ops.double('span_us')})`} / 60000000.0 AS avg_session_minutes FROM s_p GROUP BY user_id)`
  );
}

/**
 * The window's peak days (relation `pd`) and the events marked `on_peak` (relation `evp`). A peak
 * day has at least twice the active users (distinct users with an event) of more than half the
 * other days within PEAK_NEIGHBOURHOOD_DAYS of it that have any event, and there are at least
 * that many such days: a sale day or a launch stands out from its own fortnight. Against the
 * window's mean instead, the last weeks of a growing product were "peak days" (bench/quality's
 * mix-only and one-population worlds ramp up to 3× their mean), making the share a second
 * recency feature. Compared in integers, so no engine's rounding decides a day at the boundary.
 */
function peakDayCtes(ops: DialectOps): string[] {
  const near = PEAK_NEIGHBOURHOOD_DAYS;
  return [
    `pd_u AS (SELECT ${ops.date('ts')} AS d, count(DISTINCT user_id) AS active_users FROM ev GROUP BY ${ops.date('ts')})`,
    `pd AS (SELECT a.d AS d FROM pd_u a CROSS JOIN pd_u b WHERE b.d <> a.d AND ${ops.daysBetween('a.d', 'b.d')} BETWEEN -${near} AND ${near} ` +
      `GROUP BY a.d HAVING count(*) >= ${near} AND 2 * ${ops.countIf('a.active_users >= 2 * b.active_users')} > count(*))`,
    `evp AS (SELECT x.*, CASE WHEN pd.d IS NULL THEN 0 ELSE 1 END AS on_peak FROM (SELECT ev.*, ${ops.date('ts')} AS day FROM ev) x LEFT JOIN pd ON pd.d = x.day)`,
  ];
}

/** The session gap the requested features share (the features stage has one per run). */
function gapOf(features: readonly NamedMeaning[]): number | null {
  const gaps = new Set<number>();
  for (const { meaning: m } of features) {
    if (m.kind === 'sessions' || m.kind === 'eventsPerSession' || m.kind === 'sessionMinutes') gaps.add(m.gapMinutes);
  }
  if (gaps.size > 1) throw new RangeError(`features with different session gaps (${[...gaps].join(', ')} minutes) cannot share one query`);
  return gaps.size === 0 ? null : [...gaps][0];
}

/**
 * The relations computing `features` per user, from raw tables, in one dialect. Users are those
 * with at least one event in the window (as in the run's feature table).
 *
 * @example
 * const { ctes, select } = featureRelation([{ name: 'sessions', meaning: { kind: 'sessions', gapMinutes: 30 } }], frame);
 * `WITH ${ctes.join(', ')}, f AS (${select}) SELECT * FROM f`;
 */
export function featureRelation(features: readonly NamedMeaning[], frame: Frame): FeatureRelation {
  const { ops, tables } = frame;
  const agg = new Aggregates();
  const columns = features.map((f) => `${featureSql(f.meaning, ops, agg)} AS ${ops.ident(f.name)}`);
  const gap = gapOf(features);

  const x = (col: string) => `x.${ops.ident(col)}`;
  const ev = tables.events;
  // The rows a run reads: a user, an event and a time. The default as-of time is the latest of
  // those rows, not of the whole table: one anonymous or unnamed event later than the rest moved
  // E (and with it every window and recency) away from what `rules apply` used.
  // On raw tables also a time the run would accept: a row from before 1990 or from a clock set
  // ahead (more than FUTURE_TOLERANCE_DAYS after now) is rejected by the run, and as the latest
  // row it made E the year 2031 in the SQL alone, leaving every segment nearly empty (QA).
  const ts = x(ev.timestamp);
  const plausible = ev.judged ? '' : ` AND ${ts} >= ${ops.timestamp(`${OLDEST_PLAUSIBLE} 00:00:00.000000`)} AND ${ts} <= ${ops.plusDays(ops.now(), FUTURE_TOLERANCE_DAYS)}`;
  const usable = `${x(ev.userId)} IS NOT NULL AND ${x(ev.event)} IS NOT NULL AND ${ts} IS NOT NULL${plausible}`;
  const e = frame.asOf === null ? `(SELECT max(${x(ev.timestamp)}) FROM ${ops.table(ev.table)} x WHERE ${usable})` : ops.timestamp(frame.asOf);
  const values = agg.values.map((c, i) => `${ops.double(x(c))} AS v_${i}, `).join('');
  const ctes = [
    `as_of AS (SELECT ${e} AS e)`,
    `ev AS (SELECT ${x(ev.userId)} AS user_id, ${x(ev.event)} AS event_name, ${x(ev.timestamp)} AS ts, ${values}as_of.e AS e ` +
      `FROM ${ops.table(ev.table)} x CROSS JOIN as_of ` +
      `WHERE ${usable} AND ${x(ev.timestamp)} >= ${ops.minusDays('as_of.e', frame.windowDays)} AND ${x(ev.timestamp)} <= as_of.e)`,
    ...(agg.peak ? peakDayCtes(ops) : []),
    `b AS (SELECT user_id, e${agg.list.map(([alias, sql]) => `, ${sql} AS ${alias}`).join('')} FROM ${agg.peak ? 'evp' : 'ev'} GROUP BY user_id, e)`,
    ...(gap === null ? [] : [sessionsCte(ops, gap)]),
  ];
  const joins = [
    gap === null ? '' : ' JOIN s ON s.user_id = b.user_id',
    agg.users ? ` LEFT JOIN ${ops.table(tables.users.table)} u ON u.${ops.ident(tables.users.key)} = b.user_id` : '',
    agg.accounts ? ` LEFT JOIN ${ops.table(tables.accounts.table)} a ON a.${ops.ident(tables.accounts.key)} = u.${ops.ident(tables.users.accountKey)}` : '',
  ].join('');
  // `AS user_id` said: engines name a qualified column differently (ClickHouse may keep `b.user_id`).
  return { ctes, select: `SELECT b.user_id AS user_id${columns.map((c) => `, ${c}`).join('')} FROM b${joins}` };
}

/**
 * The window's peak days (column `d`, a date), as the share of events on peak days counts them;
 * the features stage and a warehouse run ask it whether the data has any.
 *
 * @example
 * await db.all(peakDaysQuery({ ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays: 90, asOf: '2026-11-30 23:59:58.000000' }));
 */
export function peakDaysQuery(frame: Frame): string {
  const { ctes } = featureRelation([{ name: 'peak_day_share', meaning: { kind: 'peakDayShare' } }], frame);
  return frame.ops.statement(`WITH ${ctes.join(', ')} SELECT d FROM pd ORDER BY d`);
}

/**
 * A one-statement query returning `user_id` and every feature, one row per user.
 *
 * @example
 * await db.all(featuresQuery(meanings, { ops: opsFor('duckdb'), tables: INGESTED_TABLES, windowDays: 90, asOf: null }));
 */
export function featuresQuery(features: readonly NamedMeaning[], frame: Frame): string {
  const { ctes, select } = featureRelation(features, frame);
  return frame.ops.statement(`WITH ${ctes.join(', ')}, f AS (${select}) SELECT * FROM f ORDER BY user_id`);
}

/** The event types a meaning names (for checking that the data has them). */
export function eventsNamed(m: FeatureMeaning): readonly string[] {
  if (m.kind !== 'eventCount' && m.kind !== 'eventShare') return [];
  return m.events.type === 'event' ? [m.events.event] : [];
}

/** The attribute column a meaning reads, if any. */
export function attributeOf(m: FeatureMeaning): { readonly source: 'users' | 'accounts'; readonly column: string } | null {
  return m.kind === 'attribute' || m.kind === 'attributeAge' ? { source: m.source, column: m.column } : null;
}

/**
 * What a feature counts, in words a reviewer can recompute it from: the events it reads, over
 * which window, as of when.
 *
 * @example
 * defineFeature({ kind: 'sessions', gapMinutes: 30 }, 90);
 * // "number of sessions in the 90 days up to and including the as-of time E; a session ends when the next event is more than 30 minutes later"
 */
export function defineFeature(m: FeatureMeaning, windowDays: number): string {
  const win = `in the ${windowDays} days up to and including the as-of time E`;
  const sel = (s: EventSelector) =>
    s.type === 'event' ? `events named ${JSON.stringify(s.event)}` : s.except.length === 0 ? 'all events' : `events named none of ${s.except.map((x) => JSON.stringify(x)).join(', ')}`;
  const gap = (minutes: number) => `a session ends when the user's next event is more than ${minutes} minutes later`;
  switch (m.kind) {
    case 'events':
      return `number of the user's events ${win}`;
    case 'activeDays':
      return `number of distinct UTC calendar days with an event ${win}`;
    case 'sessions':
      return `number of sessions ${win}; ${gap(m.gapMinutes)}`;
    case 'eventsPerSession':
      return `events / sessions ${win}; ${gap(m.gapMinutes)}`;
    case 'sessionMinutes':
      return `mean over the user's sessions ${win} of (last − first event) in minutes, 0 for a one-event session; ${gap(m.gapMinutes)}`;
    case 'daysSinceLastEvent':
      return `whole days (rounded down) from the user's last event ${win} to E`;
    case 'daysSinceFirstEvent':
      return `whole days (rounded down) from the user's first event ${win} to E`;
    case 'activeDayShare':
      return `active UTC days / calendar days from the first active day to E's day, both included, ${win}`;
    case 'daysBetweenActiveDays':
      return `(last active UTC day − first active UTC day) / (active days − 1) ${win}; missing for users active on one day`;
    case 'recencyInUsualGaps':
      return `whole days from the user's last event ${win} to E / max(1, mean days between active days), the mean being whole days from the first event to E + 1 for users active on one day`;
    case 'distinctEventTypes':
      return `number of distinct event names ${win}`;
    case 'hourShare': {
      const { from, to } = HOUR_BANDS[m.band];
      return `events whose UTC hour is ${from} to ${to - 1} / all events ${win}`;
    }
    case 'weekendShare':
      return `events on Saturday or Sunday (UTC) / all events ${win}`;
    case 'peakDayShare':
      return `events on peak days / all events ${win}; a peak day is a UTC day ${win} whose distinct users with an event are at least twice as many as on more than half of the other days ${win} within ${PEAK_NEIGHBOURHOOD_DAYS} days of it that have any event, of which there are at least ${PEAK_NEIGHBOURHOOD_DAYS}`;
    case 'recentShare':
      return `events later than E − ${m.days} days / all events ${win}`;
    case 'eventCount':
      return `number of ${sel(m.events)} ${win}`;
    case 'eventShare':
      return `${sel(m.events)} / all events ${win}`;
    case 'value':
      return `${m.aggregate === 'sum' ? 'sum (0 when none)' : m.aggregate === 'mean' ? 'mean' : 'largest'} of ${m.columns.join(' × ')} over the user's events ${win}`;
    case 'attribute':
      return `${attributeWords(m.source, m.column)}: column ${JSON.stringify(m.column)} of the ${m.source} table${m.source === 'accounts' ? ' (joined through the user\'s account)' : ''}, as it is`;
    case 'attributeAge':
      return `whole days from the date in column ${JSON.stringify(m.column)} of the ${m.source} table to E's UTC day`;
    default:
      return assertUnreachable(m);
  }
}

/** The feature's label, as the run's report shows it. */
export const featureLabel = labelOf;
