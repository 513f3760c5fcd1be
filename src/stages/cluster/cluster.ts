/**
 * The cluster stage, top to bottom:
 *
 *   1. validate     — enough users for the requested k
 *   2. sample       — one seeded sample for the sweep, silhouette and stability
 *   3. sweep        — score every candidate k (or just the fixed one)
 *   4. choose       — select-k.ts's rule (auto only)
 *   5. fit          — the chosen k on all users, with restarts
 *   6. relabel      — segment ids by size, largest first
 *   7. stability    — per-segment best-match Jaccard across the resample fits; warnings
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { createMatrix, selectRows, type Matrix } from '../../core/matrix.js';
import { createRng, sampleIndices, type Rng } from '../../core/rng.js';
import { gapReference } from './gap.js';
import { kmeans, type KMeansResult } from './kmeans.js';
import { chooseK, type GapByK } from './select-k.js';
import { segmentJaccard } from './stability.js';
import { splitRatio } from './split.js';
import { scoreK, sweepSettings, type SweepEntry } from './sweep.js';
import type { ClusterModel, ClusterResult } from './types.js';

/** Reference data sets behind the gap statistic; its standard error shrinks as 1/sqrt of this. */
const GAP_REFERENCES = 5;

/**
 * Segments users (rows of `points`, usually PCA scores) with k-means, choosing k automatically
 * when `config.k` is null.
 *
 * @example
 * const result = clusterUsers(reduced.projected, config.cluster, ctx);
 * result.k; result.labels; result.selection.reason;
 */
export function clusterUsers(points: Matrix, config: ResolvedConfig['cluster'], ctx: RunContext): ClusterResult {
  const n = points.rows;
  const auto = config.k === null;

  // 1. Validate.
  if (n < (auto ? 3 : 2)) throw errors.tooFewUsers(n, auto ? 3 : 2);
  if (config.k !== null && config.k > n) throw errors.kTooLarge(config.k, n);

  // 2. Sample.
  const rng = createRng(ctx.seed);
  const sampleRows = sampleIndices(n, config.sampleSize, rng.fork());
  const sample = selectRows(points, sampleRows);

  // 3–4. Sweep and choose.
  let entries: SweepEntry[];
  let chosen: number;
  let reason: string;
  let strongStructure: boolean;
  if (config.k === null) {
    const hi = Math.min(config.kRange[1], sample.rows - 1);
    const lo = Math.min(config.kRange[0], hi);
    if (hi < config.kRange[1]) {
      ctx.warn('W_K_CAPPED', 'cluster', `k range ${config.kRange[0]}..${config.kRange[1]} capped to ${lo}..${hi}: only ${n} users`);
    }
    entries = [];
    for (let k = lo; k <= hi; k++) entries.push(scoreK(sample, k, config, rng.fork()));
    const gaps = gapStatistic(sample, entries, { ...sweepSettings(config), restarts: 1 }, rng.fork());
    entries = entries.map((e) => ({ ...e, score: { ...e.score, gap: gaps.gap[e.score.k - 1] } }));
    const splitSeed = rng.fork().int(2 ** 31);
    const minSplit = Math.max(10, Math.ceil(2 * config.minShare * sample.rows));
    const ratios = new Map<number, number>();
    const splitRatioOf = (k: number): number => {
      if (!ratios.has(k)) {
        const e = entries.find((x) => x.score.k === k)!;
        let min = 1;
        // Seeded per k, so the ratio of one k does not depend on which others were asked first.
        const r = createRng(splitSeed + k);
        for (let c = 0; c < k; c++) min = Math.min(min, splitRatio(sample, e.labels, c, minSplit, r.fork()));
        ratios.set(k, min);
      }
      return ratios.get(k)!;
    };
    ({ k: chosen, reason, strongStructure } = chooseK(
      entries.map((e) => e.score),
      { ...gaps, splitRatio: splitRatioOf },
    ));
  } else {
    chosen = config.k;
    const entry = scoreK(sample, chosen, config, rng.fork());
    entries = [entry];
    reason = `k = ${chosen} was fixed in the configuration.`;
    // Structure is only judged when k is chosen automatically.
    strongStructure = true;
  }
  const entry = entries.find((e) => e.score.k === chosen)!;

  // 5. Fit on all users.
  const fit = kmeans(points, chosen, { rng: rng.fork(), restarts: config.restarts, maxIterations: config.maxIterations });

  // 6. Relabel by size.
  const { labels, centroids } = relabelBySize(fit, chosen);
  const distances = new Float64Array(n);
  const d = points.cols;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = points.data[i * d + j] - centroids.data[labels[i] * d + j];
      s += t * t;
    }
    distances[i] = Math.sqrt(s);
  }

  // 7. Per-segment stability on the sample rows, and warnings.
  const sampleLabels = Int32Array.from(sampleRows, (i) => labels[i]);
  const segmentStability = segmentJaccard(sampleLabels, chosen, entry.fits);
  if (auto && !strongStructure) ctx.warn('W_NO_STRONG_STRUCTURE', 'cluster', reason);
  segmentStability.forEach((s, seg) => {
    if (s !== null && s < config.unstableBelow) {
      ctx.warn(
        'W_UNSTABLE_SEGMENT',
        'cluster',
        `segment ${seg} is unstable: it is recovered with Jaccard ${s.toFixed(2)} across resamples (below ${config.unstableBelow})`,
      );
    }
  });

  const model: ClusterModel = {
    kind: 'segmint.kmeans',
    version: 1,
    centroids: Array.from({ length: chosen }, (_, c) => Array.from(centroids.data.subarray(c * d, (c + 1) * d))),
  };
  return {
    k: chosen,
    labels,
    centroids,
    distances,
    inertia: fit.inertia,
    iterations: fit.iterations,
    scores: entries.map((e) => e.score),
    selection: { method: auto ? 'auto' : 'fixed', reason, strongStructure },
    segmentStability,
    model,
  };
}

