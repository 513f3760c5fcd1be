/**
 * Which features a promotable rule may test. A rule outlives the run that suggested it: it is
 * applied weekly to new data, so each of its features must mean the same thing on that data as
 * it did in the run. Decided per meaning, so a new kind of feature must be considered here.
 */
import { assertUnreachable } from '../../core/errors.js';
import type { FeatureMeaning } from '../../core/meaning.js';

export function usableInRules(m: FeatureMeaning): boolean {
  switch (m.kind) {
    case 'eventCount':
    case 'eventShare':
      // "Other events" are the types outside this run's top list: another run, or the same
      // rule applied to next month's data, would count a different set of types.
      return m.events.type === 'event';
    case 'events':
    case 'activeDays':
    case 'sessions':
    case 'eventsPerSession':
    case 'sessionMinutes':
    case 'daysSinceLastEvent':
    case 'daysSinceFirstEvent':
    case 'activeDayShare':
    case 'daysBetweenActiveDays':
    case 'recencyInUsualGaps':
    case 'distinctEventTypes':
    case 'hourShare':
    case 'weekendShare':
    case 'peakDayShare':
    case 'recentShare':
    case 'value':
    case 'attribute':
    case 'attributeAge':
      return true;
    default:
      return assertUnreachable(m);
  }
}
