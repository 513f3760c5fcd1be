/**
 * The cluster stage, top to bottom:
 *
 *   1. validate     — enough users for the requested k
 *   2. sample       — one seeded sample for the sweep, silhouette and stability
 *   3. sweep        — score every candidate k (or just the fixed one)
 *   4. choose       — select-k.ts's rule (auto), or judge the fixed k's structure; a smaller
 *                     k kept out only by seeding luck is judged on refitted resamples
 *                     (withReseeded); with a previous run, a k below its k re-judges that k
 *                     first (continuity.ts)
 *   5. fit          — the chosen k on all users, with restarts (fitAll); an automatic k steps
 *                     down when a segment is too small or not what the resamples reproduce, and
 *                     merges two segments that are one group cut along an axis every segment
 *                     spreads along (continuum.ts)
 *   6. relabel      — segment ids by size, largest first
 *   7. stability    — per-segment best-match Jaccard across the resample fits; warnings (also
 *                     for neighbouring segments with no gap between them: continuum.ts)
 */
import { warnings } from '../../core/warnings.js';
import { availableParallelism } from 'node:os';
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { createMatrix, selectRows, type Matrix } from '../../core/matrix.js';
import { assertFinite } from '../reduce/finite.js';
import { createRng, sampleIndices, type Rng } from '../../core/rng.js';
import { placeAt } from './assign.js';
import { kmeans, type KMeansResult } from './kmeans.js';
import { centroidsOf, clusterSizes } from './metrics.js';
import { continuumPairs, fitsWithCutsMerged, sharedAxisCut } from './continuum.js';
import { judgePrevious, keepPreviousK, type PreviousEntry } from './continuity.js';
import { miniBatchKmeans } from './minibatch.js';
import { createThreadPool, type ThreadPool } from './pool.js';
import { gatherEvidence } from './evidence.js';
import { chooseK, judgeStructure, structureCaveat } from './select-k.js';
import { segmentJaccard, type ResampleFit } from './stability.js';
import { warmFit } from './warm.js';
import { scoreK, type SweepEntry } from './sweep.js';
import type { ClusterModel, ClusterResult, KScore } from './types.js';

/**
 * The final fit runs its restarts on every core from this many values (users × dimensions) on.
 * Below it the fit takes tens of milliseconds and starting worker threads does not pay; the
 * sweep's fits, on a sample of a few thousand users with two or three restarts each, are too
 * short to gain from threads at all (measured: no faster on the bundled sample or on 100k users).
 */
export const POOL_MIN_VALUES = 1_000_000;

/**
 * From this many users on, the final fit is mini-batch k-means (minibatch.ts: the best of
 * `restarts` seedings, refined on batches, then one full Lloyd step) instead of full k-means
 * with `restarts` restarts: on 1M × 30 blobs it reaches the same inertia to six digits in a
 * fraction of the time (bench/kmeans.ts). The sweep is unaffected (it works on a sample).
 */
export const MINI_BATCH_ROWS = 1_000_000;

/**
 * A warm-started fit is kept when its inertia is at most this much above the cold restarts'
 * best. Measured on the bundled sample's weekly replay (scripts/warm-start.ts): when the number
 * of segments grows, a single fit from the previous centres can settle in a much worse optimum
 * (+16–20% inertia, ARI against the planted personas 0.55 instead of 1.0); this keeps it only
 * where it costs next to nothing.
 */
export const WARM_TOLERANCE = 0.01;

export interface ClusterOptions {
  /** Threads for the final fit's restarts; default: every core. The result is the same for any number. */
  readonly threads?: number;
  /**
   * Warm start: the previous run's segment centres in this space (rows in previous segment order,
   * largest first). The final fit starts from them (warm.ts) instead of k-means++ restarts.
   */
  readonly warmStart?: Matrix | null;
  /**
   * The previous run's k. Continuity of k (continuity.ts) holds it only when every previous
   * segment still has users here (`warmStart` has a row for each); default: warmStart's rows.
   */
  readonly previousK?: number;
}

/**
 * Segments users (rows of `points`, usually PCA scores) with k-means, choosing k automatically
 * when `config.k` is null.
 *
 * @example
 * const result = clusterUsers(reduced.projected, config.cluster, ctx);
 * result.k; result.labels; result.selection.reason;
 */
