/**
 * The machine-readable documents a run writes. `segmint report RUN` re-renders the reports from
 * these alone, so everything the reports show must be in here.
 */
import type { FeatureMeaning } from '../core/meaning.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Warning } from '../core/messages.js';
import type { AnalysisWindow, EventColumnMapping, InputFingerprint, RowAccounting } from '../stages/ingest/types.js';
import type { KScore, ClusterModel } from '../stages/cluster/types.js';
import type { PcaModel } from '../stages/reduce/types.js';
import type { TransformModel } from '../stages/transform/types.js';
import type { SegmentProfile } from '../stages/profile/types.js';
import type { OutcomeMeasure } from '../stages/outcomes/types.js';
import type { RuleSet } from '../stages/rules/types.js';
import type { Distribution } from '../ruleset/schema.js';
import type { EndedStatus, LineageStatus } from './match.js';

export type { LineageStatus } from './match.js';

export interface Manifest {
  readonly kind: 'segmint.manifest';
  readonly version: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly seed: number;
  readonly config: ResolvedConfig;
  readonly configHash: string;
  readonly inputs: readonly InputFingerprint[];
  readonly mapping: EventColumnMapping | null;
  /** Optional: the users' and accounts' keys the run read by (configured or detected); absent in runs before it was recorded. */
  readonly keys?: TableKeys;
  readonly window: AnalysisWindow;
  readonly accounting: readonly RowAccounting[];
  /** Milliseconds per stage, in pipeline order. */
  readonly timings: readonly { readonly stage: string; readonly ms: number }[];
  readonly versions: Readonly<Record<string, string>>;
  readonly warnings: readonly Warning[];
  readonly users: number;
  readonly features: number;
  /** Optional: the window's peak days (`YYYY-MM-DD`) behind `peak_day_share`; absent when it has none. */
  readonly peakDays?: readonly string[];
  /** The job the run belongs to (config name, or the inputs of an ad-hoc run); absent in runs before jobs existed. */
  readonly job?: string;
}

/** The key columns a run's users and accounts tables were read by. */
export interface TableKeys {
  readonly users: { readonly key: string; readonly accountKey: string | null } | null;
  readonly accounts: { readonly key: string } | null;
}

/** Where a segment comes from: the run it was matched against and what became of it. */
export interface SegmentLineage {
  /** Run id of the previous run of the job it was matched against (null: the job's first run, or --no-previous). */
  readonly previousRun: string | null;
  /** The key it inherited (it continues that segment), or null for a segment with a key of its own. */
  readonly inheritedKey: string | null;
  /** The previous segment the one-to-one matching paired it with, and their Jaccard (null when unpaired). */
  readonly matchedKey: string | null;
  readonly score: number | null;
  readonly status: LineageStatus;
  /** Keys of the previous segments it came from (the one it continues, the one that split, the merged ones). */
  readonly from: readonly string[];
  /** Its name in the previous run, when it inherited a key and its traits changed enough to be renamed. */
  readonly previousName: string | null;
}

/** A segment of the previous run that no segment of this run continues. */
export interface EndedSegment {
  readonly key: string;
  readonly name: string;
  /** Its id and size in the previous run. */
  readonly previousId: number;
  readonly size: number;
  readonly status: EndedStatus;
  /** Keys of this run's segments its users went to (split, merged). */
  readonly into: readonly string[];
  readonly score: number | null;
}

/** Users moving from one key to another (key `-1`: no events in the window; empty: not in that run). */
export interface TransitionCount {
  readonly from: string;
  readonly to: string;
  readonly users: number;
}

/** This run against the previous run of its job. */
export interface RunLineage {
  readonly job: string;
  readonly previousRun: string | null;
  /** Optional: the previous run's job when it is another (a run linked by --previous); absent when the same. */
  readonly previousJob?: string;
  readonly previousEnd: string | null;
  readonly ended: readonly EndedSegment[];
  /** From × to counts over every user of either run (the diagonal included). */
  readonly transitions: readonly TransitionCount[];
  /** Users in a segment in both runs, and those of them whose key stayed the same. */
  readonly sharedUsers: number;
  readonly keptKey: number;
  /** Population stability index of each feature against the previous run, largest first (features both runs have). */
  readonly drift: readonly { readonly feature: string; readonly label: string; readonly psi: number }[];
  /** Segments were started from the previous run's centres (cluster.warm_start: previous). */
  readonly warmStart: boolean;
}

/** One run of the job in the size history (the last HISTORY_RUNS runs, this one last). */
export interface HistoryRun {
  /** null for the run whose segments.json this is (its id is not known to its documents, which stay byte-identical for the same inputs). */
  readonly runId: string | null;
  readonly end: string;
  readonly users: number;
  readonly segments: readonly { readonly key: string; readonly name: string; readonly size: number; readonly share: number }[];
}


export interface SegmentsDoc {
  readonly kind: 'segmint.segments';
  readonly version: 1;
  readonly k: number;
  /** Users clustered (with events in the window, or every users-table row in an attribute-only run). */
  readonly users: number;
  /** Known users with no events in the window: the no-events group (absent in runs before it existed). */
  readonly usersWithoutEvents?: number;
  readonly selection: { readonly method: 'fixed' | 'auto'; readonly reason: string; readonly strongStructure: boolean };
  readonly scores: readonly KScore[];
  readonly explainedVariance: readonly number[];
  /** Outcome columns (inputs.users.outcomes) per segment, never clustered on (absent without outcomes). */
  readonly outcomes?: readonly OutcomeMeasure[];
  readonly segments: readonly (SegmentProfile & {
    readonly stability: number | null;
    /** A short identifier kept across the job's runs (absent in runs written before keys). */
    readonly key?: string;
    readonly lineage?: SegmentLineage;
  })[];
  /** Against the previous run of the job (absent in runs written before lineage). */
  readonly lineage?: RunLineage;
  /** Each key's size over the job's runs, this one last (absent in runs written before lineage). */
  readonly history?: readonly HistoryRun[];
  /** Each feature's distribution (deciles or category shares), for the next run's drift. */
  readonly distributions?: Readonly<Record<string, Distribution>>;
  /** Everything needed to score new users: raw features → transform → PCA → nearest centroid. */
  readonly model: {
    readonly features: readonly string[];
    /**
     * What each feature means (every column of the run's feature table, by name). Absent only in
     * runs written before segmint recorded meanings; `assign` needs it.
     */
    readonly meanings?: Readonly<Record<string, FeatureMeaning>>;
    readonly transform: TransformModel;
    readonly pca: PcaModel;
    readonly kmeans: ClusterModel;
  };
  /**
   * A deterministic sample of users' first two PCA coordinates for the report's map
   * (at most 2,000 points), as [x, y, segment] triples rounded to 4 decimals.
   */
  readonly map: readonly (readonly [number, number, number])[];
}

/** Everything the report renderers take. */
export interface RunDocuments {
  readonly manifest: Manifest;
  readonly segments: SegmentsDoc;
  readonly rules: RuleSet;
}