/** gap(k) for k = 1..max swept k, from the sweep's own fits and Gaussian reference fits. */
function gapStatistic(sample: Matrix, entries: readonly SweepEntry[], settings: { restarts: number; maxIterations: number }, rng: Rng): GapByK {
  const maxK = Math.max(...entries.map((e) => e.score.k));
  const ref = gapReference(sample, maxK, { references: GAP_REFERENCES, ...settings }, rng);
  const logW = new Array<number>(maxK).fill(NaN);
  logW[0] = Math.log(Math.max(totalScatter(sample), Number.MIN_VALUE));
  for (const e of entries) logW[e.score.k - 1] = Math.log(Math.max(e.score.inertia, Number.MIN_VALUE));
  return {
    gap: ref.expectedLogW.map((m, i) => m - logW[i]),
    standardError: ref.standardError,
  };
}

function totalScatter(m: Matrix): number {
  const { rows: n, cols: d, data } = m;
  let s = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    for (let i = 0; i < n; i++) s += (data[i * d + j] - mean) ** 2;
  }
  return s;
}

/**
 * Segment ids by size, largest first; equal sizes by centroid coordinates (lexicographic), so
 * the numbering depends only on the partition, never on the order the fit found it in.
 */
function relabelBySize(fit: KMeansResult, k: number): { labels: Int32Array; centroids: Matrix } {
  const d = fit.centroids.cols;
  const sizes = new Array<number>(k).fill(0);
  for (const l of fit.labels) sizes[l]++;
  const c = fit.centroids.data;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => {
    if (sizes[a] !== sizes[b]) return sizes[b] - sizes[a];
    for (let j = 0; j < d; j++) if (c[a * d + j] !== c[b * d + j]) return c[a * d + j] - c[b * d + j];
    return a - b;
  });
  const newId = new Int32Array(k);
  order.forEach((old, id) => (newId[old] = id));
  const labels = Int32Array.from(fit.labels, (l) => newId[l]);
  const centroids = createMatrix(k, d);
  order.forEach((old, id) => centroids.data.set(c.subarray(old * d, (old + 1) * d), id * d));
  return { labels, centroids };
}
