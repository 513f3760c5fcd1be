/**
 * Event-mix features: a count and a share per top event type (by total count, ties by name),
 * plus "other" for the rest when there is a rest.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteLiteral } from '../../core/sql.js';
import { sanitizeName, type Namer } from './names.js';
import type { FeatureSpec } from './spec.js';

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
export async function eventMix(db: Db, topEvents: number, namer: Namer): Promise<EventMix> {
  const top = await db.all<{ event: string }>(
    `SELECT "event" FROM events GROUP BY "event" ORDER BY count(*) DESC, "event" LIMIT ${Math.max(0, Math.floor(topEvents))}`,
  );
  const [{ kinds }] = await db.all<{ kinds: number }>(`SELECT count(DISTINCT "event") AS kinds FROM events`);
  const hasOther = Number(kinds) > top.length;
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
      { name: count, family: 'event_mix', label: `count of "${event}"`, kind: 'numeric', integer: true, sql: `b.mix_${i}` },
      { name: share, family: 'event_mix', label: `share of "${event}"`, kind: 'numeric', integer: false, sql: `b.mix_${i} / b.n` },
    );
  });
  if (hasOther) {
    const rest = top.length === 0 ? 'b.n' : `b.n - (${top.map((_, i) => `b.mix_${i}`).join(' + ')})`;
    specs.push(
      { name: 'count__other', family: 'event_mix', label: 'count of other events', kind: 'numeric', integer: true, sql: rest },
      { name: 'share__other', family: 'event_mix', label: 'share of other events', kind: 'numeric', integer: false, sql: `(${rest}) / b.n` },
    );
  }
  return { aggregates, specs };
}
