/**
 * The one-sentence description of a segment, e.g. "412 users (8%) who mostly view reports and
 * rarely create dashboards, last active 52 days ago on average."
 */
import { eventWords, leadEvent } from './events.js';
import { MIN_SHARE, UNDER, type IndexedEvent } from './indexing.js';
import { strength, type Candidate } from './traits.js';
import { formatDays, formatNumber, formatPercent, oneLine } from './words.js';

/** Traits weaker than this do not make it into the sentence. */
const DESCRIBE_EFFECT = 0.3;
const MAX_CLAUSES = 3;
/** An over-indexed event this large a share of the segment's events is what they "mostly" do. */
const MOSTLY = 0.35;

export interface DescribeInput {
  readonly size: number;
  readonly share: number;
  readonly users: number;
  readonly over: readonly IndexedEvent[];
  readonly under: readonly IndexedEvent[];
  /** The listed traits, strongest first. */
  readonly traits: readonly Candidate[];
  /** Clauses at most (default MAX_CLAUSES); more only to tell two segments apart. */
  readonly maxClauses?: number;
}

export function describeSegment(d: DescribeInput): string {
  const head = `${formatNumber(d.size, true)} ${d.size === 1 ? 'user' : 'users'} (${formatPercent(d.share)})`;
  if (d.size === d.users) return `${head}: every user.`;
  const who: string[] = [];
  const lead = leadEvent(d.over);
  if (lead !== null) {
    const e = lead;
    const verb = eventWords(e.event).verbPhrase;
    const adverb = e.segmentShare >= MOSTLY ? 'mostly' : 'often';
    who.push(verb !== null ? `${adverb} ${verb}` : `${adverb} trigger ${oneLine(e.event)} events`);
  }
  // "Rarely" is said of an event the other segments typically do (at least MIN_SHARE of their
  // events) and this one does far less of; of those, the one whose share fell furthest.
  const rare = d.under.filter((e) => e.typicalElsewhere >= MIN_SHARE && e.segmentShare <= UNDER * e.typicalElsewhere);
  if (rare.length > 0) {
    const e = rare.reduce((a, b) => (b.segmentShare / b.typicalElsewhere < a.segmentShare / a.typicalElsewhere ? b : a));
    const verb = eventWords(e.event).verbPhrase;
    who.push(verb !== null ? `rarely ${verb}` : `rarely trigger ${oneLine(e.event)} events`);
  }
  const mods: string[] = [];
  for (const c of d.traits) {
    if (who.length + mods.length >= (d.maxClauses ?? MAX_CLAUSES)) break;
    if (c.filler || c.prepared.role.kind === 'event' || strength(c) < DESCRIBE_EFFECT) continue;
    mods.push(clause(c));
  }
  if (who.length === 0 && mods.length === 0) return `${head} with no strongly distinguishing behaviour.`;
  const items = who.length > 0 ? [`who ${who.join(' and ')}`, ...mods] : mods;
  const list = items.length >= 3 ? `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}` : items.join(', ');
  // "N users (x%) who … / with …" reads on; a bare modifier needs a comma after the head.
  return `${head}${/^(who|with) /.test(items[0]) ? ' ' : ', '}${list}.`;
}

/**
 * One description per segment, unique within the run: where two read the same, each of them is
 * told with more of its own traits (`candidates`: all of them, strongest first), and as a last
 * resort with its name.
 */
export function uniqueDescriptions(inputs: readonly (DescribeInput & { readonly name: string; readonly candidates: readonly Candidate[] })[]): string[] {
  const out = inputs.map((d) => describeSegment(d));
  for (let extra = 1; extra <= 3; extra++) {
    const clashing = clashes(out);
    if (clashing.length === 0) return out;
    for (const i of clashing) out[i] = describeSegment({ ...inputs[i], traits: inputs[i].candidates, maxClauses: MAX_CLAUSES + extra });
  }
  for (const i of clashes(out)) out[i] = `${out[i].replace(/\.$/, '')} (“${oneLine(inputs[i].name)}”).`;
  return out;
}

/** Indices whose description another index also has. */
function clashes(descriptions: readonly string[]): number[] {
  const count = new Map<string, number>();
  for (const d of descriptions) count.set(d, (count.get(d) ?? 0) + 1);
  return descriptions.flatMap((d, i) => ((count.get(d) ?? 0) > 1 ? [i] : []));
}

function clause(c: Candidate): string {
  const t = c.trait;
  switch (c.prepared.role.kind) {
    case 'recency':
      return `last active ${formatDays(t.segmentValue)} ago on average`;
    case 'tenure':
      return `first seen ${formatDays(t.segmentValue)} ago on average`;
    case 'daysSince':
      return `${c.prepared.role.what} ${formatDays(t.segmentValue)} ago on average`;
    case 'category':
      return `${formatPercent(t.segmentValue)} with ${t.label} = ${oneLine(t.category ?? '')} (vs ${formatPercent(t.populationValue)})`;
    case 'boolean':
      return `${formatPercent(t.segmentValue)} with ${t.label} (vs ${formatPercent(t.populationValue)})`;
    default:
      return `with ${t.phrase}`;
  }
}