export function clusterUsers(points: Matrix, config: ResolvedConfig['cluster'], ctx: RunContext, options: ClusterOptions = {}): ClusterResult {
  const n = points.rows;

  // 1. Validate.
  assertFinite(points, 'cluster');
  checkUserCount(n, config);

  // Started now so the workers are up and compiled by step 5; idle until then.
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const onWorkerFailure = (why: string) => ctx.log.info(`cluster: a k-means worker thread failed (${why}); going on with one thread, which gives the same segments`);
  const pool = threads > 1 && n < MINI_BATCH_ROWS && n * points.cols >= POOL_MIN_VALUES ? createThreadPool(threads, { onWorkerFailure }) : undefined;
  try {
    return segment(points, config, ctx, pool, options.warmStart ?? null, options.previousK ?? options.warmStart?.rows ?? null);
  } finally {
    // Nothing to wait for: the workers are told to stop, and they never keep the process alive.
    void pool?.close();
  }
}

/**
 * Throws when `n` users cannot be segmented under `config` (too few for k, or for k segments
 * of `min_size`). `segmint validate` calls it with the count a run would segment, so both
 * refuse with the same line.
 * @example checkUserCount(800, { ...config.cluster, k: 51, minSize: 20 }); // throws: … need 1020
 */
export function checkUserCount(n: number, config: Pick<ResolvedConfig['cluster'], 'k' | 'minSize'>): void {
  const auto = config.k === null;
  if (n < (auto ? 3 : 2)) throw errors.tooFewUsers(n, auto ? 3 : 2);
  if (config.k !== null && config.k > n) throw errors.kTooLarge(config.k, n);
  // Segments of a handful of users are anecdotes, not segments: refuse before any fitting.
  const needed = (config.k ?? 2) * config.minSize;
  if (n < needed) throw errors.tooFewToSegment(n, config.k ?? 2, config.minSize);
}

