/**
 * Over- and under-indexed events: event types whose share of a segment's events is at least
 * 1.5× / at most 0.67× their share among everyone, strongest first by the standardised
 * difference of that share (as traits are ranked), so a common event that moved a lot comes
 * before a rare one that merely doubled.
 */
import { quantileSorted } from '../transform/stats.js';
import { standardisedDifference } from './stats.js';
import type { Prepared } from './traits.js';

export interface IndexedEvent {
  readonly event: string;
  /** Mean per-user share of this event, in the segment and among everyone. */
  readonly segmentShare: number;
  readonly populationShare: number;
  readonly ratio: number;
  /** Standardised difference of the share vs the rest of the users. */
  readonly effect: number;
  /**
   * The median of the other segments' shares: what the segment's share is low against when it
   * says "rarely" (an event one other segment does all of is rare in every other segment, and
   * "rarely call the API" then said nothing about four segments of five; QA).
   */
  readonly typicalElsewhere: number;
}

export const OVER = 1.5;
export const UNDER = 0.67;
const MAX_EVENTS = 5;
/**
 * An event must make up at least 1% of the segment's or everyone's events: a 0.1% event that
 * doubles to 0.2% is not what a segment is about.
 */
export const MIN_SHARE = 0.01;

export function indexedEvents(prepared: readonly Prepared[], s: number): { over: IndexedEvent[]; under: IndexedEvent[] } {
  const all: IndexedEvent[] = [];
  const seen = new Set<string>();
  for (const p of prepared) {
    if (p.role.kind !== 'event' || p.role.event.measure !== 'share' || p.role.event.bucket || p.numeric === undefined) continue;
    const { event } = p.role.event;
    const seg = p.numeric.segments[s];
    const pop = p.numeric.population.mean;
    if (seen.has(event) || seg.count === 0 || !(pop > 0) || Math.max(seg.mean, pop) < MIN_SHARE) continue;
    seen.add(event);
    const elsewhere = p.numeric.segments.filter((o, i) => i !== s && o.count > 0).map((o) => o.mean);
    all.push({ event, segmentShare: seg.mean, populationShare: pop, ratio: seg.mean / pop, effect: standardisedDifference(p.numeric, s), typicalElsewhere: quantileSorted(Float64Array.from(elsewhere).sort(), 0.5) });
  }
  const byEvent = (a: IndexedEvent, b: IndexedEvent) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0);
  const over = all.filter((e) => e.ratio >= OVER).sort((a, b) => b.effect - a.effect || byEvent(a, b));
  const under = all.filter((e) => e.ratio <= UNDER).sort((a, b) => a.effect - b.effect || byEvent(a, b));
  return { over: over.slice(0, MAX_EVENTS), under: under.slice(0, MAX_EVENTS) };
}
