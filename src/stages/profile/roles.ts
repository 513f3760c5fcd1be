/**
 * What a feature *is* for the purpose of putting it into words: an event's count or share, days
 * since last / first activity, a 0–1 share, a flag, a category, or a plain number. Read from the
 * family, the column name and the label, defensively (the features stage owns the naming).
 */
import { assertUnreachable } from '../../core/errors.js';
import type { Feature } from '../features/types.js';
import { eventFeature, type EventFeature } from './events.js';
import { formatDays, formatNumber, formatPercent, formatRatio, oneLine } from './words.js';

export type Role =
  | { readonly kind: 'event'; readonly event: EventFeature }
  | { readonly kind: 'recency' }
  | { readonly kind: 'tenure' }
  /** "days since <what>" of an attribute date, e.g. days since signup_date. */
  | { readonly kind: 'daysSince'; readonly what: string; readonly tenure: boolean }
  | { readonly kind: 'share' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'category' }
  | { readonly kind: 'numeric'; readonly integer: boolean };

/** Name and label together, lower case, for keyword tests. */
export function featureText(f: Feature): string {
  return `${f.name} ${f.label}`.toLowerCase().replace(/_/g, ' ');
}

export function classify(f: Feature): Role {
  if (f.kind === 'categorical') return { kind: 'category' };
  if (f.kind === 'boolean') return { kind: 'boolean' };
  const event = eventFeature(f);
  if (event !== null) return { kind: 'event', event };
  const text = featureText(f);
  if (f.family === 'recency' && /\bdays?\b|recency|tenure|\bage\b/.test(text)) {
    return /first|tenure|sign ?up|joined|\bage\b|since creat/.test(text) ? { kind: 'tenure' } : { kind: 'recency' };
  }
  const since = /^days since (.+)$/i.exec(oneLine(f.label));
  if (since !== null) {
    return { kind: 'daysSince', what: since[1], tenure: /sign.?up|signed|created|registered|joined|start|first/i.test(since[1]) };
  }
  if (/\bshare\b|fraction|proportion|percent|\bpct\b/.test(text) && withinUnit(f.values)) return { kind: 'share' };
  return { kind: 'numeric', integer: f.integer };
}

function withinUnit(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && (v < 0 || v > 1)) return false;
  }
  return true;
}

/** Beyond this factor a difference reads as "2.8× more"; below it, "slightly more". */
const RATIO_WORTH_SAYING = 1.15;
/** Below this factor it reads as "about the same". */
const RATIO_SAME = 1.02;

/**
 * A trait in plain words, e.g. "2.8× more report_viewed events (41 vs 15 per user)",
 * "last active 52 days ago (vs 9)", "62% of events are report_viewed (vs 24%)",
 * "plan = enterprise: 48% (vs 12%)".
 */
export function phrase(role: Role, f: Feature, seg: number, pop: number, category?: string): string {
  const { text: label, unit } = labelParts(f.label);
  switch (role.kind) {
    case 'category':
      return `${oneLine(f.label)} = ${oneLine(category ?? '')}: ${formatPercent(seg)} (vs ${formatPercent(pop)})`;
    case 'boolean':
      return `${oneLine(f.label)}: ${formatPercent(seg)} (vs ${formatPercent(pop)})`;
    case 'recency':
      return `last active ${formatDays(seg)} ago (vs ${formatNumber(pop, true)})`;
    case 'tenure':
      return `first seen ${formatDays(seg)} ago (vs ${formatNumber(pop, true)})`;
    case 'daysSince':
      return `${role.what} ${formatDays(seg)} ago (vs ${formatNumber(pop, true)})`;
    case 'share': {
      const rest = /^share of (.+)$/i.exec(label);
      return rest !== null
        ? `${formatPercent(seg)} of ${rest[1]} (vs ${formatPercent(pop)})`
        : `${label}: ${formatPercent(seg)} (vs ${formatPercent(pop)})`;
    }
    case 'event':
      if (role.event.measure === 'share') {
        return `${formatPercent(seg)} of events are ${role.event.event} (vs ${formatPercent(pop)})`;
      }
      return comparison(seg, pop, `${role.event.event} events`, true, null);
    case 'numeric':
      return comparison(seg, pop, label, role.integer, unit);
    default:
      return assertUnreachable(role);
  }
}

/**
 * A label without a trailing parenthesis, which goes into the unit when it is one word
 * ("average session length (minutes)") and is dropped when it only explains
 * ("share of events at night (00–06 UTC)"): the full label stays in `Trait.label`.
 */
export function labelParts(label: string): { text: string; unit: string | null } {
  const l = oneLine(label);
  const m = /^(.*\S)\s*\(([^()]*)\)$/.exec(l);
  if (m === null) return { text: l, unit: null };
  return { text: m[1], unit: /^[\p{L}%$€£]+$/u.test(m[2]) ? m[2] : null };
}

/**
 * "2.8× more X (41 vs 15 per user)" for counts, "1.6× higher X (12 vs 7.5 minutes)" otherwise.
 */
function comparison(seg: number, pop: number, what: string, countable: boolean, unit: string | null): string {
  const [more, less] = countable ? ['more', 'fewer'] : ['higher', 'lower'];
  const suffix = countable && unit === null ? ' per user' : unit !== null ? ` ${unit}` : '';
  const values = `(${formatNumber(seg, countable)} vs ${formatNumber(pop, countable)}${suffix})`;
  const up = seg >= pop;
  if (seg === pop) return `about the same ${what} ${values}`;
  if (pop > 0 && seg > 0) {
    const ratio = up ? seg / pop : pop / seg;
    if (ratio >= RATIO_WORTH_SAYING) return `${formatRatio(ratio)} ${up ? more : less} ${what} ${values}`;
    if (ratio < RATIO_SAME) return `about the same ${what} ${values}`;
    return `slightly ${up ? more : less} ${what} ${values}`;
  }
  return `${up ? more : less} ${what} ${values}`;
}
