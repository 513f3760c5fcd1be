/**
 * The k sweep: for each candidate k, fit on the sample and measure every criterion the
 * selection rule looks at.
 */
import type { ResolvedConfig } from '../../config/types.js';
import { selectRows, type Matrix } from '../../core/matrix.js';
import { sampleIndices, type Rng } from '../../core/rng.js';
import { kmeans } from './kmeans.js';
import { calinskiHarabasz, clusterSizes, daviesBouldin, silhouette } from './metrics.js';
import { pairwiseStability, refitPoorSeedings, resampleFits, segmentJaccard, type ResampleFit } from './stability.js';
import { SEGMENT_STABLE, STABLE } from './select-k.js';
import type { KScore } from './types.js';

/**
 * Silhouette is O(m²): it is measured on at most this many rows of the sample, which keeps its
 * standard error around 0.01 while costing tens of milliseconds per k.
 */
export const SILHOUETTE_ROWS = 1500;

export interface SweepEntry {
  readonly score: KScore;
  /** The resample fits behind `score.stability`, reused for per-segment stability. */
  readonly fits: readonly ResampleFit[];
  /** Labels of the sample under this k's fit. */
  readonly labels: Int32Array;
  /** The sample rows silhouette was measured on. */
  readonly silhouetteRows: Int32Array;
  /**
   * When this k failed the stable gate alone: the same k judged on its resamples with the poorly
   * seeded ones refitted (stability.ts `refitPoorSeedings`), and how many were; null when none
   * was or the k failed another gate. Only a k below the largest eligible one is judged by it
   * (cluster.ts `withReseeded`).
   */
  readonly reseeded?: { readonly entry: SweepEntry; readonly refitted: number } | null;
}

type ClusterConfig = ResolvedConfig['cluster'];

/**
 * Restarts of the one fit per candidate k whose segments the resamples are compared with. With 3,
 * a poor local optimum at the true k now and then made that k look unstable, so the sweep chose
 * k + 1 (bench/quality unequal-sizes seed 5 with recency in usual gaps: inertia 35,999 against
 * the 33,102 a better seeding finds). Five restarts cost two more fits per k beside the twenty
 * resample fits.
 */
const SWEEP_RESTARTS = 5;

/**
 * Fits made only to score a candidate k use at most SWEEP_RESTARTS restarts and 50 iterations:
 * the ranking of k barely moves beyond that, and the sweep makes a hundred-odd fits. The final
 * fit on all users uses the configured values.
 */
export function sweepSettings(config: ClusterConfig): { restarts: number; maxIterations: number } {
  return { restarts: Math.min(config.restarts, SWEEP_RESTARTS), maxIterations: Math.min(config.maxIterations, 50) };
}

/**
 * Scores one k on `sample` (fit with restarts, metrics, resample stability) and applies the
 * gates; `users` is the number of users the sample was drawn from (sizes are estimated for them).
 */
export function scoreK(sample: Matrix, k: number, config: ClusterConfig, rng: Rng, users: number): SweepEntry {
  const settings = sweepSettings(config);
  const fit = kmeans(sample, k, { rng: rng.fork(), ...settings });
  const silhouetteRows = sampleIndices(sample.rows, SILHOUETTE_ROWS, rng.fork());
  // Two restarts per resample: a single seeding lands in a poor local optimum often enough to
  // make a clear k look unstable; stability should measure the data, not seeding luck.
  const resampling = { ...settings, restarts: Math.min(settings.restarts, 2) };
  const fits = resampleFits(sample, k, config.stabilityRuns, resampling, rng.fork());
  const entry = judgeReference(sample, k, fit, fits, silhouetteRows, config, users);
  const { size, share, stable } = entry.score.gates;
  if (!size || !share || stable) return entry;
  const again = refitPoorSeedings(sample, k, fits, resampling, fit.centroids);
  const reseeded = again.refitted === 0 ? null : { entry: judgeReference(sample, k, fit, again.fits, silhouetteRows, config, users), refitted: again.refitted };
  return { ...entry, reseeded };
}

/**
 * Scores one k from its reference fit of the sample (whose segments are judged) and the
 * resample fits they are compared with. `silhouetteRows`: the sample rows silhouette is
 * measured on. `segmentBar`: the Jaccard every segment needs for the stable gate (a k the
 * previous run chose stays at a lower bar than a new one enters at: continuity.ts).
 */
export function judgeReference(
  sample: Matrix,
  k: number,
  fit: { readonly labels: Int32Array; readonly inertia: number },
  fits: readonly ResampleFit[],
  silhouetteRows: Int32Array,
  config: ClusterConfig,
  users: number,
  segmentBar: number = SEGMENT_STABLE,
): SweepEntry {
  const sizes = clusterSizes(fit.labels, k);
  const minShare = Math.min(...sizes) / sample.rows;
  const silLabels = Int32Array.from(silhouetteRows, (i) => fit.labels[i]);
  const sil = silhouette(selectRows(sample, silhouetteRows), silLabels, k);

  const stability = pairwiseStability(fits, sample.rows);
  // A segment under min_share that resampling finds again and again is a small distinct group
  // (a 1.7% cohort of failing students): report it rather than let it veto this k.
  const jaccard = segmentJaccard(fit.labels, k, fits);
  let smallStable = 0;
  let smallLoose = 0;
  sizes.forEach((size, c) => {
    if (size / sample.rows >= config.minShare) return;
    if ((jaccard[c] ?? 0) >= config.unstableBelow) smallStable++;
    else smallLoose++;
  });
  const smallestUsers = Math.round(minShare * users);
  const weakestSegment = jaccard.some((j) => j !== null) ? Math.min(...jaccard.map((j) => j ?? 1)) : null;
  const weakest = weakestSegment === null ? -1 : jaccard.findIndex((j) => (j ?? 1) === weakestSegment);
  const gates = {
    size: smallestUsers >= config.minSize,
    share: smallLoose === 0,
    // Every segment reproduced, not just the partition on average: a mean ARI of 0.9 hides one
    // segment carved at random out of another.
    stable: weakestSegment === null ? stability === null || stability >= STABLE : weakestSegment >= segmentBar,
  };
  return {
    score: {
      k,
      inertia: fit.inertia,
      silhouette: sil,
      calinskiHarabasz: calinskiHarabasz(sample, fit.labels, k),
      daviesBouldin: daviesBouldin(sample, fit.labels, k),
      stability,
      minShare,
      smallestUsers,
      weakestSegment,
      ...(weakest >= 0 ? { weakestShare: sizes[weakest] / sample.rows } : {}),
      smallStable,
      gates,
      eligible: gates.size && gates.share && gates.stable,
    },
    fits,
    labels: fit.labels,
    silhouetteRows,
  };
}
