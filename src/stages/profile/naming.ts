/**
 * Short, unique segment names from the dominant traits, in words a product person uses:
 * "Lapsed report viewers", "Night-time API users", "New enterprise users".
 *
 * A small vocabulary maps traits to qualifiers (recency → "lapsed" / "recently active", tenure →
 * "new", volume → "heavy" / "light", time → "night-time" / "weekend", …); the top over-indexed
 * event gives the noun ("report_viewed" → "report viewers"), else "users". A name is the
 * strongest 1–2 qualifiers + the noun. Names collide when they hold the same words in any order
 * ("Occasional weekend users", "Weekend occasional users"). Colliding segments each add their
 * next distinguishing qualifier; failing that, one named "… users" takes the noun of an event it
 * does much more of than the others; a numeric suffix is the last resort.
 */
import { differsByAFactor } from './roles.js';
import { strength, type Candidate } from './traits.js';
import { eventWords, leadEvent } from './events.js';
import { MIN_SHARE, OVER, type IndexedEvent } from './indexing.js';
import { combinedMoments, standardisedDifferenceFrom } from './stats.js';
import { assertUnreachable } from '../../core/errors.js';
import { attributeWords, wordingOf, type HourBand } from '../../core/meaning.js';
import { capitalise, clip, oneLine } from './words.js';

interface Qualifier {
  /** One qualifier per slot ("heavy" and "light" never both). */
  readonly slot: string;
  /** The trait it says in a word: listed with the segment's traits when the name uses it. */
  readonly candidate: Candidate;
  readonly words: string;
  /** Taken from the data (a category value): keep its case. */
  readonly data: boolean;
  readonly strength: number;
}

/** Strength a trait needs to name a segment at first; weaker ones only break ties. */
const NAMING_EFFECT = 0.5;
const TIE_BREAK_EFFECT = 0.2;
/** Below this, nothing about a segment stands out. */
const NOTABLE_EFFECT = 0.3;
const MAX_QUALIFIERS = 3;
/** A word about what members do ("weekend", "single-feature") must hold for most of them. */
const MOST = 0.5;

type Vocab = readonly [over: string | null, under: string | null];

/** The word for users who do much of their activity in a band of the day. */
const HOUR_BAND_WORDS: Readonly<Record<HourBand, string>> = {
  night: 'night-time',
  morning: 'morning',
  afternoon: 'afternoon',
  evening: 'evening',
};

/** A flag column read as a word: "is_admin" → "admin", "uses_sso" → "sso". */
const FLAG_PREFIX = /^(is|has|uses)[ _]+/i;

/**
 * Share of events in the last `days` days that steady use gives the segment, from its members'
 * mean days since their first event (days_since_first_event); null when that is not a feature.
 */
function steadyRecentShare(candidates: readonly Candidate[], days: number): number | null {
  const tenure = candidates.find((c) => c.prepared.feature.meaning.kind === 'daysSinceFirstEvent')?.trait.segmentValue;
  return tenure === undefined || !Number.isFinite(tenure) ? null : Math.min(1, days / (tenure + 1));
}

/**
 * "Declining" and "growing" say the members' own use fell or rose, not that their recent share
 * differs from everyone's: new users lift everyone's share, so steady users of a whole 75-day log
 * (40% of their events in the last 30 days against everyone's 50%) were named "declining" (QA).
 * A word needs the segment this far from what steady use since its members began gives.
 */
const TREND_FACTOR = 1.25;

/** The least share of a segment's events on peak days for "peak-day" (and 1.5× everyone's). */
const PEAK_SHARE = 0.25;

