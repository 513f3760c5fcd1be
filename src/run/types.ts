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
  readonly window: AnalysisWindow;
  readonly accounting: readonly RowAccounting[];
  /** Milliseconds per stage, in pipeline order. */
  readonly timings: readonly { readonly stage: string; readonly ms: number }[];
  readonly versions: Readonly<Record<string, string>>;
  readonly warnings: readonly Warning[];
  readonly users: number;
  readonly features: number;
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
  readonly segments: readonly (SegmentProfile & { readonly stability: number | null })[];
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
