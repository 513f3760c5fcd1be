/**
 * The resolved config: every setting present, validated and defaulted once by `resolveConfig`.
 * Stages only ever see this shape, never the user's YAML.
 */
import type { PresetName } from '../core/presets.js';
import type { FeatureFamily } from '../stages/features/types.js';

export interface EventsInput {
  /** Files, directories or globs; resolved to absolute paths. */
  readonly paths: readonly string[];
  /** null = auto-detect from common names. */
  readonly columns: {
    readonly userId: string | null;
    readonly event: string | null;
    readonly timestamp: string | null;
    /** Message / insert id used to drop duplicate deliveries; null = auto-detect. */
    readonly eventId: string | null;
  };
  /** Vendor export shape (YAML `source.preset`, CLI `--preset`); null = plain columns. */
  readonly preset: PresetName | null;
  /** Event name for every row when the file has no event column (e.g. `purchase` for an order log). */
  readonly eventName: string | null;
  /** Rows matching a test get another event name (e.g. invoices starting with C are cancellations). First match wins. */
  readonly eventCases: readonly EventCase[];
}

export interface EventCase {
  readonly column: string;
  /** Exactly one test is set. */
  readonly startsWith: string | null;
  readonly equals: string | null;
  /** The column's value, read as a number, is below zero. */
  readonly negative: boolean;
  readonly event: string;
}

/** A per-user value feature from numeric event columns: the product of `columns`, aggregated. */
export interface ValueFeature {
  readonly name: string;
  readonly columns: readonly string[];
  readonly aggregates: readonly ('sum' | 'mean' | 'max')[];
}

export interface TableInput {
  readonly paths: readonly string[];
  /** Key column; null = auto-detect. */
  readonly key: string | null;
  /** Columns never used as attributes (ids, free text). */
  readonly exclude: readonly string[];
  /**
   * Optional (present only when set): outcome columns (`outcomes: [churned, revenue]`, `--outcome`).
   * Never clustered on, never in rules: reported per segment (src/stages/outcomes).
   */
  readonly outcomes?: readonly string[];
  /** Optional (present only when set): declared column types, overriding detection (`types: { Region: category }`). */
  readonly types?: Readonly<Record<string, ColumnTypeName>>;
}

/** Column types an analyst can declare for a users/accounts column (`inputs.users.types`). */
export const COLUMN_TYPE_NAMES = ['category', 'number', 'date', 'id', 'ignore'] as const;
export type ColumnTypeName = (typeof COLUMN_TYPE_NAMES)[number];

export interface UsersInput extends TableInput {
  /** Column joining users to accounts; null = auto-detect (a column the accounts table shares). */
  readonly accountKey: string | null;
}

/**
 * A warehouse run (`--warehouse URL` / `inputs.warehouse`): the per-event work happens in the
 * warehouse's own SQL and only per-user features come back (src/warehouse). The password is never
 * part of the config: it is read from SEGMINT_WAREHOUSE_PASSWORD (or PGPASSWORD) when connecting.
 */
export interface WarehouseInput {
  /** `postgres://user@host:port/database`, without a password. */
  readonly url: string;
  /** Table names as parts (`analytics.events` → ['analytics', 'events']). */
  readonly events: {
    readonly table: readonly string[];
    readonly columns: EventsInput['columns'];
    /** A vendor's warehouse table (`source.preset`): its columns and bookkeeping events (src/warehouse/presets.ts). */
    readonly preset: PresetName | null;
  };
  readonly users: { readonly table: readonly string[]; readonly key: string | null; readonly accountKey: string | null; readonly exclude: readonly string[] } | null;
  readonly accounts: { readonly table: readonly string[]; readonly key: string | null; readonly exclude: readonly string[] } | null;
  /** Write every user's segment to this table in the warehouse (`--write-assignments`), or null. */
  readonly writeAssignments: readonly string[] | null;
}

export interface ResolvedConfig {
  readonly name: string;
  /** Absolute path of the config file, or null when run from CLI flags only. */
  readonly source: string | null;
  readonly seed: number;
  readonly inputs: {
    /** null for attribute-only runs (a per-customer table and no events). */
    readonly events: EventsInput | null;
    readonly users: UsersInput | null;
    readonly accounts: TableInput | null;
    /** Optional: present for a warehouse run (then events, users and accounts are null). */
    readonly warehouse?: WarehouseInput;
  };
  readonly window: { readonly days: number; /** ISO date/time, null = latest event. */ readonly end: string | null };
  readonly features: {
    readonly sessionGapMinutes: number;
    /** Event types with their own count/share features; the rest fold into "other". */
    readonly topEvents: number;
    /** Trend compares the last `trendDays` days with the days before. */
    readonly trendDays: number;
    /** Monetary / numeric value features from event columns. */
    readonly values: readonly ValueFeature[];
    /** Count vendor-internal events ($identify, session_start, …) as behaviour. Default false. */
    readonly includeInternalEvents: boolean;
  };
  readonly transform: {
    /** Apply log1p to non-negative features whose skew exceeds this. */
    readonly log1pSkew: number;
    /** Winsorising quantiles. */
    readonly winsorize: readonly [number, number];
    readonly scaling: 'robust' | 'standard';
    readonly topCategories: number;
    /** Drop a feature whose |correlation| with an earlier kept one is at least this. */
    readonly nearDuplicate: number;
    /** Prior strength, in observations, shrinking time, trend, session and gap features toward the population (0 = off; transform/steps.ts). */
    readonly shrinkage: number;
    /** Relative weight of each family in the clustering space (0 = describe only, do not cluster on it). */
    readonly weights: Readonly<Record<FeatureFamily, number>>;
    /**
     * `weights.attribute: auto`: the attribute weight to retry with when behaviour alone shows no
     * strong structure; null when the attribute weight was given (or in an attribute-only run).
     */
    readonly attributeFallback: number | null;
  };
  readonly reduce: {
    /** Number of components, or null = as many as reach `variance`. */
    readonly components: number | null;
    readonly variance: number;
  };
  readonly cluster: {
    /** Fixed k, or null = choose from kRange. */
    readonly k: number | null;
    readonly kRange: readonly [number, number];
    readonly restarts: number;
    readonly maxIterations: number;
    /** Users sampled for the k sweep and silhouette. */
    readonly sampleSize: number;
    /** Resamples for stability. */
    readonly stabilityRuns: number;
    /**
     * Candidate k with a segment below this share are ineligible, unless that segment is stable
     * across resamples (a small distinct group is reported, not allowed to veto a larger k).
     */
    readonly minShare: number;
    /** No segment may have fewer users than this, whatever its share; fewer users than 2 × this cannot be segmented. */
    readonly minSize: number;
    /** Segments whose stability (Jaccard) is below this are flagged. */
    readonly unstableBelow: number;
    /**
     * `previous`: the final fit starts from the previous run's segment centres (run/lineage.ts), so
     * a weekly job does not reshuffle segments when the data barely moved; `none`: k-means++ restarts.
     */
    readonly warmStart: 'none' | 'previous';
  };
  readonly profile: { readonly traits: number };
  readonly rules: { readonly maxConditions: number };
  readonly output: {
    /** Folder runs land in (absolute). */
    readonly dir: string;
    readonly maxRejectRate: number;
  };
}