/** Steps 2–7. */
function segment(
  points: Matrix,
  config: ResolvedConfig['cluster'],
  ctx: RunContext,
  pool: ThreadPool | undefined,
  warm: Matrix | null,
  previousK: number | null,
): ClusterResult {
  const n = points.rows;

  // The previous run's centres, when continuity of k may judge its k again (continuity.ts): only
  // while every previous segment still has users here (a row each), for a vanished one is a real drop.
  const previous = warm && warm.rows > 0 && warm.rows === previousK ? warm : null;

  // 2. Sample.
  const rng = createRng(ctx.seed);
  const sampleRows = sampleIndices(n, config.sampleSize, rng.fork());
  const sample = selectRows(points, sampleRows);

  // 3–4. Sweep and choose.
  let entries: SweepEntry[];
  let chosen: number;
  let selection: ClusterResult['selection'];
  if (config.k === null) {
    // More than n / min_size segments cannot all reach the minimum size.
    const hi = Math.max(2, Math.min(config.kRange[1], sample.rows - 1, Math.floor(n / config.minSize)));
    const lo = Math.min(config.kRange[0], hi);
    if (hi < config.kRange[1]) {
      ctx.warn(warnings.kCapped(config.kRange, lo, hi, n));
    }
    entries = [];
    for (let k = lo; k <= hi; k++) {
      ctx.progress.update({ step: `k = ${k}`, done: k - lo + 1, total: hi - lo + 1, unit: 'tried' });
      const entry = scoreK(sample, k, config, rng.fork(), n);
      ctx.log.info(describe(entry.score));
      entries.push(entry);
    }
    ctx.progress.update({ step: `comparing k = ${lo}..${hi}` });
    const evidence = gatherEvidence(sample, entries, config, rng.fork());
    entries = entries.map((e) => ({ ...e, score: { ...e.score, gap: evidence.gap[e.score.k - 1] } }));
    const reseeded = withReseeded(entries);
    entries = reseeded.entries;
    const choice = chooseK(
      entries.map((e) => e.score),
      evidence,
    );
    chosen = choice.k;
    const refitted = reseeded.refitted.get(chosen);
    const reason =
      refitted === undefined
        ? choice.reason
        : `${choice.reason.replace(/\.$/, '')}; k = ${chosen} passed the stable gate once the ${refitted} of ${config.stabilityRuns} resamples whose seeding had settled ` +
          `in a poorer optimum than the sweep's own fit were refitted with more restarts.`;
    selection = { method: 'auto', reason, strongStructure: choice.strongStructure };
    // A periodic run keeps the previous run's k while its segments are still reproduced
    // (continuity.ts): one unlucky reference fit no longer re-keys every segment for a week.
    const judged = previous ? keepPreviousK(sample, entries, previous, choice, evidence, config, n, ctx.seed) : null;
    if (judged?.kept) {
      chosen = judged.selection.k;
      selection = { method: 'auto', reason: judged.selection.reason, strongStructure: judged.selection.strongStructure };
      entries = withEntry(entries, judged.entry);
      ctx.log.info(`continuity: k = ${chosen} as in the previous run (the sweep alone chose k = ${choice.k})`);
    } else if (judged) {
      // Tried and let go: the figure that decided the week, not only the sweep's own.
      selection = { ...selection, reason: `${selection.reason.replace(/\.$/, '')}; ${judged.why}.` };
    }
  } else {
    const k = config.k;
    chosen = k;
    // A k beyond the sample cannot be scored on it (only when sample_size < k <= users).
    if (k < sample.rows) ctx.progress.update({ step: `k = ${k}`, done: 1, total: 1, unit: 'tried' });
    entries = k < sample.rows ? [scoreK(sample, k, config, rng.fork(), n)] : [];
    // Not chosen, but still judged: an analyst who fixed k should hear when it fits poorly.
    let judged = { strong: true, separated: true };
    let caveat = '';
    if (entries.length > 0) {
      const evidence = gatherEvidence(sample, entries, config, rng.fork());
      entries = [{ ...entries[0], score: { ...entries[0].score, gap: evidence.gap[k - 1] } }];
      judged = judgeStructure(entries[0].score, evidence);
      caveat = structureCaveat(entries[0].score, judged.strong, judged.separated);
    }
    selection = { method: 'fixed', reason: `k = ${k} was fixed in the configuration${caveat}.`, strongStructure: judged.strong };
  }
  // 5. Fit on all users. The sweep judged sizes on a sample; the full fit can still leave a
  //    segment under min_size, and an automatic k then steps down rather than ship it.
  const fitRng = rng.fork();
  // Warm start: the fit from the previous run's centres, unless it is a worse optimum than the
  // cold restarts find (more than WARM_TOLERANCE more inertia): continuity never costs quality.
  let warmKept = false;
  const fitK = (k: number) => {
    const step = `fitting k = ${k} on ${n.toLocaleString('en-US')} users`;
    ctx.progress.update({ step });
    const swept = entries.find((e) => e.score.k === k);
    const sweptCentres = swept ? createMatrix(k, sample.cols, centroidsOf(sample, swept.labels, k).centroids) : null;
    const cold = fitAll(points, k, config, fitRng.fork(), pool, sweptCentres, (r, restarts) => ctx.progress.update({ step, done: r + 1, total: restarts, unit: 'restarts' }));
    if (!warm || warm.rows === 0) return cold;
    ctx.progress.update({ step: `k = ${k} from the previous run's centres` });
    const fromPrevious = warmFit(points, warm, k, config.maxIterations, fitRng.fork());
    warmKept = fromPrevious.inertia <= cold.inertia * (1 + WARM_TOLERANCE);
    ctx.log.info(`warm start at k = ${k}: inertia ${fromPrevious.inertia.toFixed(1)} vs ${cold.inertia.toFixed(1)} cold, ${warmKept ? 'kept' : 'not kept'}`);
    return warmKept ? fromPrevious : cold;
  };
  const swept = chosen;
  let fit = fitK(chosen);
  let tiny = Math.min(...clusterSizes(fit.labels, chosen));
  while (selection.method === 'auto' && chosen > 2 && tiny < config.minSize) {
    chosen--;
    selection = {
      ...selection,
      reason: `${selection.reason.replace(/\.$/, '')}; fitted on all users, k = ${chosen + 1} left a segment of ${tiny} users (below cluster.min_size ${config.minSize}), so k = ${chosen}.`,
    };
    fit = fitK(chosen);
    tiny = Math.min(...clusterSizes(fit.labels, chosen));
  }
  // Two corrections for an automatic k, until neither applies:
  // - A reproducible cut through an axis every segment spreads along (tenure, volume) is one
  //   group in two stages, not two segments (continuum.ts): the pair is merged and refitted. Its
  //   segments' stability is then measured on the resamples of the k it came from, each with its
  //   own such cuts merged (the resamples of the smaller k may have cut elsewhere).
  // - The sweep judged reproducibility on its own fit of the sample; the fit on all users can land
  //   on another partition of the same k. When its segments are not what the resamples reproduce
  //   (one below cluster.unstable_below), k steps down to the next reproducible k.
  const minSize = Math.min(config.minSize, 20);
  let resamples = entries.find((e) => e.score.k === chosen)?.fits ?? [];
  // The previous run's k judged again from its centres (at most once), when a step-down would
  // pass it: its entry when it holds, else null.
  let rejudged: PreviousEntry | null | undefined;
  const previousHolds = (): SweepEntry | null => {
    if (selection.method !== 'auto' || !previous) return null;
    rejudged ??= judgePrevious(sample, entries, previous, config, n, ctx.seed);
    return rejudged?.failure === null ? rejudged.entry : null;
  };
  while (selection.method === 'auto') {
    const before = chosen;
    while (chosen > Math.max(2, config.kRange[0])) {
      const cut = sharedAxisCut(sample, Int32Array.from(sampleRows, (i) => fit.labels[i]), fit.centroids, minSize);
      if (cut === null) break;
      ctx.progress.update({ step: `merging two segments of k = ${chosen}` });
      fit = mergeAndRefit(points, fit, cut.a, cut.b, config.maxIterations);
      selection = {
        ...selection,
        reason:
          `${selection.reason.replace(/\.$/, '')}; fitted on all users, two segments of k = ${chosen} were one group cut in two: no gap between them, and together ` +
          `no more spread along the line joining them than the other segments (${cut.spread!.toFixed(2)}× their median), so k = ${chosen - 1}.`,
      };
      chosen--;
    }
    if (chosen < before) resamples = fitsWithCutsMerged(sample, resamples, minSize);
    // Continuity again: a step down past the previous run's k stops there while that k's
    // segments, fitted from the previous centres, hold at the bar for staying (continuity.ts).
    const step = stepDown(fit.labels, sampleRows, chosen, resamples, entries, config.unstableBelow, previous !== null && previous.rows < chosen ? previousHolds() : null);
    if (step === null) break;
    const stepped = `${selection.reason.replace(/\.$/, '')}; fitted on all users, k = ${chosen} gave a segment the resamples reproduce only with Jaccard ${step.weakest.toFixed(2)}`;
    if (step.held !== null) {
      const { held, without } = step;
      selection = {
        ...selection,
        reason:
          `${stepped}, so k = ${held.score.k}, as in the previous run: fitted from that run's segment centres, every segment is reproduced at the bar for staying ` +
          `(least stable: Jaccard ${held.score.weakestSegment?.toFixed(2) ?? 'n/a'}; cluster.unstable_below ${config.unstableBelow}); without the previous run, ` +
          (without === null ? `k would stay ${chosen}.` : `k = ${without}, the next k the sweep reproduced.`),
      };
      entries = withEntry(entries, held);
      ctx.log.info(`continuity: k = ${held.score.k} as in the previous run (the step-down alone went to ${without === null ? 'none' : `k = ${without}`})`);
      chosen = held.score.k;
      fit = fitK(chosen);
      resamples = held.fits;
      continue;
    }
    selection = { ...selection, reason: `${stepped}, so k = ${step.k}.` };
    chosen = step.k;
    fit = fitK(chosen);
    resamples = entries.find((e) => e.score.k === chosen)?.fits ?? [];
  }
  // The reason opens with the sweep's choice and ends with what the fit on all users made of it:
  // "Why k = 6: The sweep chose k = 7 because …, so k = 6", not "Why k = 6: k = 7 because …".
  if (chosen !== swept) selection = { ...selection, reason: `The sweep chose ${selection.reason}` };

  // 6. Relabel by size.
  const { labels, centroids } = relabelBySize(fit, chosen);
  const placement = placeAt(centroids, points, labels);
  const d = points.cols;

  // 7. Per-segment stability on the sample rows, and warnings.
  const sampleLabels = Int32Array.from(sampleRows, (i) => labels[i]);
  const segmentStability = segmentJaccard(sampleLabels, chosen, resamples);
  if (!selection.strongStructure) ctx.warn(warnings.noStrongStructure(selection.reason));
  const sizes = clusterSizes(labels, chosen);
  sizes.forEach((size, seg) => {
    if (size >= config.minSize && size / n < config.minShare) {
      ctx.warn(warnings.smallStableSegment(seg, size, n, config.minShare));
    }
    if (size > 0 && size < config.minSize) {
      ctx.warn(warnings.segmentBelowMinSize(seg, size, config.minSize, chosen, config.k !== null));
    }
    if (size === 0) {
      ctx.warn(warnings.emptySegment(seg, chosen));
    }
  });
  segmentStability.forEach((s, seg) => {
    if (s !== null && s < config.unstableBelow) {
      ctx.warn(warnings.unstableSegment(seg, s, config.unstableBelow));
    }
  });
  // On the sweep's sample, like the stability above: the same rows, bounded work at any n.
  const noGapPairs = continuumPairs(sample, sampleLabels, centroids, Math.min(config.minSize, 20));

  const model: ClusterModel = {
    kind: 'segmint.kmeans',
    version: 1,
    centroids: Array.from({ length: chosen }, (_, c) => Array.from(centroids.data.subarray(c * d, (c + 1) * d))),
  };
  return {
    k: chosen,
    labels,
    centroids,
    placement,
    inertia: fit.inertia,
    iterations: fit.iterations,
    scores: entries.map((e) => e.score),
    selection,
    segmentStability,
    noGapPairs,
    model,
    ...(warm && warm.rows > 0 ? { warmStarted: warmKept } : {}),
  };
}

