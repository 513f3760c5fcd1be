/**
 * What a feature column means, as data: set where the feature is defined (the features stage),
 * saved with the model, and read by everything that explains or re-computes a feature (profile
 * wording, segment names, rules, SQL rendering). Nothing downstream parses a feature's name or
 * label to find out what it is; adding a kind here fails to compile until every `switch` over
 * `FeatureMeaning['kind']` handles it.
 *
 * Every behavioural meaning is measured over the run's analysis window, as of its end (E):
 * "days since last event" is whole days from the user's last event in the window to E.
 */
import { assertUnreachable } from './errors.js';

/** Families group features for the transform's weights and shrinkage. */
export type FeatureFamily =
  | 'volume'
  | 'sessions'
  | 'recency'
  | 'frequency'
  | 'event_mix'
  | 'breadth'
  | 'time'
  | 'trend'
  | 'value'
  | 'attribute';

/** The event types a count or share is about: one type, or every type outside the run's list. */
export type EventSelector =
  | { readonly type: 'event'; readonly event: string }
  /** The "other" bucket: events whose type is none of `except` (the run's top types). */
  | { readonly type: 'other'; readonly except: readonly string[] };

export const HOUR_BANDS = {
  night: { from: 0, to: 6 },
  morning: { from: 6, to: 12 },
  afternoon: { from: 12, to: 18 },
  evening: { from: 18, to: 24 },
} as const;
export type HourBand = keyof typeof HOUR_BANDS;

export const VALUE_AGGREGATES = ['sum', 'mean', 'max'] as const;
export type ValueAggregate = (typeof VALUE_AGGREGATES)[number];

/** Where an attribute comes from: the users table, or the accounts table through users.account_id. */
export type AttributeSource = 'users' | 'accounts';

export type FeatureMeaning =
  /** Events in the window. */
  | { readonly kind: 'events' }
  /** Distinct UTC calendar days with an event. */
  | { readonly kind: 'activeDays' }
  /** Sessions: a new one starts after a gap longer than `gapMinutes`. */
  | { readonly kind: 'sessions'; readonly gapMinutes: number }
  | { readonly kind: 'eventsPerSession'; readonly gapMinutes: number }
  /** Mean of (last − first event) per session, in minutes. */
  | { readonly kind: 'sessionMinutes'; readonly gapMinutes: number }
  /** Whole days from the last event to E (recency). */
  | { readonly kind: 'daysSinceLastEvent' }
  /** Whole days from the first event in the window to E (tenure as seen in the window). */
  | { readonly kind: 'daysSinceFirstEvent' }
  /** Active days / calendar days from the first active day to E's day, both included. */
  | { readonly kind: 'activeDayShare' }
  /** (last − first active day) / (active days − 1); missing for users active on one day. */
  | { readonly kind: 'daysBetweenActiveDays' }
  /**
   * Days since the last event in units of the user's own cadence: days since last event /
   * max(1, mean days between active days), the mean gap being days since the first event + 1 for
   * users active on one day. 3 means "silent for three usual gaps", whatever the usual gap is.
   */
  | { readonly kind: 'recencyInUsualGaps' }
  | { readonly kind: 'distinctEventTypes' }
  /** Share of events whose UTC hour is in [from, to) of the band. */
  | { readonly kind: 'hourShare'; readonly band: HourBand }
  /** Share of events on Saturday or Sunday (UTC). */
  | { readonly kind: 'weekendShare' }
  /** Share of events in the last `days` days: ts > E − days. */
  | { readonly kind: 'recentShare'; readonly days: number }
  /**
   * Share of events on the window's peak days: UTC days with at least twice the active users of
   * most days within a week of them (sale days, launches, campaigns; ruleset/definitions.ts).
   */
  | { readonly kind: 'peakDayShare' }
  | { readonly kind: 'eventCount'; readonly events: EventSelector }
  | { readonly kind: 'eventShare'; readonly events: EventSelector }
  /** An aggregate of the product of numeric event columns (revenue = Quantity × UnitPrice). */
  | { readonly kind: 'value'; readonly name: string; readonly columns: readonly string[]; readonly aggregate: ValueAggregate }
  /** A column of the users or accounts table, as it is. */
  | { readonly kind: 'attribute'; readonly source: AttributeSource; readonly column: string; readonly type: 'number' | 'boolean' | 'category' }
  /**
   * Whole days from a date column of the users or accounts table to E's day. `tenure` when the
   * column dates the start of the relationship (signup, created, first seen), judged from the
   * column's name where it is defined.
   */
  | { readonly kind: 'attributeAge'; readonly source: AttributeSource; readonly column: string; readonly tenure: boolean };

export type MeaningKind = FeatureMeaning['kind'];

