/**
 * Behavioural features, all computed in SQL over the `events` table. The final feature query
 * reads two per-user relations:
 *   b — one GROUP BY over events: counts, first/last event, hour bands, …
 *   s — one pass over each user's events in time order: sessions (a new session starts when
 *       the gap to the user's previous event exceeds `sessionGapMinutes`; a gap of exactly the
 *       limit continues the session) and active days.
 *
 * Definitions (window end E = the analysis window's end):
 * - days_since_last_event / days_since_first_event: whole days (floor) from the event to E.
 * - active_day_share: active days / calendar days from the first active day to E's day, both
 *   included — so a user who started recently is not penalised for days before they existed.
 * - mean_days_between_active_days: (last active day − first active day) / (active days − 1);
 *   NULL (NaN) for users active on a single day, where no gap exists.
 * - avg_session_minutes: mean of (last − first event) per session; a one-event session is 0.
 * - hour bands (UTC): night [0, 6), morning [6, 12), afternoon [12, 18), evening [18, 24).
 * - weekend_share: events on Saturday or Sunday (UTC).
 * - trend_recent_share: events in the last `trendDays` days, i.e. ts > E − trendDays, over all
 *   the user's events. A share (in [0, 1]) rather than a log rate ratio: it is defined for
 *   every user, needs no smoothing constant, and reads plainly in a rule.
 */
import type { ResolvedConfig } from '../../config/types.js';
import { HOUR_BANDS, type FeatureMeaning, type HourBand } from '../../core/meaning.js';
import { OF_EVENTS, type FeatureSpec } from './spec.js';
import type { Evidence } from './types.js';
import { quoteLiteral } from '../../core/sql.js';

const DAY_US = 86_400_000_000;

/** An event type whose per-user count relation `b` already has (the event mix). */
export interface CountedEvent {
  readonly event: string;
  /** Its count's column in `b`. */
  readonly column: string;
}

/**
 * SQL for the per-user aggregate relation `b` over the ingested events table (`events`, a quoted
 * name); `extra` are more aggregate expressions (event mix), `counted` the event types among them.
 *
 * Distinct event types: a counted type is present when its count is above 0, so only the other
 * types need a DISTINCT count, over their rows alone — and none at all when `uncounted` says the
 * mix counts every type. A DISTINCT over every row was 0.5 s of the features query on 10M events;
 * even filtered down to no rows it was a sixth of the per-user aggregates on 1M.
 */
export function userAggregatesSql(
  events: string,
  end: string,
  trendDays: number,
  extra: readonly string[],
  counted: readonly CountedEvent[],
  /** Whether the events may hold types `counted` leaves out. */
  uncounted = true,
  /** The window's peak days (`YYYY-MM-DD`) when the share of events on them is a feature, else null. */
  peakDays: readonly string[] | null = null,
): string {
  const recentFrom = `${end} - to_microseconds(CAST(${Math.round(trendDays * DAY_US)} AS BIGINT))`;
  const others = counted.length === 0 ? '' : ` FILTER (WHERE "event" NOT IN (${counted.map((c) => quoteLiteral(c.event)).join(', ')}))`;
  const aggs = [
    'count(*) AS n',
    'min(ts) AS first_ts',
    'max(ts) AS last_ts',
    uncounted ? `count(DISTINCT "event")${others} AS distinct_others` : '0 AS distinct_others',
    ...Object.entries(HOUR_BANDS).map(([band, { from, to }]) => `count_if(hour(ts) >= ${from} AND hour(ts) < ${to}) AS h_${band}`),
    'count_if(dayofweek(ts) IN (0, 6)) AS weekend',
    `count_if(ts > ${recentFrom}) AS recent`,
    // A list of dates: testing each event against the peak-day relation in the query took the
    // per-user aggregates on 10M events from 0.4 s to 1.5 s.
    ...(peakDays === null ? [] : [peakDays.length === 0 ? '0 AS peak' : `count_if(CAST(ts AS DATE) IN (${peakDays.map((d) => `DATE ${quoteLiteral(d)}`).join(', ')})) AS peak`]),
    ...extra,
  ];
  const distinct = ['distinct_others', ...counted.map((c) => `CAST(${c.column} > 0 AS INTEGER)`)].join(' + ');
  return `SELECT *, ${distinct} AS distinct_events FROM (SELECT user_id, ${aggs.join(', ')} FROM ${events} GROUP BY user_id)`;
}