function qualifierOf(c: Candidate, candidates: readonly Candidate[]): Qualifier | null {
  const { trait } = c;
  const { feature } = c.prepared;
  const over = trait.direction === 'over';
  const q = (slot: string, words: string | null, data = false): Qualifier | null =>
    words === null ? null : { slot, candidate: c, words, data, strength: strength(c) };
  // A word picked by direction claims a difference its trait states as a factor. A tightly spread
  // feature gives a sizeable effect to a difference the trait calls "slight" (distinct event
  // types 3.71 vs 3.86 is an effect of -0.4): no word then, whatever the effect.
  const pick = (slot: string, [up, down]: Vocab) => (differsByAFactor(trait.segmentValue, trait.populationValue) ? q(slot, over ? up : down) : null);
  const m = feature.meaning;

  switch (m.kind) {
    case 'eventCount':
    case 'eventShare':
      return null; // events give the noun, not a qualifier
    case 'daysSinceLastEvent':
    case 'recencyInUsualGaps':
      return pick('recency', ['lapsed', 'recently active']);
    case 'daysSinceFirstEvent':
      return pick('tenure', ['long-standing', 'new']);
    case 'attributeAge':
      return m.tenure ? pick('tenure', ['long-standing', 'new']) : null;
    case 'attribute': {
      if (m.type === 'number') return null;
      if (m.type === 'category') {
        if (!over || c.filler) return null;
        // A bare "1", "true" or "no" says nothing without its feature: "tier 2", "newsletter yes".
        const raw = oneLine(trait.category ?? '');
        const value = dataWord(/^(\d+([.,]\d+)?|true|false|yes|no|y|n|t|f)$/i.test(raw) ? `${oneLine(feature.label)} ${raw}` : raw);
        if (trait.segmentValue >= 0.5 && (trait.lift ?? 0) >= 1.5) return q(`attr:${feature.name}`, value, true);
        // "51-200-leaning" reads as the segment's usual value: not said when another value of the
        // column is more common in the segment (QA: "Pro 51-200-leaning users", mostly 11-50).
        const mostCommon = candidates.every((o) => o.prepared.feature.name !== feature.name || o.trait.kind !== 'category' || o.trait.segmentValue <= trait.segmentValue);
        if (trait.segmentValue >= 0.2 && (trait.lift ?? 0) >= 2 && mostCommon) return q(`attr:${feature.name}`, `${value}-leaning`, true);
        return null;
      }
      const word = dataWord(m.source === 'accounts' ? attributeWords(m.source, m.column) : m.column.replace(FLAG_PREFIX, ''));
      if (over && trait.segmentValue >= 0.5 && (trait.lift ?? 0) >= 1.5) return q(`attr:${feature.name}`, word, true);
      if (!over && trait.segmentValue <= 0.1 && trait.populationValue >= 0.2) return q(`attr:${feature.name}`, `non-${word}`, true);
      return null;
    }
    case 'events':
      return pick('volume', ['heavy', 'light']);
    case 'activeDays':
    case 'sessions':
      // "Heavy" is said of what members do: many short sessions of fewer events than everyone's
      // (QA: "Heavy frequent users" with 115 events against everyone's 125) are not heavy use.
      return agreesWithEvents(c, candidates) ? pick('volume', ['heavy', 'light']) : null;
    case 'eventsPerSession':
    case 'sessionMinutes':
      return pick('session', ['long-session', 'short-session']);
    case 'activeDayShare':
      return frequencyAgrees(c, candidates) && seenLongEnough(candidates) ? pick('frequency', ['frequent', 'occasional']) : null;
    case 'daysBetweenActiveDays':
      // Gaps grow as use gets rarer.
      return frequencyAgrees(c, candidates) && seenLongEnough(candidates) ? pick('frequency', ['occasional', 'frequent']) : null;
    case 'distinctEventTypes': {
      // "Single-feature" is said of members, so most of them must use one event type; fewer types
      // than everyone else (2 vs 2.4) is "few-feature".
      const median = trait.segmentMedian ?? NaN;
      return pick('breadth', [median >= 2 ? 'multi-feature' : null, median <= 1 ? 'single-feature' : 'few-feature']);
    }
    case 'hourShare':
      // "Night-time users" do most of their events at night; 30% (vs 8%) is more night use, not that.
      return pick('time:hour', [trait.segmentValue >= MOST ? HOUR_BAND_WORDS[m.band] : null, null]);
    case 'weekendShare':
      return pick('time:week', [trait.segmentValue >= MOST ? 'weekend' : null, trait.segmentValue <= 1 - MOST ? 'weekday' : null]);
    case 'peakDayShare':
      // "Peak-day" users do a good part of their events on the days everyone crowds in (sale
      // days, launches), well beyond everyone's share of those days (the population's share
      // includes the segment's own, so 1.5×: a half of all users at 55% against 7% is 1.8×).
      return pick('time:peak', [over && trait.segmentValue >= PEAK_SHARE && trait.segmentValue >= 1.5 * trait.populationValue ? 'peak-day' : null, null]);
    case 'recentShare': {
      const steady = steadyRecentShare(candidates, m.days);
      const departs = steady === null || (over ? trait.segmentValue > steady * TREND_FACTOR : trait.segmentValue * TREND_FACTOR < steady);
      return departs ? pick('trend', ['growing', 'declining']) : null;
    }
    case 'value':
      return pick('value', ['high-value', 'low-value']);
    default:
      return assertUnreachable(m);
  }
}