/** The family a meaning belongs to (the transform weighs and shrinks by family). */
export function familyOf(m: FeatureMeaning): FeatureFamily {
  switch (m.kind) {
    case 'events':
    case 'activeDays':
      return 'volume';
    case 'sessions':
    case 'eventsPerSession':
    case 'sessionMinutes':
      return 'sessions';
    case 'daysSinceLastEvent':
    case 'daysSinceFirstEvent':
    case 'recencyInUsualGaps':
      return 'recency';
    case 'activeDayShare':
    case 'daysBetweenActiveDays':
      return 'frequency';
    case 'distinctEventTypes':
      return 'breadth';
    case 'hourShare':
    case 'weekendShare':
    case 'peakDayShare':
      return 'time';
    case 'recentShare':
      return 'trend';
    case 'eventCount':
    case 'eventShare':
      return 'event_mix';
    case 'value':
      return 'value';
    case 'attribute':
    case 'attributeAge':
      return 'attribute';
    default:
      return assertUnreachable(m);
  }
}

const pad = (h: number) => String(h).padStart(2, '0');

/**
 * The parts of a feature's human wording: `text` is what it measures, `unit` the unit its values
 * are in (or null), `detail` an explanation that adds nothing to a sentence ("00–06 UTC"). The
 * label is `text (unit)` or `text (detail)`.
 */
export interface Wording {
  readonly text: string;
  readonly unit: string | null;
  readonly detail: string | null;
  /** For a 0–1 share: what it is a share of ("events at night"); `text` is "share of " + it. */
  readonly shareOf: string | null;
}

const VALUE_WORDS: Record<ValueAggregate, (name: string) => string> = {
  sum: (name) => `total ${name}`,
  // Over the events that carry it: per event of every kind it would be mostly zeros (QA: "mean
  // revenue per event (50.7 vs 104)" read as if every page view had earned 50).
  mean: (name) => `mean ${name} per event with ${name}`,
  max: (name) => `largest ${name} in one event`,
};

/** An attribute column in words: "plan", "account industry". */
export const attributeWords = (source: AttributeSource, column: string): string => (source === 'accounts' ? `account ${column}` : column);

export function wordingOf(m: FeatureMeaning): Wording {
  const plain = (text: string, unit: string | null = null, detail: string | null = null): Wording => ({ text, unit, detail, shareOf: null });
  const share = (of: string, detail: string | null = null): Wording => ({ text: `share of ${of}`, unit: null, detail, shareOf: of });
  switch (m.kind) {
    case 'events':
      return plain('events');
    case 'activeDays':
      return plain('active days');
    case 'sessions':
      return plain('sessions');
    case 'eventsPerSession':
      return plain('events per session');
    case 'sessionMinutes':
      return plain('average session length', 'minutes');
    case 'daysSinceLastEvent':
      return plain('days since last event');
    case 'daysSinceFirstEvent':
      return plain('days since first event');
    case 'activeDayShare':
      return share('days active since first event');
    case 'daysBetweenActiveDays':
      return plain('mean days between active days');
    case 'recencyInUsualGaps':
      return plain('time since last event', 'usual gaps');
    case 'distinctEventTypes':
      return plain('distinct event types');
    case 'hourShare': {
      const { from, to } = HOUR_BANDS[m.band];
      const at = m.band === 'night' ? 'at night' : `in the ${m.band}`;
      return share(`events ${at}`, `${pad(from)}–${pad(to)} UTC`);
    }
    case 'weekendShare':
      return share('events on weekends');
    case 'peakDayShare':
      return share('events on peak days', 'days with twice the active users of the week around');
    case 'recentShare':
      return share(`events in the last ${m.days} days`);
    case 'eventCount':
      return plain(m.events.type === 'event' ? `count of "${m.events.event}"` : 'count of other events');
    case 'eventShare':
      return plain(m.events.type === 'event' ? `share of "${m.events.event}"` : 'share of other events');
    case 'value':
      return plain(VALUE_WORDS[m.aggregate](m.name.replace(/_/g, ' ')), null, m.columns.join(' × '));
    case 'attribute':
      return plain(attributeWords(m.source, m.column));
    case 'attributeAge':
      return plain(`days since ${attributeWords(m.source, m.column)}`);
    default:
      return assertUnreachable(m);
  }
}

/** The full label: "average session length (minutes)", "share of events at night (00–06 UTC)". */
export function labelOf(m: FeatureMeaning): string {
  const { text, unit, detail } = wordingOf(m);
  const paren = unit ?? detail;
  return paren === null ? text : `${text} (${paren})`;
}

/** The event a count or share is about, when it is one event type (not the "other" bucket). */
export function eventOf(m: FeatureMeaning): string | null {
  return (m.kind === 'eventCount' || m.kind === 'eventShare') && m.events.type === 'event' ? m.events.event : null;
}
