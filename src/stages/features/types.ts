/** The per-user feature table: one row per user, raw (unscaled, interpretable) values. */
import type { FeatureFamily, FeatureMeaning } from '../../core/meaning.js';

export type { FeatureFamily } from '../../core/meaning.js';

/**
 * How much evidence a user's value rests on: the feature is a share or a mean over
 * `observations + offset` observations of the user's own (the value of feature `observations`
 * in the same row, e.g. a share of events rests on `events` observations, a mean gap between
 * active days on `active_days − 1`). The transform shrinks such values toward the population
 * in proportion to how little evidence there is, so a user with three events does not weigh
 * as much as a heavy user in the clustering space.
 */
export interface Evidence {
  readonly observations: string;
  readonly offset: number;
}

interface FeatureBase {
  /** Column name in the DuckDB `features` table (quote it in SQL); unique by construction. */
  readonly name: string;
  /** What the column means (switch on it; never parse `name` or `label`). */
  readonly meaning: FeatureMeaning;
  /** Derived from `meaning` (familyOf). */
  readonly family: FeatureFamily;
  /** Human wording derived from `meaning` (labelOf), e.g. "events per session", `share of "report_viewed"`. */
  readonly label: string;
  /**
   * Describes segments and may appear in rules, but is not clustered on: it repeats what other
   * columns already put in the clustering space (a count of one event type is events × share).
   */
  readonly describeOnly?: boolean;
}

export interface NumericFeature extends FeatureBase {
  readonly kind: 'numeric';
  /** One value per user, aligned with FeatureTable.userIds; NaN where missing. */
  readonly values: Float64Array;
  /** Where rules should render values as integers (counts, days). */
  readonly integer: boolean;
  /** Set for shares and means of a user's own observations (see {@link Evidence}). */
  readonly evidence?: Evidence;
}

export interface BooleanFeature extends FeatureBase {
  readonly kind: 'boolean';
  /** 1 / 0, NaN where missing. */
  readonly values: Float64Array;
}

export interface CategoricalFeature extends FeatureBase {
  readonly kind: 'categorical';
  /** One value per user; null where missing. */
  readonly values: readonly (string | null)[];
}

export type Feature = NumericFeature | BooleanFeature | CategoricalFeature;

export interface FeatureTable {
  /** Name of the DuckDB table holding the same data (columns: user_id + every feature name). */
  readonly table: 'features';
  /** Sorted ascending (byte order), unique. */
  readonly userIds: readonly string[];
  /**
   * Users with a row in the users table but no event in the window, sorted like `userIds`: not
   * in the table (nothing to cluster), kept as the no-events group (core/groups.ts).
   */
  readonly usersWithoutEvents: readonly string[];
  /** The engine table of known users (ingest's handle), or null without one. */
  readonly usersTable: 'users' | null;
  readonly columns: readonly Feature[];
  /** Optional: the window's peak days (`YYYY-MM-DD`) behind `peak_day_share`; absent when it has none. */
  readonly peakDays?: readonly string[];
}
