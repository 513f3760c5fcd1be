/** A rule is a conjunction of at most 3 conditions over raw features and attributes. */
export type Condition =
  | { readonly feature: string; readonly op: '>=' | '<'; readonly value: number; readonly label: string }
  | { readonly feature: string; readonly op: '=' | '!='; readonly value: string | boolean; readonly label: string };

export interface RuleMetrics {
  /** Users the rule selects that are in the segment. */
  readonly truePositives: number;
  /** Users the rule selects. */
  readonly selected: number;
  /** Users in the segment. */
  readonly segmentSize: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** selected / all users. */
  readonly support: number;
  /** precision / base rate of the segment. */
  readonly lift: number;
}

export interface Rule {
  readonly id: string;
  readonly segment: number;
  readonly segmentName: string;
  readonly conditions: readonly Condition[];
  /** "days since last event >= 30 AND share of report_viewed >= 0.4" */
  readonly text: string;
  readonly metrics: RuleMetrics;
  /** SELECT user_id FROM features WHERE … */
  readonly sql: string;
  readonly jsonLogic: unknown;
  /** The SQL, executed in DuckDB, selected exactly the users the metrics count. */
  readonly verified: boolean;
}

/** The rule of users with no events in the window (core/groups.ts): exact, not a suggestion. */
export interface NoEventsRule {
  readonly segment: -1;
  readonly segmentName: string;
  readonly text: string;
  /** Users it selects (all of the group). */
  readonly users: number;
  /** SELECT user_id FROM users WHERE user_id NOT IN (SELECT user_id FROM features) */
  readonly sql: string;
  readonly verified: boolean;
}

export interface RuleSet {
  readonly kind: 'segmint.rules';
  readonly version: 1;
  readonly table: string;
  readonly rules: readonly Rule[];
  /** Present when some known users had no events in the window. */
  readonly noEvents?: NoEventsRule;
}
