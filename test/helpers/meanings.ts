/**
 * A representative meaning for a test feature that only cares about its family (the transform's
 * weights) or its kind: tests that are about wording pass the meaning itself.
 */
import type { FeatureMeaning } from '../../src/core/meaning.js';
import type { FeatureFamily } from '../../src/stages/features/types.js';

export function meaningFor(family: FeatureFamily, kind: 'numeric' | 'boolean' | 'categorical', name: string): FeatureMeaning {
  switch (family) {
    case 'volume':
      return { kind: 'events' };
    case 'sessions':
      return { kind: 'sessions', gapMinutes: 30 };
    case 'recency':
      return { kind: 'daysSinceLastEvent' };
    case 'frequency':
      return { kind: 'activeDayShare' };
    case 'event_mix':
      return { kind: 'eventShare', events: { type: 'event', event: name } };
    case 'breadth':
      return { kind: 'distinctEventTypes' };
    case 'time':
      return { kind: 'weekendShare' };
    case 'trend':
      return { kind: 'recentShare', days: 14 };
    case 'value':
      return { kind: 'value', name, columns: [name], aggregate: 'sum' };
    case 'attribute':
      return { kind: 'attribute', source: 'users', column: name, type: kind === 'numeric' ? 'number' : kind === 'boolean' ? 'boolean' : 'category' };
  }
}