/**
 * The sweep's entries with each k below the largest reproducible one that failed only the stable
 * gate, and passes it once its poorly seeded resamples are refitted, judged on those refits
 * (sweep.ts `reseeded`); `refitted`: how many resamples were refitted, by k replaced. A larger k
 * is never let in this way: the k rule is calibrated on resamples as seeded, and searched harder
 * they made larger k reproducible on most of the quality bench's worlds. What this lets back is
 * a smaller k that seeding luck alone kept out, for the rule to weigh against the larger ones
 * (an outside check's three groups, behind a k = 4 whose fourth segment separated far less).
 */
export function withReseeded(entries: readonly SweepEntry[]): { entries: SweepEntry[]; refitted: Map<number, number> } {
  const eligible = entries.filter((e) => e.score.eligible).map((e) => e.score.k);
  const top = eligible.length > 0 ? Math.max(...eligible) : -Infinity;
  const refitted = new Map<number, number>();
  const out = entries.map((e) => {
    const again = e.reseeded;
    const { size, share } = e.score.gates;
    if (e.score.k >= top || e.score.eligible || !size || !share || !again?.entry.score.eligible) return e;
    refitted.set(e.score.k, again.refitted);
    return { ...again.entry, score: { ...again.entry.score, gap: e.score.gap } };
  });
  return { entries: out, refitted };
}

