/**
 * Choosing k from the sweep. The rule, in order:
 *
 * 1. **Gate.** Only candidates whose smallest segment reaches `minShare` (eligible) and whose
 *    resample stability (mean ARI) reaches {@link STABLE} compete. If none is stable, the
 *    eligible ones within {@link NEAR_STABLE} of the most stable compete (all candidates stand
 *    in for the eligible ones when none is).
 * 2. **Vote.** Silhouette, Calinski–Harabasz and Davies–Bouldin each rank the candidates; the
 *    best mean rank is the vote's choice (ties go to the smaller k; step 3 argues for larger).
 * 3. **Split check.** Silhouette, CH and DB all tend to merge two segments that differ along a
 *    single dimension (merging them costs little next to the big separations elsewhere). So
 *    while a cluster of the current choice is clearly two (its best split leaves less than
 *    {@link BIMODAL} of its scatter, see split.ts) and k + 1 passed the gate, take k + 1: the
 *    larger k is stable and the data say the extra segment is real.
 * 4. **Structure.** The data has strong structure when the chosen k's gap exceeds the
 *    one-cluster gap by more than {@link STRUCTURE_SE} standard errors (and at least
 *    {@link STRUCTURE_MIN_GAIN}) and the chosen k is stable. A single elliptical cloud fails
 *    the first test however high its silhouette. The best candidate is still returned.
 *
 * Studied on generated blobs (test/stages/cluster/scenarios.ts; select-k.test.ts prints the hit
 * rate beside silhouette-only selection). Over 30 seeds of each scenario (well-separated with
 * unequal sizes, unequal spreads, a pair 4.5 sd apart along one dimension, pure noise) the rule
 * was right 120/120 times, silhouette alone 64/120. Known limit: a pair closer than about 4 sd
 * along one dimension is merged; a {@link BIMODAL} of 0.25 would catch 3.5 sd but then splits
 * some small Gaussian blobs in two.
 */
import type { KScore } from './types.js';

/** Mean resample ARI at which a candidate counts as stable. */
export const STABLE = 0.8;
/** Without a stable candidate, those this close to the most stable one compete. */
export const NEAR_STABLE = 0.05;
/** Standard errors by which the chosen k's gap must beat k = 1 to call the structure strong. */
export const STRUCTURE_SE = 2;
/** ... and by at least this much (log inertia), so tiny standard errors cannot decide alone. */
export const STRUCTURE_MIN_GAIN = 0.05;

export interface GapByK {
  /** gap(k) for k = 1..maxK at index k - 1. */
  readonly gap: readonly number[];
  readonly standardError: readonly number[];
}

export interface Evidence extends GapByK {
  /** The smallest split ratio (split.ts) among the clusters of k's solution. */
  readonly splitRatio: (k: number) => number;
}

/** A cluster whose best split leaves less than this share of its scatter is two clusters. */
export const BIMODAL = 0.2;

export interface Selection {
  readonly k: number;
  readonly reason: string;
  readonly strongStructure: boolean;
}

/**
 * Applies the rule above to the sweep's scores.
 *
 * @example
 * const { k, reason, strongStructure } = chooseK(scores, { gap, standardError, splitRatio: (k) => 1 });
 */
