/**
 * Event-mix features: a count and a share per top event type (by total count, ties by name),
 * plus "other" for the rest when there is a rest. Only the shares are clustered on: a count is
 * the user's volume times the share, both already in the clustering space, and clustering on
 * counts too split heavy and light users of one persona along twenty axes at once. Counts
 * describe segments and make plain rules ("exported ≥ 3 times").
 */
import type { Db } from '../../core/duckdb.js';
import { quoteLiteral } from '../../core/sql.js';
import { sanitizeName, type Namer } from './names.js';
import type { EventSelector, FeatureMeaning } from '../../core/meaning.js';
import { OF_EVENTS, type FeatureSpec } from './spec.js';
import type { CountedEvent } from './behaviour.js';

export interface EventMix {
  /** Aggregates for relation `b` (one count per top event). */
  readonly aggregates: readonly string[];
  /** The top event types and their count columns in `b`. */
  readonly counted: readonly CountedEvent[];
  /** Whether the events may hold types `counted` leaves out (always, for a run's fixed list). */
  readonly uncounted: boolean;
  readonly specs: readonly FeatureSpec[];
}

/** A run's columns for one event type, as its model recorded them (see `runEventColumns`). */
export interface EventColumns {
  readonly event: string;
  readonly count: string;
  readonly share: string;
}

/**
 * @example
 * const mix = await eventMix(db, '"events"', 10, namer);
 * mix.specs.map((s) => s.name); // ['count__page_view', 'share__page_view', …, 'count__other', 'share__other']
 */
export async function eventMix(db: Db, events: string, topEvents: number, namer: Namer, fixed?: readonly EventColumns[]): Promise<EventMix> {
  // One pass over the events for both the top types and how many types there are.
  const counted = fixed
    ? []
    : await db.all<{ event: string; kinds: number }>(
        `SELECT "event", count(*) OVER () AS kinds FROM (SELECT "event", count(*) AS n FROM ${events} GROUP BY "event") ` +
          `ORDER BY n DESC, "event" LIMIT ${Math.max(1, Math.floor(topEvents))}`,
      );
  const top = fixed ? fixed.map(({ event }) => ({ event })) : counted.slice(0, Math.max(0, Math.floor(topEvents)));
  const kinds = Number(counted[0]?.kinds ?? 0);
  // A fixed list (scoring new users against a run) always gets "other": the scored data may hold
  // types the run folded away, and a column the model does not use is simply ignored.
  const hasOther = fixed !== undefined || kinds > top.length;
  // "other" keeps its plain name; an event that sanitises to "other" gets a suffix instead. A
  // run's recorded names are taken as they are, so they come back exactly.
  if (hasOther) {
    namer.reserve('count__other');
    namer.reserve('share__other');
  }
  for (const f of fixed ?? []) {
    namer.reserve(f.count);
    namer.reserve(f.share);
  }

  const aggregates: string[] = [];
  const countColumns: CountedEvent[] = [];
  const specs: FeatureSpec[] = [];
  top.forEach(({ event }, i) => {
    const recorded = fixed?.[i];
    const count = recorded?.count ?? namer.unique(`count__${sanitizeName(event, 'event')}`);
    // Share gets the same suffix as its count where possible, so the pair reads together.
    const share = recorded?.share ?? namer.unique(`share__${count.slice('count__'.length)}`);
    aggregates.push(`count_if("event" = ${quoteLiteral(event)}) AS mix_${i}`);
    countColumns.push({ event, column: `mix_${i}` });
    const events: EventSelector = { type: 'event', event };
    specs.push(
      { name: count, meaning: { kind: 'eventCount', events }, kind: 'numeric', integer: true, sql: `b.mix_${i}`, describeOnly: true },
      { name: share, meaning: { kind: 'eventShare', events }, kind: 'numeric', integer: false, sql: `b.mix_${i} / b.n`, evidence: OF_EVENTS },
    );
  });
  if (hasOther) {
    const rest = top.length === 0 ? 'b.n' : `b.n - (${top.map((_, i) => `b.mix_${i}`).join(' + ')})`;
    const events: EventSelector = { type: 'other', except: top.map((t) => t.event) };
    specs.push(
      { name: 'count__other', meaning: { kind: 'eventCount', events }, kind: 'numeric', integer: true, sql: rest, describeOnly: true },
      { name: 'share__other', meaning: { kind: 'eventShare', events }, kind: 'numeric', integer: false, sql: `(${rest}) / b.n`, evidence: OF_EVENTS },
    );
  }
  return { aggregates, counted: countColumns, uncounted: hasOther, specs };
}

/**
 * The event-mix columns of a run, from its recorded feature meanings (in the run's order), for
 * rebuilding exactly those columns on new data: the event types and the names they had, so two
 * types that sanitise alike ("sign_up" / "Sign Up") keep their own columns.
 *
 * @example
 * runEventColumns(['count__a', 'share__a'], { count__a: { kind: 'eventCount', events: { type: 'event', event: 'A' } }, share__a: … });
 * // [{ event: 'A', count: 'count__a', share: 'share__a' }]
 */
export function runEventColumns(names: readonly string[], meanings: Readonly<Record<string, FeatureMeaning>>): EventColumns[] {
  const byEvent = new Map<string, { count?: string; share?: string }>();
  for (const name of names) {
    const m = meanings[name];
    if (m === undefined || (m.kind !== 'eventCount' && m.kind !== 'eventShare') || m.events.type !== 'event') continue;
    const entry = byEvent.get(m.events.event) ?? {};
    if (m.kind === 'eventCount') entry.count = name;
    else entry.share = name;
    byEvent.set(m.events.event, entry);
  }
  const out: EventColumns[] = [];
  for (const [event, { count, share }] of byEvent) {
    if (count !== undefined && share !== undefined) out.push({ event, count, share });
  }
  return out;
}