/** `entries` with the one of `entry`'s k replaced by it, keeping the gap statistic the sweep gave that k. */
function withEntry(entries: readonly SweepEntry[], entry: SweepEntry): SweepEntry[] {
  return entries.map((e) => (e.score.k === entry.score.k ? { ...entry, score: { ...entry.score, gap: e.score.gap } } : e));
}

/**
 * Where an automatic k goes when the fit on all users is not what the sweep's resamples
 * reproduce: the largest smaller k that passed every gate, with the weakest segment's Jaccard
 * (on the sample rows) that sent it there. Null when every segment reaches `threshold`, when k
 * has no resamples, or when no smaller k passed. `fits` are the resamples the k segments are
 * compared with (the sweep's for k, or those of a larger k with the same merges made).
 *
 * `previous`: the previous run's k judged again from its centres, when it passed every gate at
 * the bar for staying (continuity.ts). A step down that would pass it stops there instead: `held`
 * is then that entry and `without` where the sweep's own gates would have sent k (null: nowhere).
 *
 * @example
 * stepDown(fit.labels, sampleRows, 6, entry.fits, entries, 0.75); // { k: 5, weakest: 0.58, held: null, without: 5 } or null
 */
export function stepDown(
  labels: Int32Array,
  sampleRows: Int32Array,
  k: number,
  fits: readonly ResampleFit[],
  entries: readonly SweepEntry[],
  threshold: number,
  previous: SweepEntry | null = null,
): { readonly k: number; readonly weakest: number; readonly held: SweepEntry | null; readonly without: number | null } | null {
  if (fits.length === 0) return null;
  const known = segmentJaccard(Int32Array.from(sampleRows, (i) => labels[i]), k, fits).filter((s): s is number => s !== null);
  if (known.length === 0) return null;
  const weakest = Math.min(...known);
  if (weakest >= threshold) return null;
  const lower = entries.filter((e) => e.score.k < k && e.score.eligible).map((e) => e.score.k);
  const without = lower.length > 0 ? Math.max(...lower) : null;
  if (previous !== null && previous.score.k < k && previous.score.eligible && (without === null || previous.score.k > without)) {
    return { k: previous.score.k, weakest, held: previous, without };
  }
  return without === null ? null : { k: without, weakest, held: null, without };
}

