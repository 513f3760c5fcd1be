/**
 * Stability under resampling: refit k-means on ~80% subsamples and see whether the partitions
 * agree. Pairwise adjusted Rand index measures a whole k (Lange et al. 2004, Ben-Hur et al.
 * 2002); best-match Jaccard per segment measures each segment (Hennig 2007).
 */
import { selectRows, type Matrix } from '../../core/matrix.js';
import { sampleIndices, type Rng } from '../../core/rng.js';
import { nearestLabels } from './assign.js';
import { kmeans } from './kmeans.js';
import { adjustedRandIndex } from './metrics.js';

/** Share of rows in each resample. */
export const RESAMPLE_SHARE = 0.8;

export interface ResampleFit {
  /** Rows of `points` the fit saw, ascending. */
  readonly rows: Int32Array;
  /** Nearest fitted centre for every row of `points` (seen or not). */
  readonly predicted: Int32Array;
}

export interface FitSettings {
  readonly restarts: number;
  readonly maxIterations: number;
}

/** `runs` fits of `k` clusters, each on its own seeded ~80% subsample of `points`. */
export function resampleFits(points: Matrix, k: number, runs: number, settings: FitSettings, rng: Rng): ResampleFit[] {
  const fits: ResampleFit[] = [];
  const size = Math.min(points.rows, Math.max(k, Math.round(points.rows * RESAMPLE_SHARE)));
  for (let r = 0; r < runs; r++) {
    const rows = sampleIndices(points.rows, size, rng.fork());
    const fit = kmeans(selectRows(points, rows), k, { rng: rng.fork(), ...settings });
    fits.push({ rows, predicted: nearestLabels(fit.centroids, points) });
  }
  return fits;
}

/** Mean adjusted Rand index over every pair of fits, on the rows both fits saw; null with < 2 fits. */
export function pairwiseStability(fits: readonly ResampleFit[], n: number): number | null {
  if (fits.length < 2) return null;
  const seen = new Uint8Array(n);
  let total = 0;
  let count = 0;
  for (let a = 0; a < fits.length; a++) {
    seen.fill(0);
    for (const i of fits[a].rows) seen[i] = 1;
    for (let b = a + 1; b < fits.length; b++) {
      const common = fits[b].rows.filter((i) => seen[i] === 1);
      const la = new Int32Array(common.length);
      const lb = new Int32Array(common.length);
      common.forEach((row, t) => {
        la[t] = fits[a].predicted[row];
        lb[t] = fits[b].predicted[row];
      });
      total += adjustedRandIndex(la, lb);
      count++;
    }
  }
  return total / count;
}

/**
 * For each of the k segments of `labels` (one label per row of the resampled points): the mean,
 * over fits, of the best Jaccard similarity between the segment and any cluster of the fit,
 * on the rows the fit saw. null when there are no fits, and for a segment none of them saw.
 */
export function segmentJaccard(labels: Int32Array, k: number, fits: readonly ResampleFit[]): (number | null)[] {
  if (fits.length === 0) return new Array<number | null>(k).fill(null);
  const totals = new Float64Array(k);
  const seen = new Int32Array(k);
  for (const fit of fits) {
    const kf = maxOf(fit.predicted) + 1;
    // Contingency table between segments and the fit's clusters, on the fit's rows.
    const table = new Float64Array(k * kf);
    const segSize = new Float64Array(k);
    const fitSize = new Float64Array(kf);
    for (const i of fit.rows) {
      table[labels[i] * kf + fit.predicted[i]]++;
      segSize[labels[i]]++;
      fitSize[fit.predicted[i]]++;
    }
    for (let s = 0; s < k; s++) {
      if (segSize[s] === 0) continue;
      seen[s]++;
      let best = 0;
      for (let c = 0; c < kf; c++) {
        const inter = table[s * kf + c];
        const union = segSize[s] + fitSize[c] - inter;
        if (union > 0 && inter / union > best) best = inter / union;
      }
      totals[s] += best;
    }
  }
  // Averaged over the fits that saw the segment at all; null when none did.
  return Array.from(totals, (t, s) => (seen[s] > 0 ? t / seen[s] : null));
}

function maxOf(a: Int32Array): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  return m;
}
