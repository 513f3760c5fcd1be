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
  const sized = scores.filter((s) => s.gates.size);
  const base = sized.length > 0 ? sized : scores;
  const topStability = Math.max(...base.map((s) => s.stability ?? 1));
  const pool = eligible.length > 0 ? eligible : base.filter((s) => (s.stability ?? 1) >= topStability - NEAR_STABLE);
  const gateNote = eligible.length > 0 ? '' : '; no candidate passed every gate, so the most stable ones competed';

  // 2. Vote.
  const ranks = new Map<number, number>(pool.map((s) => [s.k, 0]));
  const firsts = CRITERIA.map((c) => ({ ...c, best: addRanks(pool, ranks, c.value, c.higherIsBetter) }));
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

  // 4. Structure.
  const { strong, separated } = judgeStructure(chosen, evidence);
  const decided: Decision =
    chosen !== voted ? { by: 'split', voted: voted.k } : pool.length === 1 ? { by: 'gate' } : { by: 'vote', competing: pool.length, firsts };
  return { k: chosen.k, reason: explain(chosen, decided, strong, separated, gateNote), strongStructure: strong };
}

const CRITERIA: readonly { readonly label: string; readonly value: (s: KScore) => number | null; readonly higherIsBetter: boolean }[] = [
  { label: 'silhouette', value: (s) => s.silhouette, higherIsBetter: true },
  { label: 'Calinski–Harabasz', value: (s) => s.calinskiHarabasz, higherIsBetter: true },
  { label: 'Davies–Bouldin', value: (s) => s.daviesBouldin, higherIsBetter: false },
];

/** What decided k, for the sentence that explains it. */
type Decision =
  | { readonly by: 'gate' }
  | { readonly by: 'vote'; readonly competing: number; readonly firsts: readonly { readonly label: string; readonly best: number | null }[] }
  | { readonly by: 'split'; readonly voted: number };

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

function explain(chosen: KScore, decided: Decision, strong: boolean, separated: boolean, gateNote: string): string {
  const stab = chosen.stability === null ? '' : `, stability ${chosen.stability.toFixed(2)}`;
  const sil = chosen.silhouette === null ? '' : `silhouette ${chosen.silhouette.toFixed(2)}`;
  let why: string;
  if (decided.by === 'gate') {
    why = `k = ${chosen.k} because it is the only candidate that passed every gate (segment size, share and stability) (${sil}${stab})`;
  } else if (decided.by === 'split') {
    why = `k = ${chosen.k} because the vote of silhouette, Calinski–Harabasz and Davies–Bouldin preferred k = ${decided.voted}, but ${chosen.k - decided.voted === 1 ? 'one of its segments is' : 'some of its segments are'} clearly two groups along one direction and the larger k passed every gate (${sil}${stab})`;
  } else {
    const agree = decided.firsts.filter((c) => c.best === chosen.k).map((c) => c.label);
    const differ = decided.firsts.filter((c) => c.best !== null && c.best !== chosen.k).map((c) => `${c.label} preferred k = ${c.best}`);
    const ranked = agree.length === 0 ? 'no single criterion ranked it first' : `${listWords(agree)} ranked it first`;
    why =
      `k = ${chosen.k} because it has the best mean rank of silhouette, Calinski–Harabasz and Davies–Bouldin among the ${decided.competing} candidates that competed ` +
      `(${ranked}${differ.length ? `; ${differ.join(', ')}` : ''}) and none of its segments splits cleanly in two (${sil}${stab})`;
  }
  const caveat = strong
    ? ''
    : separated
      ? `; but resampling reproduces the partition only partly (mean ARI ${chosen.stability?.toFixed(2) ?? 'n/a'} < ${STABLE}), so treat the segments as a loose partition`
      : '; but the users form no clearly separated groups (no better than one elliptical cloud), so treat the segments as a partition of a continuum';
  return `${why}${gateNote}${caveat}.`;
}

function listWords(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/**
 * Adds each candidate's rank (1 = best; ties share the mean rank) under one criterion; returns
 * the k this criterion ranks first (null when it scored none).
 */
function addRanks(pool: readonly KScore[], ranks: Map<number, number>, value: (s: KScore) => number | null, higherIsBetter: boolean): number | null {
  const known = pool.filter((s) => value(s) !== null);
  if (known.length === 0) return null;
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
  return sorted[0].k;
}
