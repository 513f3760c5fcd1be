import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { createMatrix } from '../../../src/core/matrix.js';
import { createRng } from '../../../src/core/rng.js';
import { clusterUsers } from '../../../src/stages/cluster/index.js';
import { keepPreviousK, type PreviousJudged } from '../../../src/stages/cluster/continuity.js';
import { gatherEvidence } from '../../../src/stages/cluster/evidence.js';
import { centroidsOf } from '../../../src/stages/cluster/metrics.js';
import { judgeReference, scoreK, type SweepEntry } from '../../../src/stages/cluster/sweep.js';
import type { Selection } from '../../../src/stages/cluster/select-k.js';
import { clusterConfig } from '../../helpers/config.js';
import { blobs, inertiaOf } from './helpers.js';

// Four separate groups: k = 4 is what every resample reproduces.
const { points: sample, truth } = blobs(
  [
    { centre: [0, 0], size: 300, spread: 1 },
    { centre: [10, 0], size: 250, spread: 1 },
    { centre: [0, 10], size: 200, spread: 1 },
    { centre: [10, 10], size: 150, spread: 1 },
  ],
  3,
);
const config = clusterConfig({ stabilityRuns: 10 });
const rng = createRng(9);
const swept: SweepEntry[] = [2, 3, 4, 5].map((k) => scoreK(sample, k, config, rng.fork(), sample.rows));
const evidence = gatherEvidence(sample, swept, config, createRng(4));
const trueCentres = createMatrix(4, 2, centroidsOf(sample, truth, 4).centroids);

/**
 * The sweep's entries with k = 4 judged from an unlucky reference fit: the first group cut in
 * two and the second and third lumped together, as a poor seeding leaves them.
 */
function unluckyAtFour(): SweepEntry[] {
  const labels = Int32Array.from(truth, (t, i) => (t === 0 ? (sample.data[i * 2] < 0 ? 0 : 1) : t === 3 ? 3 : 2));
  const centres = createMatrix(4, 2, centroidsOf(sample, labels, 4).centroids);
  const four = swept[2];
  const judged = judgeReference(sample, 4, { labels, inertia: inertiaOf(sample, labels, centres) }, four.fits, four.silhouetteRows, config, sample.rows);
  return swept.map((e) => (e.score.k === 4 ? judged : e));
}

/** The kept variant of a judgement; fails the test otherwise. */
function kept(judged: PreviousJudged | null): Extract<PreviousJudged, { kept: true }> {
  if (!judged?.kept) throw new Error(`expected the previous k to be kept, got ${JSON.stringify(judged)}`);
  return judged;
}

/** The reason a judgement let the previous k go; fails the test otherwise. */
function letGo(judged: PreviousJudged | null): string {
  if (judged === null || judged.kept) throw new Error(`expected the previous k to be let go, got ${judged === null ? 'null' : 'kept'}`);
  return judged.why;
}

const droppedTo = (k: number): Selection => ({ k, reason: `k = ${k} because it is the largest k whose every segment is reproduced.`, strongStructure: true });

