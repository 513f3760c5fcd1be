/**
 * Neighbouring segments with no gap between them. k-means cuts a long, continuous group (heavy to
 * light users, newer to older users of one persona) as readily as it separates two groups, and
 * such a cut can be reproducible, so the k rule keeps it. On the quality bench's mix-only family
 * the largest persona was cut into newer and older users on 18 of 20 held-out worlds.
 *
 * No gap: the test is split.ts's, on a pair instead of one segment: project the two segments'
 * users on the line joining their centres and find the best 1-D two-group split; the share of
 * scatter it leaves is ≈ 0.36 for one Gaussian cloud, 0.25 for a uniform stretch, and under
 * BIMODAL (0.2) when the two are clearly separate. Measured on the chosen k: planted personas
 * next to each other leave 0.03–0.13; the cuts above 0.24–0.27.
 *
 * No gap is not enough to undo a cut: the bundled sample's lapsed report viewers, 21–28 days
 * before its end, are split from the active ones with no gap either (0.25–0.27), and they are a
 * persona. What tells them apart is the spread of the other segments along the same line. Tenure
 * spreads every persona alike, so the makers' two halves together are no more spread along their
 * line than any other segment (1.07–1.21× the median); lapsing is what sets the lapsed viewers
 * apart, so together with the active ones they spread twice as far as the others (1.95–2.36×).
 * A pair with no gap and under SHARED_AXIS_SPREAD is merged by an automatic k (cluster.ts); the
 * others are reported (W_NO_GAP_BETWEEN_SEGMENTS), and the analyst reads them as possibly one
 * group in two stages before promoting a rule for either.
 */
import { createMatrix, type Matrix } from '../../core/matrix.js';
import { centroidsOf } from './metrics.js';
import { BIMODAL } from './select-k.js';
import { bestSplit1d } from './split.js';
import type { ResampleFit } from './stability.js';

/**
 * A pair with no gap whose union is spread along the line joining them by less than this many
 * times the median other segment's spread along that same line is a cut through an axis every
 * segment varies along (tenure, volume), not two groups: the automatic k merges it (cluster.ts).
 * Measured at the k the sweep chose (README, "mix-only"): the makers' two halves on mix-only
 * seeds 1–3 spread 1.07–1.21× the others; the bundled sample's lapsed and active report viewers
 * 1.95–2.36× (7–28 days before its end); planted neighbours on every family's seeds 1–5 2.4× and
 * more.
 */
export const SHARED_AXIS_SPREAD = 1.5;

export interface ContinuumPair {
  /** Segment ids, a < b. */
  readonly a: number;
  readonly b: number;
  /** Within/total scatter of the best split of their union along the line between them. */
  readonly ratio: number;
  /**
   * SD of the union along the line between them ÷ the median SD of the other segments along the
   * same line; null with fewer than two other segments of `minSize` to compare with.
   */
  readonly spread: number | null;
}

/** A continuum pair cut along an axis the other segments spread along just as much. */
export function isSharedAxisCut(pair: ContinuumPair): boolean {
  return pair.spread !== null && pair.spread < SHARED_AXIS_SPREAD;
}

/**
 * Pairs of segments where one is the other's nearest centre and their union shows no gap
 * (ratio ≥ BIMODAL), ordered by segment ids. Segments with fewer than `minSize` of the given
 * points are left out: a ratio over a handful of points says nothing.
 *
 * @example
 * continuumPairs(sample, sampleLabels, centroids, 20); // [{ a: 0, b: 3, ratio: 0.25 }]
 */