/**
 * SQL for the per-user session relation `s` over the ingested events table (a quoted name):
 * sessions, mean session minutes and active days, from one pass over each user's events in time
 * order (the gap to the previous event).
 *
 * Sessions are runs of events split where the gap exceeds the limit, so their spans add up to the
 * user's whole span less the gaps that split it: the mean session length needs no per-session
 * grouping. Events at the same instant are 0 µs apart, so a tie never starts a session. In time
 * order the calendar day only ever moves forward, so active days are 1 + the day changes (a
 * DISTINCT count over days cost a hash table per user group).
 */
export function sessionsSql(events: string, gapMinutes: number, key: SessionKey): string {
  const gapUs = Math.round(gapMinutes * 60_000_000);
  // count(*) FILTER, not count_if: count_if over only NULLs (a user's single event) is NULL.
  const splits = `count(*) FILTER (WHERE gap_us > ${gapUs})`;
  return (
    `SELECT user_key, 1 + ${splits} AS sessions, ` +
    `(epoch_us(max(ts)) - epoch_us(min(ts)) - coalesce(sum(gap_us) FILTER (WHERE gap_us > ${gapUs}), 0)) / (1 + ${splits}) / 60000000.0 AS avg_session_minutes, ` +
    `1 + count(*) FILTER (WHERE new_day) AS active_days ` +
    `FROM (SELECT user_key, ts, epoch_us(ts) - epoch_us(lag(ts) OVER w) AS gap_us, CAST(ts AS DATE) <> CAST(lag(ts) OVER w AS DATE) AS new_day ` +
    `FROM (SELECT ${key.of('user_id')} AS user_key, ts FROM ${events}) WINDOW w AS (PARTITION BY user_key ORDER BY ts)) GROUP BY user_key`
  );
}

/**
 * What the session pass (`sessionsSql`) tells users apart by: relation `s` is keyed by
 * `of(user_id)`, and joins `b` on the same expression of `b.user_id`.
 */
export interface SessionKey {
  readonly of: (userId: string) => string;
  /** Whether two users can share a key (then the table is checked, and built again by id). */
  readonly mayCollide: boolean;
}

/** The user id itself: exact, and the slower sort (text). */
export const BY_USER_ID: SessionKey = { of: (userId) => userId, mayCollide: false };

/**
 * DuckDB's 64-bit hash of the user id. The session pass sorts every event by user and time, and
 * sorting by an integer instead of the id's text took the features query on 10M events from
 * 3.4–3.8 s to 2.7–2.8 s. Two of a million users share a hash with odds of about 1 in 40 million;
 * they would share one session row, so the built table is checked for that and built again by id.
 */
export const BY_USER_HASH: SessionKey = { of: (userId) => `hash(${userId})`, mayCollide: true };

const num = (name: string, meaning: FeatureMeaning, sql: string, integer = false, evidence?: Evidence): FeatureSpec => ({
  name,
  meaning,
  kind: 'numeric',
  integer,
  sql,
  ...(evidence ? { evidence } : {}),
});

/** Evidence behind means (see features/types.ts): how many observations each rests on. */
const OF_SESSIONS: Evidence = { observations: 'sessions', offset: 0 };
/** A mean gap between active days rests on one gap fewer than there are active days. */
const OF_GAPS: Evidence = { observations: 'active_days', offset: -1 };
/** Active days over the days since the first one (that day included). */
const OF_DAYS_SINCE_FIRST: Evidence = { observations: 'days_since_first_event', offset: 1 };

