/**
 * Continuity of k for periodic runs (`cluster.warm_start: previous`).
 *
 * The sweep judges each k by one fit of the sample (SWEEP_RESTARTS restarts) against resample
 * fits. On data where a k narrowly passes the reproducibility gate, that one fit's seeding decides
 * the week: a weekly replay of an outside QA log went k = 6, 6, 2, 6, 6, 3, 6, 2 — each drop
 * re-keyed every segment and set off `rules check` alarms — while k = 6's segments were what the
 * resamples reproduced whenever the reference fit found them.
 *
 * So when the sweep would go below the previous run's k, that k is judged once more with the
 * previous run's segments as the reference: its fit of the sample started from the previous
 * centres (in this run's space), against the same resamples, and with hysteresis — a k enters
 * when every segment is reproduced at SEGMENT_STABLE (0.8) and stays while every segment is at
 * `unstable_below` (0.75, where a segment is reported unstable). When that partition passes and
 * the rest of the rule (size gates; its extra segments still pay, select-k.ts) chooses it, the
 * previous k stays. Only downward: a larger k that passes every gate and pays is a new segment
 * the job exists to find, and a previous k whose segments are gone this week (a group churned
 * away) fails the gates and does not stay.
 *
 * Measured by `npm run bench -- weekly` (held-out seeds 200–209, four weekly runs per world):
 * see the README's weekly-job figures.
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Matrix } from '../../core/matrix.js';
import { createRng } from '../../core/rng.js';
import { chooseK, judgeStructure, SEGMENT_STABLE, STABLE, type Evidence, type Selection } from './select-k.js';
import { judgeReference, type SweepEntry } from './sweep.js';
import { warmFit } from './warm.js';

/** What continuity decided: the previous k kept, with its re-judged sweep entry, or let go and why. */
export type PreviousJudged =
  | { readonly kept: true; readonly selection: Selection; readonly entry: SweepEntry }
  | { readonly kept: false; readonly why: string };

/** The previous run's k judged again: its entry, and the gate it failed (null when it passes all). */
export interface PreviousEntry {
  readonly entry: SweepEntry;
  readonly failure: string | null;
}

/**
 * The previous run's k (one row of `previous` per segment) judged again from its segments: the
 * sample fitted from the previous centres, against the sweep's resamples of that k, at the bar
 * for staying. Null when the sweep did not score that k. Used both when the sweep chooses a
 * smaller k (keepPreviousK) and when the fit on all users steps down past it (cluster.ts).
 */
export function judgePrevious(
  sample: Matrix,
  entries: readonly SweepEntry[],
  previous: Matrix,
  config: ResolvedConfig['cluster'],
  users: number,
  seed: number,
): PreviousEntry | null {
  const k = previous.rows;
  const swept = entries.find((e) => e.score.k === k);
  if (!swept) return null;
  // k equals the previous centres' count, so no centre is drawn at random: the generator is
  // never read (a fresh one keeps every other draw of the run where it was).
  const fit = warmFit(sample, previous, k, config.maxIterations, createRng(seed));
  // Hysteresis: a k enters at SEGMENT_STABLE and stays while its segments are reproduced at
  // `unstable_below`, the Jaccard below which a segment is reported unstable.
  const entry = judgeReference(sample, k, fit, swept.fits, swept.silhouetteRows, config, users, config.unstableBelow);
  const { gates, weakestSegment, stability } = entry.score;
  const failure = !gates.stable
    ? weakestSegment !== null
      ? `a segment reproduced with Jaccard ${weakestSegment.toFixed(2)}, below ${config.unstableBelow} (cluster.unstable_below)`
      : `resampling reproduces its partition with mean ARI ${stability?.toFixed(2) ?? 'n/a'}, below ${STABLE}`
    : !gates.size
      ? `a segment below cluster.min_size (${config.minSize} users)`
      : !gates.share
        ? 'a segment below cluster.min_share that resampling does not reproduce'
        : null;
  return { entry, failure };
}

/**
 * Judges the previous run's k when the sweep chose a smaller one (null when it did not, or did
 * not score that k): kept when the previous segments, refitted on the sample, pass the gates at
 * the bar for staying and the rule chooses them; otherwise a clause saying why it was let go.
 * `previous` holds the previous run's centres in this run's model space (one row per previous
 * segment), `users` the number of users sampled from.
 *
 * @example
 * const judged = keepPreviousK(sample, entries, previousCentres, choice, evidence, config, n, seed);
 * if (judged?.kept) chosen = judged.selection.k; // else judged?.why: "the previous run's k = 6 …"
 */
export function keepPreviousK(
  sample: Matrix,
  entries: readonly SweepEntry[],
  previous: Matrix,
  choice: Selection,
  evidence: Evidence,
  config: ResolvedConfig['cluster'],
  users: number,
  seed: number,
): PreviousJudged | null {
  const k = previous.rows;
  if (k <= choice.k) return null;
  const judged = judgePrevious(sample, entries, previous, config, users, seed);
  if (judged === null) return null;
  const { entry, failure } = judged;
  const letGo = (why: string): PreviousJudged => ({ kept: false, why: `the previous run's k = ${k} was judged again from its segment centres and did not hold: ${why}` });
  if (failure !== null) return letGo(failure);
  const swept = entries.find((e) => e.score.k === k)!;
  // The rest of the rule still holds: the previous k's extra segments must pay (select-k.ts). A
  // larger k the rule would now take instead is not taken: continuity only holds, it never climbs.
  const again = chooseK(
    entries.map((e) => (e.score.k === k ? { ...entry.score, gap: e.score.gap } : e.score)),
    evidence,
  );
  if (again.k < k) return letGo(`its segments are reproduced, but its extra segments separate far less than the ones before (gap statistic), so the rule still prefers k = ${again.k}`);
  const { strong } = judgeStructure(entry.score, evidence);
  const own = swept.score.weakestSegment === null ? '' : ` (the sweep's own fit of k = ${k}: ${swept.score.weakestSegment.toFixed(2)})`;
  const weakest = entry.score.weakestSegment === null ? '' : `, its least stable segment recovered with Jaccard ${entry.score.weakestSegment.toFixed(2)}${own}`;
  const alone = choice.reason.replace(/\.$/, '');
  return {
    kept: true,
    entry,
    selection: {
      k,
      reason:
        `k = ${k}, as in the previous run: fitted from that run's segment centres, every segment is reproduced across resamples at the bar for staying ` +
        `(Jaccard ≥ ${config.unstableBelow}, cluster.unstable_below; ${SEGMENT_STABLE} to enter) and passes the size gates${weakest}; ` +
        `without the previous run, ${alone}.`,
      strongStructure: strong,
    },
  };
}
