/** The per-user feature table: one row per user, raw (unscaled, interpretable) values. */

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

interface FeatureBase {
  /** Column name in the DuckDB `features` table (quote it in SQL). */
  readonly name: string;
  readonly family: FeatureFamily;
  /** Human wording, e.g. "events per session", "share of report_viewed events". */
  readonly label: string;
}

export interface NumericFeature extends FeatureBase {
  readonly kind: 'numeric';
  /** One value per user, aligned with FeatureTable.userIds; NaN where missing. */
  readonly values: Float64Array;
  /** Where rules should render values as integers (counts, days). */
  readonly integer: boolean;
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
  readonly columns: readonly Feature[];
}