/** Whether the segment's events lie on the same side of everyone's as this trait (true without an events feature). */
function agreesWithEvents(c: Candidate, candidates: readonly Candidate[]): boolean {
  const events = candidates.find((o) => o.prepared.feature.meaning.kind === 'events')?.trait;
  if (events === undefined) return true;
  const more = events.segmentValue > events.populationValue;
  return c.trait.direction === 'over' ? more : !more && events.segmentValue !== events.populationValue;
}

/** Whether the trait says more frequent use: a higher share of days active, or shorter gaps between them. */
function saysFrequent(c: Candidate): boolean {
  const over = c.trait.direction === 'over';
  return c.prepared.feature.meaning.kind === 'daysBetweenActiveDays' ? !over : over;
}

/**
 * Whether the other frequency trait does not say the opposite by a factor: short gaps during a
 * brief active spell are "frequent" to one and "occasional" to the other (QA: "Lapsed frequent
 * users" active on 6% of days against everyone's 11%). Neither word is said then.
 */
function frequencyAgrees(c: Candidate, candidates: readonly Candidate[]): boolean {
  const kind = c.prepared.feature.meaning.kind;
  const other = candidates.find((o) => {
    const k = o.prepared.feature.meaning.kind;
    return k !== kind && (k === 'activeDayShare' || k === 'daysBetweenActiveDays');
  });
  return other === undefined || saysFrequent(other) === saysFrequent(c) || !differsByAFactor(other.trait.segmentValue, other.trait.populationValue);
}

/**
 * Whether the segment's members have been seen long enough for how often they come to be a habit:
 * three active days out of a user's first four are a high share of days, not frequent use (outside
 * check: "New frequent users" had fewer events and active days than the average user).
 */
function seenLongEnough(candidates: readonly Candidate[]): boolean {
  const tenure = candidates.find((c) => c.prepared.feature.meaning.kind === 'daysSinceFirstEvent')?.trait.segmentValue;
  return tenure === undefined || !Number.isFinite(tenure) || tenure >= FREQUENCY_MIN_DAYS;
}

/** The least mean days since first seen for "frequent" or "occasional" (two weeks). */
const FREQUENCY_MIN_DAYS = 14;

function dataWord(s: string): string {
  return clip(oneLine(s), 24);
}

export interface NamingInput {
  /** The segment's number, which indexes its candidates' per-segment summaries. */
  readonly id: number;
  readonly size: number;
  /** All candidates, strongest first. */
  readonly candidates: readonly Candidate[];
  readonly overIndexedEvents: readonly IndexedEvent[];
}

/**
 * An event names a segment ("report viewers") only when it is this share of its members' events:
 * a segment doing every rare event a little more than everyone (3% each of forty) was named
 * after whichever came first (QA: "Lapsed exp 00 users").
 */
const NOUN_SHARE = 0.05;

/** A segment's name, and the traits its words say (so the segment can list them). */
export interface SegmentName {
  readonly name: string;
  readonly said: readonly Candidate[];
}