describe('keepPreviousK', () => {
  it('the sweep reproduces k = 4 from a good fit, and not from the unlucky one (the fixture is sound)', () => {
    expect(swept[2].score.eligible).toBe(true);
    const entries = unluckyAtFour();
    expect(entries[2].score.eligible).toBe(false);
    expect(entries[2].score.weakestSegment!).toBeLessThan(0.8);
  });

  it("keeps the previous run's k when its segments, refitted from its centres, pass every gate", () => {
    const entries = unluckyAtFour();
    const judged = kept(keepPreviousK(sample, entries, trueCentres, droppedTo(3), evidence, config, sample.rows, 42));
    expect(judged.selection.k).toBe(4);
    expect(judged.entry.score.eligible).toBe(true);
    expect(judged.entry.score.weakestSegment!).toBeGreaterThanOrEqual(0.8);
    // Judged against the sweep's own resamples, not new ones.
    expect(judged.entry.fits).toBe(entries[2].fits);
    expect(judged.selection.reason).toMatch(/^k = 4, as in the previous run: .*the sweep's own fit of k = 4: 0\.\d\d\); without the previous run, k = 3 because/);
    expect(judged.selection.strongStructure).toBe(true);
  });

  it('lets k drop when a previous segment has all but gone (a group that churned away)', () => {
    // The four groups, and 8 users left of a fifth the previous run had at (30, 30).
    const { points: now } = blobs(
      [
        { centre: [0, 0], size: 300, spread: 1 },
        { centre: [10, 0], size: 250, spread: 1 },
        { centre: [0, 10], size: 200, spread: 1 },
        { centre: [10, 10], size: 150, spread: 1 },
        { centre: [30, 30], size: 8, spread: 0.5 },
      ],
      5,
    );
    const entries = [2, 3, 4, 5].map((k) => scoreK(now, k, config, createRng(k), now.rows));
    const previous = createMatrix(5, 2, Float64Array.of(0, 0, 10, 0, 0, 10, 10, 10, 30, 30));
    expect(letGo(keepPreviousK(now, entries, previous, droppedTo(4), gatherEvidence(now, entries, config, createRng(4)), config, now.rows, 42))).toBe(
      "the previous run's k = 5 was judged again from its segment centres and did not hold: a segment below cluster.min_size (20 users)",
    );
    // With room for an 8-user segment it would stay: the gate, not the rule, let it go.
    const small = clusterConfig({ stabilityRuns: 10, minSize: 5 });
    const entriesSmall = [2, 3, 4, 5].map((k) => scoreK(now, k, small, createRng(k), now.rows));
    expect(kept(keepPreviousK(now, entriesSmall, previous, droppedTo(4), gatherEvidence(now, entriesSmall, small, createRng(4)), small, now.rows, 42)).selection.k).toBe(5);
  });

  it('lets k drop when the previous k is reproduced but its extra segment does not pay (select-k.ts)', () => {
    // Five previous centres on four groups: the largest group cut in two. The cut is reproducible
    // here, but separates far less than the groups do.
    expect(swept[3].score.eligible).toBe(true);
    const five = createMatrix(5, 2, Float64Array.of(-1, 0, 1, 0, 10, 0, 0, 10, 10, 10));
    expect(letGo(keepPreviousK(sample, swept, five, droppedTo(4), evidence, config, sample.rows, 42))).toMatch(
      /^the previous run's k = 5 was judged again from its segment centres and did not hold: its segments are reproduced, but .* so the rule still prefers k = 4$/,
    );
  });

  it('a previous k stays at unstable_below (0.75), though entering takes 0.8 (hysteresis)', () => {
    // Four overlapping groups: from the planted centres, the weakest segment comes back with
    // Jaccard between 0.75 and 0.8.
    const { points: now, truth: planted } = blobs(
      [
        { centre: [0, 0], size: 300, spread: 5.2 },
        { centre: [10, 0], size: 250, spread: 5.2 },
        { centre: [0, 10], size: 200, spread: 5.2 },
        { centre: [10, 10], size: 150, spread: 5.2 },
      ],
      1,
    );
    const entries = [2, 3, 4, 5].map((k) => scoreK(now, k, config, createRng(9), now.rows));
    const previous = createMatrix(4, 2, centroidsOf(now, planted, 4).centroids);
    const nowEvidence = gatherEvidence(now, entries, config, createRng(4));
    const judged = kept(keepPreviousK(now, entries, previous, droppedTo(2), nowEvidence, config, now.rows, 42));
    expect(judged.selection.k).toBe(4);
    const weakest = judged.entry.score.weakestSegment!;
    expect(weakest).toBeGreaterThanOrEqual(0.75);
    expect(weakest).toBeLessThan(0.8);
    // The bar for staying is cluster.unstable_below: raised to 0.8, k = 4 goes.
    const strict = clusterConfig({ stabilityRuns: 10, unstableBelow: 0.8 });
    expect(letGo(keepPreviousK(now, entries, previous, droppedTo(2), nowEvidence, strict, now.rows, 42))).toBe(
      `the previous run's k = 4 was judged again from its segment centres and did not hold: a segment reproduced with Jaccard ${weakest.toFixed(2)}, below 0.8 (cluster.unstable_below)`,
    );
  });

  it('only ever keeps a larger previous k, and only one the sweep scored', () => {
    const entries = unluckyAtFour();
    // The sweep went up (or stayed): a new segment is the job's to find.
    const two = createMatrix(2, 2, Float64Array.of(5, 0, 5, 10));
    expect(keepPreviousK(sample, entries, two, droppedTo(3), evidence, config, sample.rows, 42)).toBeNull();
    expect(keepPreviousK(sample, entries, trueCentres, droppedTo(4), evidence, config, sample.rows, 42)).toBeNull();
    // k = 4 outside the sweep's range.
    const withoutFour = entries.filter((e) => e.score.k !== 4);
    expect(keepPreviousK(sample, withoutFour, trueCentres, droppedTo(3), evidence, config, sample.rows, 42)).toBeNull();
  });

  it('is deterministic: the same inputs give the same entry', () => {
    const entries = unluckyAtFour();
    const a = kept(keepPreviousK(sample, entries, trueCentres, droppedTo(2), evidence, config, sample.rows, 42));
    const b = kept(keepPreviousK(sample, entries, trueCentres, droppedTo(2), evidence, config, sample.rows, 42));
    expect(Array.from(b.entry.labels)).toEqual(Array.from(a.entry.labels));
    expect(b.selection).toEqual(a.selection);
  });
});

describe('clusterUsers with a previous run', () => {
  // Three groups now; the previous run had four (one group cut in two), each still with users.
  const { points: three } = blobs(
    [
      { centre: [0, 0], size: 300, spread: 1 },
      { centre: [10, 0], size: 200, spread: 1 },
      { centre: [0, 10], size: 150, spread: 1 },
    ],
    7,
  );
  const previousFour = createMatrix(4, 2, Float64Array.of(-0.8, 0, 0.8, 0, 10, 0, 0, 10));
  const auto = clusterConfig({ kRange: [2, 6], stabilityRuns: 10, restarts: 3 });

  it('judges the previous k again and says why it was let go', () => {
    const result = clusterUsers(three, auto, createContext(42), { warmStart: previousFour, previousK: 4 });
    expect(result.k).toBe(3);
    expect(result.selection.reason).toMatch(/; the previous run's k = 4 was judged again from its segment centres and did not hold: .+\.$/);
  });

  it('does not judge it when a previous segment has no users left here (its centre is missing)', () => {
    // The previous run had 5 segments; the fifth has no returning users, so 4 centres came.
    const result = clusterUsers(three, auto, createContext(42), { warmStart: previousFour, previousK: 5 });
    expect(result.k).toBe(3);
    expect(result.selection.reason).not.toMatch(/previous run/);
  });
});
