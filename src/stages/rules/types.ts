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

export interface RuleSet {
  readonly kind: 'segmint.rules';
  readonly version: 1;
  readonly table: string;
  readonly rules: readonly Rule[];
}
