/**
 * What a feature *is* for the purpose of putting it into words: an event's count or share, days
 * since last / first activity, a 0–1 share, a flag, a category, or a plain number. Read from the
 * feature's meaning, which the features stage sets where it defines the feature.
 */
import { assertUnreachable } from '../../core/errors.js';
import { attributeWords, wordingOf, type FeatureMeaning } from '../../core/meaning.js';
import type { Feature } from '../features/types.js';
import { eventFeature, type EventFeature } from './events.js';
import { formatDays, formatNumber, formatPercent, formatRatio, oneLine } from './words.js';

export type Role =
  | { readonly kind: 'event'; readonly event: EventFeature }
  | { readonly kind: 'recency' }
  | { readonly kind: 'tenure' }
  /** "days since <what>" of an attribute date, e.g. days since signup_date. */
  | { readonly kind: 'daysSince'; readonly what: string; readonly tenure: boolean }
  /** A 0–1 share "of <of>", e.g. of "events at night". */
  | { readonly kind: 'share'; readonly of: string }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'category' }
  /** A plain number: `text` is what it measures, `unit` its unit (null for counts and unitless values). */
  | { readonly kind: 'numeric'; readonly integer: boolean; readonly text: string; readonly unit: string | null };

export function classify(f: Feature): Role {
  const m: FeatureMeaning = f.meaning;
  const numeric = (): Role => {
    const { text, unit } = wordingOf(m);
    return { kind: 'numeric', integer: f.kind === 'numeric' && f.integer, text: oneLine(text), unit };
  };
  switch (m.kind) {
    case 'eventCount':
    case 'eventShare': {
      const event = eventFeature(f);
      return event === null ? numeric() : { kind: 'event', event };
    }
    case 'daysSinceLastEvent':
      return { kind: 'recency' };
    case 'daysSinceFirstEvent':
      return { kind: 'tenure' };
    case 'attributeAge':
      return { kind: 'daysSince', what: oneLine(attributeWords(m.source, m.column)), tenure: m.tenure };
    case 'activeDayShare':
    case 'hourShare':
    case 'weekendShare':
    case 'peakDayShare':
    case 'recentShare':
      return { kind: 'share', of: wordingOf(m).shareOf ?? wordingOf(m).text };
    case 'attribute':
      return m.type === 'category' ? { kind: 'category' } : m.type === 'boolean' ? { kind: 'boolean' } : numeric();
    case 'events':
    case 'activeDays':
    case 'sessions':
    case 'eventsPerSession':
    case 'sessionMinutes':
    case 'daysBetweenActiveDays':
    case 'recencyInUsualGaps':
    case 'distinctEventTypes':
    case 'value':
      return numeric();
    default:
      return assertUnreachable(m);
  }
}

/** Who a population mean of per-user shares describes. */
const AVERAGE_USER = 'for the average user';

/** Beyond this factor a difference reads as "2.8× more"; below it, "slightly more". */
const RATIO_WORTH_SAYING = 1.15;
/** Below this factor it reads as "about the same". */
const RATIO_SAME = 1.02;

/**
 * Whether a trait's segment and population values differ by a factor its phrase states ("1.2×
 * more", "36% vs 30%"), rather than "slightly" or "about the same". With a zero or a negative
 * value there is no factor, and any difference counts.
 */
export function differsByAFactor(seg: number, pop: number): boolean {
  if (!(pop > 0 && seg > 0)) return seg !== pop;
  return Math.max(seg, pop) / Math.min(seg, pop) >= RATIO_WORTH_SAYING;
}

/**
 * A trait in plain words, e.g. "2.8× more report_viewed events (41 vs 15 per user)",
 * "last active 52 days ago (vs 9)", "62% of events are report_viewed (vs 24% for the average
 * user)", "plan = enterprise: 48% (vs 12%)".
 *
 * A share of events is each user's own, averaged over users (the segment's members; everyone
 * for `pop`, the report's "Population"), so its "vs" says so: a bare "(vs 8.9%)" read as the
 * share of all events, which was 50% where a few heavy users made most of them.
 */
export function phrase(role: Role, f: Feature, seg: number, pop: number, category?: string): string {
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
    case 'share':
      return `${formatPercent(seg)} of ${role.of} (vs ${formatPercent(pop)} ${AVERAGE_USER})`;
    case 'event':
      if (role.event.measure === 'share') {
        return `${formatPercent(seg)} of events are ${role.event.event} (vs ${formatPercent(pop)} ${AVERAGE_USER})`;
      }
      return comparison(seg, pop, `${role.event.event} events`, true, null);
    case 'numeric':
      return comparison(seg, pop, role.text, role.integer, role.unit);
    default:
      return assertUnreachable(role);
  }
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
    if (differsByAFactor(seg, pop)) return `${formatRatio(ratio)} ${up ? more : less} ${what} ${values}`;
    if (ratio < RATIO_SAME) return `about the same ${what} ${values}`;
    return `slightly ${up ? more : less} ${what} ${values}`;
  }
  return `${up ? more : less} ${what} ${values}`;
}
