import type { Matrix } from '../../core/matrix.js';
import type { Placement } from './assign.js';
import type { ContinuumPair } from './continuum.js';

export type { Placement };

/** Quality of one candidate k. Metrics that were not computed are null. */
export interface KScore {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number | null;
  readonly calinskiHarabasz: number | null;
  readonly daviesBouldin: number | null;
  /** Mean adjusted Rand index between fits on resamples. */
  readonly stability: number | null;
  /** Share of the smallest segment (on the sweep's sample). */
  readonly minShare: number;
  /** The smallest segment's size among all users, estimated from its share of the sample. */
  readonly smallestUsers: number;
  /** The least stable segment's mean best-match Jaccard across resamples (null without resamples). */
  readonly weakestSegment: number | null;
  /** That segment's share of the sweep's sample (absent without resamples, and in runs written before it was recorded). */
  readonly weakestShare?: number;
  /** Segments below `min_share` admitted because they are stable (small distinct groups). */
  readonly smallStable: number;
  /**
   * Gap statistic against a single-Gaussian reference (log inertia the reference would have,
   * minus the data's); grows with every real segment. Absent when k was fixed.
   */
  readonly gap?: number;
  /** Each gate a candidate must pass to compete (see select-k.ts). */
  readonly gates: KGates;
  /** Passed every gate. */
  readonly eligible: boolean;
}

export interface KGates {
  /** Every segment has at least `min_size` users. */
  readonly size: boolean;
  /** Every segment holds at least `min_share` of users, or is a stable small group. */
  readonly share: boolean;
  /** Every segment is reproduced across resamples (weakest segment's Jaccard ≥ 0.8). */
  readonly stable: boolean;
}

export interface ClusterModel {
  readonly kind: 'segmint.kmeans';
  readonly version: 1;
  readonly centroids: readonly (readonly number[])[];
}

export interface ClusterResult {
  readonly k: number;
  /** Segment id per user; segments are numbered 0..k-1 by size, largest first. */
  readonly labels: Int32Array;
  /** k × dims, in the reduced space, ordered like the segment ids. */
  readonly centroids: Matrix;
  /** Each user's label (the same array as `labels`), distance to its centre and margin to the next. */
  readonly placement: Placement;
  readonly inertia: number;
  readonly iterations: number;
  readonly scores: readonly KScore[];
  readonly selection: { readonly method: 'fixed' | 'auto'; readonly reason: string; readonly strongStructure: boolean };
  /** Per segment: mean best-match Jaccard across resamples (null when not computed). */
  readonly segmentStability: readonly (number | null)[];
  /**
   * Neighbouring segments with no gap between them (continuum.ts), on the sweep's sample; the
   * pipeline warns about each once the segments are profiled and it can say what sets them apart.
   */
  readonly noGapPairs: readonly ContinuumPair[];
  readonly model: ClusterModel;
  /**
   * With ClusterOptions.warmStart: whether the fit from the previous run's centres was kept (it
   * is, unless the cold restarts found a clearly better optimum; see WARM_TOLERANCE).
   */
  readonly warmStarted?: boolean;
}
