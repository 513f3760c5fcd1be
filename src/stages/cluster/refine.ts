/**
 * Looking inside the chosen segments: is one of them several segments of its own?
 *
 * Silhouette, Calinski–Harabasz and Davies–Bouldin all reward the biggest separation in the
 * data. One far-away group (a 9% cohort of API integrations, a bot) makes k = 2 look best even
 * when the other 91% is five clear groups: next to the far group, their separations look small,
 * and the split check (split.ts) does not fire because the remainder is five groups, not two
 * along one direction. Recursive model selection, in the spirit of X-means and G-means, handles
 * that hierarchy: each segment of the chosen solution is swept on its own, with the same gates,
 * vote and structure test (a gap statistic against one Gaussian cloud shaped like that
 * segment), and a segment that has strong structure of its own counts for as many segments as
 * it holds. A segment that is one cloud adds nothing: splitting a Gaussian lowers its inertia
 * no more than splitting the reference does, so its gap does not grow.
 */
import type { ResolvedConfig } from '../../config/types.js';
import { selectRows, type Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { gatherEvidence } from './evidence.js';
import { chooseK } from './select-k.js';
import { scoreK } from './sweep.js';

/** A segment is looked inside only when it could hold at least this many sub-segments. */
const MIN_PARTS = 2;
/** Sub-segments looked for inside one segment at most. */
const MAX_PARTS = 8;

export interface Refinement {
  /** Total segments: the chosen k plus the extra groups found inside its segments. */
  readonly k: number;
  /** Per segment of the chosen solution (sample labels), how many groups it holds (1 = itself). */
  readonly parts: readonly number[];
  /** Per segment, its share of the sample. */
  readonly shares: readonly number[];
}

/**
 * Sweeps each segment of `labels` (a k-segment solution of `sample`) on its own and counts the
 * groups it holds. `users` is the population the sample stands for (for the size gates);
 * `maxK` caps the total.
 */
export function refineK(
  sample: Matrix,
  labels: Int32Array,
  k: number,
  config: ResolvedConfig['cluster'],
  users: number,
  maxK: number,
  rng: Rng,
): Refinement {
  const parts = new Array<number>(k).fill(1);
  const shares = new Array<number>(k).fill(0);
  for (let c = 0; c < k; c++) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) rows.push(i);
    shares[c] = rows.length / sample.rows;
    const segmentUsers = Math.round((rows.length / sample.rows) * users);
    const room = maxK - (k - 1) - parts.reduce((s, p) => s + p - 1, 0);
    const hi = Math.min(MAX_PARTS, room, Math.floor(segmentUsers / config.minSize), rows.length - 1);
    // Seeded per segment, so one segment's result does not depend on the others'.
    const segmentRng = rng.fork();
    if (hi < MIN_PARTS) continue;
    const sub = selectRows(sample, rows);
    // The share gate stays a share of all users, not of this segment.
    const subConfig = { ...config, minShare: Math.min(0.5, (config.minShare * users) / Math.max(1, segmentUsers)) };
    const entries = [];
    for (let j = 2; j <= hi; j++) entries.push(scoreK(sub, j, subConfig, segmentRng.fork(), segmentUsers));
    const evidence = gatherEvidence(sub, entries, subConfig, segmentRng.fork());
    const scores = entries.map((e) => ({ ...e.score, gap: evidence.gap[e.score.k - 1] }));
    const choice = chooseK(scores, evidence);
    const chosen = scores.find((s) => s.k === choice.k);
    // Only a clear, stable, eligible inner structure counts: anything less is the segment's spread.
    if (choice.strongStructure && chosen?.eligible) parts[c] = choice.k;
  }
  return { k: parts.reduce((s, p) => s + p, 0), parts, shares };
}