/**
 * Step 5: the chosen k on all users (see POOL_MIN_VALUES and MINI_BATCH_ROWS), with the sweep's
 * centres of the same k (its fit of the sample with SWEEP_RESTARTS restarts) as one more start:
 * the lower inertia on all users is kept.
 * - From MINI_BATCH_ROWS on, the mini-batch fit refines a single seeding, and now and then that
 *   seeding settles in a poor optimum. Measured on the 1M-user log of `npm run bench -- e2e`
 *   (5 planted groups) at k = 5: the mini-batch fit alone reached the planted groups (ARI 0.999)
 *   on 3 of seeds 42 and 1–5 and on 4 of held-out seeds 200–207 (the rest 0.72–0.91); with the
 *   sweep's start, on all 14.
 * - Below it, `restarts` k-means++ restarts can all settle in poorer optima than the sweep's: an
 *   outside check's 12,000-user log (six groups, one of 4%) got inertia 393,227 at a fixed k = 6,
 *   merging the 4% group into another, and 390,755 when the same k was chosen automatically
 *   (another random stream); from the sweep's centres both reach 390,368 and the same segments.
 */
function fitAll(
  points: Matrix,
  k: number,
  config: ResolvedConfig['cluster'],
  rng: Rng,
  pool: ThreadPool | undefined,
  sweptCentres: Matrix | null,
  onRestart?: (restart: number, restarts: number) => void,
): KMeansResult {
  const seeded =
    points.rows < MINI_BATCH_ROWS
      ? kmeans(points, k, { rng, restarts: config.restarts, maxIterations: config.maxIterations, pool, onRestart })
      : miniBatchKmeans(points, k, { rng, restarts: config.restarts });
  if (sweptCentres === null) return seeded;
  const fromSweep = kmeans(points, k, { initialCentroids: sweptCentres, maxIterations: config.maxIterations });
  return fromSweep.inertia < seeded.inertia ? fromSweep : seeded;
}

/**
 * k - 1 segments: `a` and `b` merged at their size-weighted centre, then Lloyd's iterations on
 * all users from those centres (deterministic: no seeding).
 */
function mergeAndRefit(points: Matrix, fit: KMeansResult, a: number, b: number, maxIterations: number): KMeansResult {
  const k = fit.centroids.rows;
  const d = fit.centroids.cols;
  const sizes = clusterSizes(fit.labels, k);
  const c = fit.centroids.data;
  const centres = createMatrix(k - 1, d);
  let row = 0;
  for (let s = 0; s < k; s++) {
    if (s === b) continue;
    for (let j = 0; j < d; j++) {
      centres.data[row * d + j] = s === a ? (sizes[a] * c[a * d + j] + sizes[b] * c[b * d + j]) / Math.max(1, sizes[a] + sizes[b]) : c[s * d + j];
    }
    row++;
  }
  return kmeans(points, k - 1, { initialCentroids: centres, maxIterations });
}

/** One progress line per candidate k. */
function describe(s: KScore): string {
  const f = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));
  return `k = ${s.k}: silhouette ${f(s.silhouette, 3)}, Calinski–Harabasz ${f(s.calinskiHarabasz, 1)}, Davies–Bouldin ${f(s.daviesBouldin, 3)}, stability ${f(s.stability, 2)}, smallest segment ${(100 * s.minShare).toFixed(1)}%`;
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