/** Volume, sessions, recency and frequency features (they come first in the table). */
export function leadingSpecs(end: string, gapMinutes: number): FeatureSpec[] {
  const wholeDays = (col: string) => `CAST(floor((epoch_us(${end}) - epoch_us(${col})) / ${DAY_US}) AS BIGINT)`;
  const meanGap = `CASE WHEN s.active_days > 1 THEN date_diff('day', CAST(b.first_ts AS DATE), CAST(b.last_ts AS DATE)) / (s.active_days - 1) END`;
  return [
    num('events', { kind: 'events' }, 'b.n', true),
    num('active_days', { kind: 'activeDays' }, 's.active_days', true),
    num('sessions', { kind: 'sessions', gapMinutes }, 's.sessions', true),
    num('events_per_session', { kind: 'eventsPerSession', gapMinutes }, 'b.n / s.sessions', false, OF_SESSIONS),
    num('avg_session_minutes', { kind: 'sessionMinutes', gapMinutes }, 's.avg_session_minutes', false, OF_SESSIONS),
    num('days_since_last_event', { kind: 'daysSinceLastEvent' }, wholeDays('b.last_ts'), true),
    num('days_since_first_event', { kind: 'daysSinceFirstEvent' }, wholeDays('b.first_ts'), true),
    num(
      'active_day_share',
      { kind: 'activeDayShare' },
      `s.active_days / (date_diff('day', CAST(b.first_ts AS DATE), CAST(${end} AS DATE)) + 1)`,
      false,
      OF_DAYS_SINCE_FIRST,
    ),
    num(
      'mean_days_between_active_days',
      { kind: 'daysBetweenActiveDays' },
      meanGap,
      false,
      OF_GAPS,
    ),
    // How many of the user's own usual gaps they have now been silent: a lapsed user is told from
    // an occasional one by this, not by days since last event alone (20 days is overdue for a
    // weekly user and routine for a monthly one). A recency feature (weight 1). Measured on
    // bench/quality's tuning seeds 1–20 of the six planted families against the code without it:
    // the wrong k on 3 worlds of 120 instead of 8, mean ARI higher on four families and 0.007
    // lower on consumer-time (one world at k = 5); the bundled sample as of 7, 14, 21 and 28
    // days before its end finds 5–6 segments (ARI against its personas 0.84–0.96; without it
    // 4–5 segments, 0.70–0.75), so weekly runs keep their keys.
    // Rejected on the way: shrinking it toward the population for users with few active days
    // (the sample's lapsed and active viewers merged again), the frequency weight 0.6 (the sample
    // as of 7 days before its end fell to k = 3), and dividing by days since the first event
    // instead of the usual gap (extra segments on four families).
    num(
      'recency_in_usual_gaps',
      { kind: 'recencyInUsualGaps' },
      `${wholeDays('b.last_ts')} / greatest(1.0, coalesce(${meanGap}, ${wholeDays('b.first_ts')} + 1.0))`,
    ),
  ];
}

/**
 * Breadth, time-of-day and trend features (after the event mix); with `peakDays`, the share of
 * events on the window's peak days after the weekend share.
 */
export function trailingSpecs(config: ResolvedConfig, peakDays = false): FeatureSpec[] {
  const trendDays = config.features.trendDays;
  return [
    num('distinct_event_types', { kind: 'distinctEventTypes' }, 'b.distinct_events', true),
    ...(Object.keys(HOUR_BANDS) as HourBand[]).map((band) => num(`hour_${band}_share`, { kind: 'hourShare', band }, `b.h_${band} / b.n`, false, OF_EVENTS)),
    num('weekend_share', { kind: 'weekendShare' }, 'b.weekend / b.n', false, OF_EVENTS),
    ...(peakDays ? [num(PEAK_DAY_SHARE, { kind: 'peakDayShare' }, 'b.peak / b.n', false, OF_EVENTS)] : []),
    num('trend_recent_share', { kind: 'recentShare', days: trendDays }, 'b.recent / b.n', false, OF_EVENTS),
  ];
}

/**
 * The share of events on peak days (ruleset/definitions.ts says which days) is a feature only
 * when the window has a peak day — a log without one would carry a column of zeros — or when a
 * run's model has it (scoring new users). Measured on an outside check's shop log, whose sale-day
 * bargain hunters (13% of users, 57% of their events on 3 sale days against others' 7%) no
 * feature caught: the automatic run's ARI 0.326 / 0.310 / 0.337 → 0.408 / 0.336 / 0.398 on its
 * three seeds (at k = 5: 0.328 / 0.326 / 0.245 → 0.395 / 0.325 / 0.387), with a "Peak-day coupon
 * users" segment holding ~80% of the hunters. No world of bench/quality's eight planted families
 * has a peak day (tuning seeds 1–10, held-out 200–219), so their segments are unchanged; OULAD's
 * assessment deadlines are, and its NMI moved from 0.049 to 0.048.
 */
export const PEAK_DAY_SHARE = 'peak_day_share';