interface Plan {
  readonly input: NamingInput;
  /** Every qualifier the segment could use, strongest first. */
  readonly qualifiers: readonly Qualifier[];
  /** The ones in its name. */
  chosen: Qualifier[];
  noun: string;
  /** Name used when no qualifier is in play. */
  fallback: string;
}

/**
 * Qualifiers that say the same thing twice ("lapsed" already implies "declining"): only the
 * stronger of a pair is used.
 */
const OVERLAPPING: readonly (readonly [string, string])[] = [
  ['lapsed', 'declining'],
  ['lapsed', 'occasional'],
  ['lapsed', 'light'],
  ['new', 'growing'],
];

function overlaps(a: string, b: string): boolean {
  return OVERLAPPING.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/**
 * One name per segment, unique across segments, one line each.
 *
 * @example
 * nameSegments(inputs, users) // ['Lapsed report viewers', 'Heavy API users', 'New users']
 */
export function nameSegments(inputs: readonly NamingInput[], users: number): string[] {
  return namedSegments(inputs, users).map((n) => n.name);
}

/** `nameSegments`, with the traits each name's qualifiers say. */
export function namedSegments(inputs: readonly NamingInput[], users: number): SegmentName[] {
  const plans = inputs.map((s) => plan(s, users));
  const names = () => plans.map(render);

  // Colliding segments each add their strongest qualifier that the others in the collision do
  // not have; piling on qualifiers they share would only make the names longer, not different.
  for (let round = 0; round < MAX_QUALIFIERS; round++) {
    const groups = collisions(names());
    if (groups.length === 0) break;
    let changed = false;
    for (const group of groups) {
      const additions = group.map((i) => {
        const p = plans[i];
        if (p.chosen.length >= MAX_QUALIFIERS) return null;
        const others = group.filter((j) => j !== i).map((j) => new Set(plans[j].qualifiers.map((q) => q.words.toLowerCase())));
        return p.qualifiers.find((q) => !p.chosen.includes(q) && others.every((o) => !o.has(q.words.toLowerCase()))) ?? null;
      });
      group.forEach((i, g) => {
        const q = additions[g];
        if (q === null) return;
        plans[i].chosen = plans[i].qualifiers.filter((x) => x === q || plans[i].chosen.includes(x));
        changed = true;
      });
      if (additions.some((q) => q !== null)) continue;
      // No qualifier tells them apart: what they do may (QA: two "occasional weekend" segments,
      // one searching in 28% of its events, the other in 16%).
      for (const i of group) {
        const p = plans[i];
        const event = p.noun === 'users' ? separatingEvent(p.input, group.filter((j) => j !== i).map((j) => plans[j].input.id)) : null;
        if (event === null) continue;
        p.noun = eventWords(event).noun;
        p.fallback = fallbackName(p.input, users, p.noun);
        changed = true;
      }
    }
    if (!changed) break;
  }
  alignOrder(plans);
  return withSuffixes(names()).map((name, i) => ({ name, said: plans[i].chosen.map((q) => q.candidate) }));
}

/**
 * The event segment `s` does most more of than the segments `others` together: its share of
 * events at least OVER× theirs and MIN_SHARE (the bars for an over-indexed event), by a
 * standardised difference of NAMING_EFFECT or more; the largest difference wins.
 */
function separatingEvent(s: NamingInput, others: readonly number[]): string | null {
  let best: { event: string; effect: number } | null = null;
  for (const c of s.candidates) {
    const { role, numeric } = c.prepared;
    if (role.kind !== 'event' || role.event.measure !== 'share' || role.event.bucket || numeric === undefined) continue;
    const mine = numeric.segments[s.id].mean;
    const theirs = combinedMoments(numeric, (i) => others.includes(i)).mean;
    if (!(mine >= OVER * theirs && mine >= MIN_SHARE)) continue;
    const effect = standardisedDifferenceFrom(numeric, s.id, others);
    if (effect >= NAMING_EFFECT && (best === null || effect > best.effect)) best = { event: role.event.event, effect };
  }
  return best?.event ?? null;
}

/**
 * Names holding the same qualifiers list them in one order, the first such segment's: "Occasional
 * weekend users" and "Occasional weekend searchers", not "Weekend occasional searchers".
 */
function alignOrder(plans: readonly Plan[]): void {
  const key = (p: Plan) => wordsKey(p.chosen.map((q) => q.words).join(' '));
  plans.forEach((p, i) => {
    const first = plans.slice(0, i).find((o) => key(o) === key(p));
    if (first === undefined) return;
    const at = (q: Qualifier) => first.chosen.findIndex((x) => x.words.toLowerCase() === q.words.toLowerCase());
    p.chosen = [...p.chosen].sort((a, b) => at(a) - at(b));
  });
}

function plan(s: NamingInput, users: number): Plan {
  const qualifiers: Qualifier[] = [];
  const slots = new Set<string>();
  const words = new Set<string>();
  for (const c of s.candidates) {
    const q = qualifierOf(c, s.candidates);
    if (q === null || q.strength < TIE_BREAK_EFFECT || slots.has(q.slot)) continue;
    const w = q.words.toLowerCase();
    if (words.has(w) || [...words].some((x) => overlaps(x, w))) continue;
    qualifiers.push(q);
    slots.add(q.slot);
    words.add(w);
  }
  const lead = leadEvent(s.overIndexedEvents.filter((e) => e.segmentShare >= NOUN_SHARE));
  const top = lead !== null ? eventWords(lead.event).noun : null;
  const noun = top ?? 'users';
  const strong = qualifiers.filter((q) => q.strength >= NAMING_EFFECT);
  const chosen = strong.slice(0, top !== null ? 1 : 2);
  return { input: s, qualifiers, chosen, noun, fallback: fallbackName(s, users, noun) };
}

/** A name for a segment no vocabulary word describes. */
function fallbackName(s: NamingInput, users: number, noun: string): string {
  if (noun !== 'users') return capitalise(noun);
  if (s.size === 0) return 'Empty segment';
  if (s.size === users) return 'All users';
  const top = s.candidates.find((c) => !c.filler);
  if (top === undefined || strength(top) < NOTABLE_EFFECT) return 'Typical users';
  const { trait } = top;
  if (trait.kind === 'category') {
    return `Users ${trait.direction === 'over' ? 'often' : 'rarely'} with ${dataWord(trait.label)} = ${dataWord(trait.category ?? '')}`;
  }
  return `Users with ${trait.direction === 'over' ? 'high' : 'low'} ${dataWord(wordingOf(top.prepared.feature.meaning).text)}`;
}

function render(p: Plan): string {
  if (p.chosen.length === 0) return p.fallback;
  const parts = p.chosen;
  const first = parts[0];
  const head = first.data && !/^\p{Ll}[^\p{Lu}]*$/u.test(first.words) ? first.words : capitalise(first.words);
  return [head, ...parts.slice(1).map((q) => q.words), p.noun].join(' ');
}

/** A name's words, case-insensitive and in any order: what makes two names the same. */
function wordsKey(name: string): string {
  return name.toLowerCase().split(/\s+/u).sort().join(' ');
}

/** Indices of segments whose names hold the same words, grouped, in id order. */
function collisions(names: readonly string[]): number[][] {
  const byName = new Map<string, number[]>();
  names.forEach((n, i) => {
    const key = wordsKey(n);
    byName.set(key, [...(byName.get(key) ?? []), i]);
  });
  return [...byName.values()].filter((g) => g.length > 1);
}

/** The first of each colliding group keeps its name; the others get " 2", " 3", … */
function withSuffixes(names: readonly string[]): string[] {
  const out = names.slice();
  const taken = new Set(names.map(wordsKey));
  for (const group of collisions(names)) {
    let next = 2;
    for (const i of group.slice(1)) {
      let candidate = `${names[i]} ${next}`;
      while (taken.has(wordsKey(candidate))) candidate = `${names[i]} ${++next}`;
      taken.add(wordsKey(candidate));
      out[i] = candidate;
      next++;
    }
  }
  return out;
}
