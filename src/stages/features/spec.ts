/** The internal description of one feature column: its metadata and the SQL computing it. */
import type { FeatureMeaning } from '../../core/meaning.js';
import type { Evidence } from './types.js';

/** A share of the user's events rests on as many observations as the user has events. */
export const OF_EVENTS: Evidence = { observations: 'events', offset: 0 };

export interface FeatureSpec {
  readonly name: string;
  /** What the column means; its family and label are derived from it (see meaning.ts). */
  readonly meaning: FeatureMeaning;
  readonly kind: 'numeric' | 'boolean' | 'categorical';
  /** Numeric only: render as integers (counts, days). */
  readonly integer: boolean;
  /** Numeric only: a share or mean over the user's own observations (see {@link Evidence}). */
  readonly evidence?: Evidence;
  /** Described and used in rules, never clustered on (see features/types.ts). */
  readonly describeOnly?: boolean;
  /** Expression over the aliases of the final feature query (see `behaviour.ts`). */
  readonly sql: string;
}
