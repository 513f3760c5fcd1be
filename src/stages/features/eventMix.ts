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
import { OF_EVENTS, type FeatureSpec } from './spec.js';

export interface EventMix {
  /** Aggregates for relation `b` (one count per top event). */
  readonly aggregates: readonly string[];
  readonly specs: readonly FeatureSpec[];
}

/**
 * @example
 * const mix = await eventMix(db, 10, namer);
 * mix.specs.map((s) => s.name); // ['count__page_view', 'share__page_view', …, 'count__other', 'share__other']
 */
export async function eventMix(db: Db, topEvents: number, namer: Namer, eventTypes?: readonly string[]): Promise<EventMix> {
  const top = eventTypes
    ? eventTypes.map((event) => ({ event }))
    : await db.all<{ event: string }>(
        `SELECT "event" FROM events GROUP BY "event" ORDER BY count(*) DESC, "event" LIMIT ${Math.max(0, Math.floor(topEvents))}`,
      );
  const [{ kinds }] = await db.all<{ kinds: number }>(`SELECT count(DISTINCT "event") AS kinds FROM events`);
  // A fixed list (scoring new users against a run) always gets "other": the scored data may hold
  // types the run folded away, and a column the model does not use is simply ignored.
  const hasOther = eventTypes !== undefined || Number(kinds) > top.length;
  // "other" keeps its plain name; an event that sanitises to "other" gets a suffix instead.
  if (hasOther) {
    namer.reserve('count__other');
    namer.reserve('share__other');
  }

  const aggregates: string[] = [];
  const specs: FeatureSpec[] = [];
  top.forEach(({ event }, i) => {
    const slug = sanitizeName(event, 'event');
    const count = namer.unique(`count__${slug}`);
    // Share gets the same suffix as its count where possible, so the pair reads together.
    const share = namer.unique(count.replace(/^count__/, 'share__'));
    aggregates.push(`count_if("event" = ${quoteLiteral(event)}) AS mix_${i}`);
    specs.push(
      { name: count, family: 'event_mix', label: `count of "${event}"`, kind: 'numeric', integer: true, sql: `b.mix_${i}`, describeOnly: true },
      { name: share, family: 'event_mix', label: `share of "${event}"`, kind: 'numeric', integer: false, sql: `b.mix_${i} / b.n`, evidence: OF_EVENTS },
    );
  });
  if (hasOther) {
    const rest = top.length === 0 ? 'b.n' : `b.n - (${top.map((_, i) => `b.mix_${i}`).join(' + ')})`;
    specs.push(
      { name: 'count__other', family: 'event_mix', label: 'count of other events', kind: 'numeric', integer: true, sql: rest, describeOnly: true },
      { name: 'share__other', family: 'event_mix', label: 'share of other events', kind: 'numeric', integer: false, sql: `(${rest}) / b.n`, evidence: OF_EVENTS },
    );
  }
  return { aggregates, specs };
}

/**
 * The event types behind a run's event-mix columns, recovered from its feature names and the
 * event types of the data at hand (for `buildFeatures`' fixed `eventTypes`), in the run's order.
 * A column whose event the data lacks keeps its slug as the type: it counts 0, as it should.
 * Types that share a slug (rare: "Sign Up" and "signup") are handed out in byte order, which may
 * not be the run's order of counts.
 *
 * @example
 * runEventTypes(['events', 'count__report_viewed', 'share__report_viewed', 'count__other'], ['Report Viewed']);
 * // ['Report Viewed']
 */
export function runEventTypes(featureNames: readonly string[], dataEvents: readonly string[]): string[] {
  const bySlug = new Map<string, string[]>();
  for (const e of [...dataEvents].sort()) {
    const slug = sanitizeName(e, 'event');
    bySlug.set(slug, [...(bySlug.get(slug) ?? []), e]);
  }
  const out: string[] = [];
  for (const name of featureNames) {
    const m = /^count__(.+)$/.exec(name);
    if (!m || name === 'count__other') continue;
    // The namer suffixes clashes with _2, _3…; try the name as is first (an event may end in _2).
    const slug = bySlug.get(m[1])?.length ? m[1] : m[1].replace(/_\d+$/, '');
    out.push(bySlug.get(slug)?.shift() ?? slug);
  }
  return out;
}