export function continuumPairs(points: Matrix, labels: Int32Array, centroids: Matrix, minSize: number): ContinuumPair[] {
  const k = centroids.rows;
  const d = points.cols;
  const c = centroids.data;
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) sizes[l]++;
  const distance = (a: number, b: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (c[a * d + j] - c[b * d + j]) ** 2;
    return s;
  };
  const nearest = Array.from({ length: k }, (_, a) => {
    let best = -1;
    let bestDistance = Infinity;
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      const dist = distance(a, b);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = b;
      }
    }
    return best;
  });
  const pairs: ContinuumPair[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      if (nearest[a] !== b && nearest[b] !== a) continue;
      if (sizes[a] < minSize || sizes[b] < minSize) continue;
      const along = projectOnLine(points, labels, k, c.subarray(a * d, (a + 1) * d), c.subarray(b * d, (b + 1) * d));
      const union = Float64Array.from([...along[a], ...along[b]]);
      const ratio = bestSplit1d(union.slice().sort());
      if (ratio < BIMODAL) continue;
      const others = along.filter((_, s) => s !== a && s !== b && sizes[s] >= minSize).map(sd);
      const spread = others.length >= 2 ? sd(union) / median(others) : null;
      pairs.push({ a, b, ratio, spread: spread !== null && Number.isFinite(spread) ? spread : null });
    }
  }
  return pairs;
}

/** Each segment's points projected on the line from centre `from` to centre `to`, per segment. */
function projectOnLine(points: Matrix, labels: Int32Array, k: number, from: Float64Array, to: Float64Array): number[][] {
  const d = points.cols;
  const along = Array.from({ length: k }, () => [] as number[]);
  for (let i = 0; i < labels.length; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += points.data[i * d + j] * (to[j] - from[j]);
    along[labels[i]].push(s);
  }
  return along;
}

function sd(xs: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < xs.length; i++) mean += xs[i];
  mean /= xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2;
  return Math.sqrt(ss / xs.length);
}

function median(xs: readonly number[]): number {
  const sorted = xs.slice().sort((x, y) => x - y);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The shared-axis cut spread least along its line, or null when there is none. */
export function sharedAxisCut(points: Matrix, labels: Int32Array, centroids: Matrix, minSize: number): ContinuumPair | null {
  const cuts = continuumPairs(points, labels, centroids, minSize).filter(isSharedAxisCut);
  return cuts.length === 0 ? null : cuts.reduce((best, p) => (p.spread! < best.spread! ? p : best));
}

export interface MergedCuts {
  /** Labels 0..k-1 after the merges (a merged pair keeps the smaller id; later ids close up). */
  readonly labels: Int32Array;
  readonly k: number;
  /** Pairs merged. */
  readonly merges: number;
}

/**
 * Merges shared-axis cuts of a partition of `points` one pair at a time (centres recomputed after
 * each), down to two segments at least (fitsWithCutsMerged).
 */
export function mergeSharedAxisCuts(points: Matrix, labels: Int32Array, k: number, minSize: number): MergedCuts {
  let current = { labels, k, merges: 0 };
  while (current.k > 2) {
    const centres = createMatrix(current.k, points.cols, centroidsOf(points, current.labels, current.k).centroids);
    const cut = sharedAxisCut(points, current.labels, centres, minSize);
    if (cut === null) break;
    current = {
      labels: Int32Array.from(current.labels, (l) => (l === cut.b ? cut.a : l > cut.b ? l - 1 : l)),
      k: current.k - 1,
      merges: current.merges + 1,
    };
  }
  return current;
}

/**
 * Resample fits with their own shared-axis cuts merged: where a cut through a continuum falls
 * moves from resample to resample (one resample cuts the largest group, another the next), so a
 * merged partition is compared with resamples merged the same way, each by its own cuts.
 */
export function fitsWithCutsMerged(points: Matrix, fits: readonly ResampleFit[], minSize: number): ResampleFit[] {
  return fits.map((fit) => {
    let k = 0;
    for (const l of fit.predicted) if (l >= k) k = l + 1;
    const merged = mergeSharedAxisCuts(points, fit.predicted, k, minSize);
    return merged.merges === 0 ? fit : { rows: fit.rows, predicted: merged.labels };
  });
}
