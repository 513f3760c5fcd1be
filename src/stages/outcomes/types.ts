/** What the outcomes stage reports: each outcome per segment, against everyone. */

/** An outcome's value over a group of users: a rate or a mean, with its 95% interval. */
export interface OutcomeStat {
  /** Users of the group with a value for this outcome (users without one are left out). */
  readonly n: number;
  /** Rate (0–1) or mean; null when no user of the group has a value. */
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export interface SegmentOutcome extends OutcomeStat {
  /** Segment id; -1 is the group of known users with no events in the window. */
  readonly segment: number;
  /** value / everyone's value (null when either is missing or everyone's is not above 0). */
  readonly lift: number | null;
}

/**
 * One reported measure of an outcome column: the rate of a flag (its `true` share), the rate of
 * one level of a category (one measure per level, most frequent first), or a number's mean.
 */
export interface OutcomeMeasure {
  /** The outcome column, as named in its table. */
  readonly outcome: string;
  readonly source: 'users' | 'accounts';
  readonly kind: 'rate' | 'mean';
  /** The level whose rate this is (`true` for a flag); null for a mean. */
  readonly level: string | null;
  /** Column header: `Revenue`, `final_result = Fail`, `mean revenue`. */
  readonly label: string;
  /** Every user of the run: the segments and the no-events group together. */
  readonly everyone: OutcomeStat;
  /** By segment id, then -1 when there are users with no events. */
  readonly segments: readonly SegmentOutcome[];
}