export function chooseK(scores: readonly KScore[], evidence: Evidence): Selection {
  if (scores.length === 0) throw new RangeError('no candidate k to choose from');

  // 1. Gate.
  const eligible = scores.filter((s) => s.eligible);
  const stable = eligible.filter((s) => s.stability === null || s.stability >= STABLE);
  const base = eligible.length > 0 ? eligible : scores;
  const topStability = Math.max(...base.map((s) => s.stability ?? 1));
  const pool = stable.length > 0 ? stable : base.filter((s) => (s.stability ?? 1) >= topStability - NEAR_STABLE);
  const gateNote =
    stable.length > 0
      ? ''
      : eligible.length > 0
        ? '; no candidate was stable, so the most stable ones competed'
        : '; no candidate met the minimum segment share, so the most stable ones competed';

  // 2. Vote.
  const ranks = new Map<number, number>(pool.map((s) => [s.k, 0]));
  addRanks(pool, ranks, (s) => s.silhouette, true);
  addRanks(pool, ranks, (s) => s.calinskiHarabasz, true);
  addRanks(pool, ranks, (s) => s.daviesBouldin, false);
  const voted = pool.reduce((best, s) => {
    const r = ranks.get(s.k)!;
    const b = ranks.get(best.k)!;
    return r < b || (r === b && s.k < best.k) ? s : best;
  });

  // 3. Split check.
  let chosen = voted;
  for (;;) {
    const next = pool.find((s) => s.k === chosen.k + 1);
    if (!next || evidence.splitRatio(chosen.k) >= BIMODAL) break;
    chosen = next;
  }
  const split = chosen !== voted;

  // 4. Structure.
  const { strong, separated } = judgeStructure(chosen, evidence);
  return { k: chosen.k, reason: explain(chosen, voted, split, strong, separated, gateNote), strongStructure: strong };
}

/**
 * Step 4 on its own (also used for a fixed k): separated = the gap at k beats the one-cluster
 * gap clearly; strong = separated and stable.
 */
export function judgeStructure(score: KScore, evidence: GapByK): { strong: boolean; separated: boolean } {
  const gap = (k: number) => evidence.gap[k - 1] ?? NaN;
  const se = evidence.standardError[score.k - 1] ?? NaN;
  const gain = gap(score.k) - gap(1);
  // NaN (not measured) compares false: no evidence of separation.
  const separated = gain > Math.max(STRUCTURE_SE * se, STRUCTURE_MIN_GAIN);
  const steady = score.stability === null || score.stability >= STABLE;
  return { strong: separated && steady, separated };
}

function explain(chosen: KScore, voted: KScore, split: boolean, strong: boolean, separated: boolean, gateNote: string): string {
  const stab = chosen.stability === null ? '' : `, stability ${chosen.stability.toFixed(2)}`;
  const sil = chosen.silhouette === null ? '' : `silhouette ${chosen.silhouette.toFixed(2)}`;
  const why = split
    ? `k = ${chosen.k} because silhouette, Calinski–Harabasz and Davies–Bouldin preferred k = ${voted.k}, but ${chosen.k - voted.k === 1 ? 'one of its segments is' : 'some of its segments are'} clearly two groups along one direction and the larger k is stable (${sil}${stab})`
    : `k = ${chosen.k} because silhouette, Calinski–Harabasz and Davies–Bouldin rank it best among the competing candidates and none of its segments splits cleanly in two (${sil}${stab})`;
  const caveat = strong
    ? ''
    : separated
      ? '; but the segments are not stable under resampling, so treat them as a loose partition'
      : '; but the users form no clearly separated groups (no better than one elliptical cloud), so treat the segments as a partition of a continuum';
  return `${why}${gateNote}${caveat}.`;
}

/** Adds each candidate's rank (1 = best; ties share the mean rank) under one criterion. */
function addRanks(pool: readonly KScore[], ranks: Map<number, number>, value: (s: KScore) => number | null, higherIsBetter: boolean): void {
  const known = pool.filter((s) => value(s) !== null);
  if (known.length === 0) return;
  const sorted = known.slice().sort((a, b) => (higherIsBetter ? value(b)! - value(a)! : value(a)! - value(b)!) || a.k - b.k);
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && value(sorted[j + 1]) === value(sorted[i])) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks.set(sorted[t].k, ranks.get(sorted[t].k)! + rank);
    i = j + 1;
  }
  // Candidates this criterion could not score rank last.
  for (const s of pool) if (value(s) === null) ranks.set(s.k, ranks.get(s.k)! + pool.length);
}
