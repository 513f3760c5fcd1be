import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatrix } from '../../src/core/matrix.js';
import { computeLineage, type PreviousRun } from '../../src/run/lineage.js';
import { hungarianMax, matchSegments, overlapOf } from '../../src/run/match.js';
import type { RunDocuments } from '../../src/run/types.js';
import type { SegmentProfile } from '../../src/stages/profile/types.js';

/** Brute force: the best total over every one-to-one assignment (small matrices only). */
function bestTotal(score: number[][]): number {
  const rows = score.length;
  const cols = score[0]?.length ?? 0;
  let best = 0;
  const used = new Array<boolean>(cols).fill(false);
  const go = (i: number, total: number) => {
    if (i === rows) {
      best = Math.max(best, total);
      return;
    }
    go(i + 1, total); // row i unassigned
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, total + score[i][j]);
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

const matrix = fc.integer({ min: 1, max: 5 }).chain((rows) =>
  fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })),
);

describe('hungarianMax', () => {
  it('small exact case', () => {
    expect(hungarianMax([[0.9, 0.1], [0.8, 0.7]])).toEqual([0, 1]);
    expect(hungarianMax([[0.1, 0.9, 0.2]])).toEqual([1]);
    expect(hungarianMax([[0.5], [0.9], [0.1]])).toEqual([null, 0, null]);
  });

  it('is one-to-one and reaches the brute-force optimum', () => {
    fc.assert(
      fc.property(matrix, (score) => {
        const pairs = hungarianMax(score);
        const cols = pairs.filter((j): j is number => j !== null);
        expect(new Set(cols).size).toBe(cols.length);
        expect(cols.length).toBe(Math.min(score.length, score[0].length));
        const total = pairs.reduce<number>((s, j, i) => s + (j === null ? 0 : score[i][j]), 0);
        expect(total).toBeCloseTo(bestTotal(score), 9);
      }),
    );
  });
});

/** Labels of n users as groups of given sizes, in order. */
const blocks = (...sizes: number[]) => Int32Array.from(sizes.flatMap((s, i) => new Array<number>(s).fill(i)));

describe('matchSegments', () => {
  it('recognises a split', () => {
    // Earlier: 0 = users 0..99, 1 = 100..149. Now 0 is two halves (0 and 1), 1 continues as 2.
    const before = blocks(100, 50);
    const after = blocks(50, 50, 50);
    const m = matchSegments(overlapOf(before, after, 2, 3));
    expect(m.after.map((l) => l.status)).toEqual(['split', 'split', 'stable']);
    expect(m.after.map((l) => l.from)).toEqual([[0], [0], [1]]);
    expect(m.after.filter((l) => l.inherits).map((l) => l.segment)).toEqual([2]);
    expect(m.ended).toEqual([expect.objectContaining({ segment: 0, status: 'split', into: [0, 1] })]);
  });

  it('recognises a merge', () => {
    const before = blocks(60, 40, 50);
    const after = blocks(100, 50);
    const m = matchSegments(overlapOf(before, after, 3, 2));
    expect(m.after.map((l) => l.status)).toEqual(['merged', 'stable']);
    expect(m.after[0].from).toEqual([0, 1]);
    // 60 of 100: the larger part continues and keeps its key; the smaller one ended in the merge.
    expect(m.after[0].inherits).toBe(true);
    expect(m.after[0].matched).toBe(0);
    expect(m.ended).toEqual([expect.objectContaining({ segment: 1, status: 'merged', into: [0] })]);
  });

  it('grown, shrunk, new and absorbed by the thresholds', () => {
    // 0 keeps 70 of 100 and gains nothing (J 0.7 → shrunk); 1 gains 30 (J 50/80 → grown);
    // 2 (30 users) went mostly (20) into the newcomers' 3, which is new: absorbed.
    const before = Int32Array.from([...new Array(70).fill(0), ...new Array(30).fill(1), ...new Array(50).fill(1), ...new Array(30).fill(2), ...new Array(40).fill(-1)]);
    const after = Int32Array.from([...new Array(70).fill(0), ...new Array(30).fill(1), ...new Array(50).fill(1), ...new Array(10).fill(0), ...new Array(20).fill(3), ...new Array(40).fill(3)]);
    const o = overlapOf(before, after, 3, 4);
    const m = matchSegments(o, { before: [100, 80, 30], after: [80, 80, 0, 60] });
    expect(m.after.map((l) => l.status)).toEqual(['stable', 'stable', 'new', 'new']);
    const m2 = matchSegments(o, { before: [100, 80, 30], after: [80, 80, 0, 60] });
    expect(m2).toEqual(m);
    expect(m.ended.map((e) => [e.segment, e.status])).toEqual([[2, 'absorbed']]);
    // 20 of its 30 users are in 3, where they are a third of 60: more than a quarter, but 3 holds
    // 40 newcomers too, so it is no merge of earlier segments; the 10 in 0 are too few to matter.
    expect(m.ended[0].into).toEqual([3]);
  });

  it('an earlier segment most of whose users went into one much larger segment is absorbed by it, one scattered is dissolved', () => {
    // Outside check: 51 users all moved into a 354-user segment were listed "dissolved", into nothing.
    const before = Int32Array.from([...new Array(300).fill(0), ...new Array(51).fill(1), ...new Array(40).fill(2)]);
    const after = Int32Array.from([...new Array(300).fill(0), ...new Array(51).fill(0), ...Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0 : -1))]);
    const m = matchSegments(overlapOf(before, after, 3, 1));
    expect(m.ended.map((e) => [e.segment, e.status, e.into])).toEqual([[1, 'absorbed', [0]], [2, 'dissolved', []]]);
  });

  it('pairs no segments that share no users: a new segment is matched to nothing', () => {
    // Outside check: the one-to-one assignment filled a new segment's place with an unrelated
    // ended one, and the diff showed it "matched" at Jaccard 0.00.
    const before = Int32Array.from([...new Array(50).fill(0), ...new Array(50).fill(1), ...new Array(30).fill(-1)]);
    const after = Int32Array.from([...new Array(50).fill(0), ...new Array(50).fill(-1), ...new Array(30).fill(1)]);
    const m = matchSegments(overlapOf(before, after, 2, 2));
    expect(m.after.map((l) => [l.status, l.matched])).toEqual([['stable', 0], ['new', null]]);
    expect(m.ended).toEqual([expect.objectContaining({ segment: 1, status: 'dissolved', matched: null })]);
  });

  it('grown and shrunk between 0.5 and 0.75', () => {
    const before = blocks(100, 100);
    // 0 loses 35 users to 1: J(0,0) = 65/100, J(1,1) = 100/135.
    const after = Int32Array.from([...new Array(65).fill(0), ...new Array(35).fill(1), ...new Array(100).fill(1)]);
    const m = matchSegments(overlapOf(before, after, 2, 2));
    expect(m.after.map((l) => l.status)).toEqual(['shrunk', 'grown']);
    expect(m.ended).toEqual([]);
  });
});

// ------------------------------------------------------------------- keys through computeLineage

const profile = (id: number, size: number): SegmentProfile => ({ id, size, share: 0, name: `segment ${id}`, description: '', traits: [], overIndexedEvents: [], underIndexedEvents: [] }) as unknown as SegmentProfile;

function previousRun(labels: readonly number[], userIds: readonly string[]): PreviousRun {
  const k = Math.max(...labels) + 1;
  const sizes = Array.from({ length: k }, (_, s) => labels.filter((l) => l === s).length);
  const docs = {
    manifest: { runId: 'run-1' },
    segments: { segments: sizes.map((size, id) => ({ ...profile(id, size), key: `seg-old${id}` })) },
  } as unknown as RunDocuments;
  return { dir: '/nowhere', docs, assignments: new Map(userIds.map((u, i) => [u, labels[i]])) };
}

function lineageOf(labels: Int32Array, k: number, userIds: string[], previous: PreviousRun | null) {
  return computeLineage({
    job: 'weekly',
    origin: 'o',
    userIds,
    labels,
    points: createMatrix(labels.length, 1, Float64Array.from(labels)),
    k,
    usersWithoutEvents: [],
    profiles: Array.from({ length: k }, (_, j) => profile(j, labels.filter((l) => l === j).length)),
    previous,
  });
}

/** A labelling where every one of k labels is used. */
const labelling = (n: number, k: number) =>
  fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }).map((ls) => {
    const out = [...ls];
    for (let s = 0; s < k; s++) out[s] = s;
    return out;
  });

describe('segment keys', () => {
  const users = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i).padStart(3, '0')}`);

  it('are one-to-one: no two segments share a key and each earlier key is inherited once at most', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1000 }), (kb, ka, salt) => {
        const n = 60;
        const ids = users(n);
        const before = Array.from({ length: n }, (_, i) => (i < kb ? i : (i * 7 + salt) % kb));
        const after = Int32Array.from({ length: n }, (_, i) => (i < ka ? i : (i * 3 + salt * 5 + (i % 4)) % ka));
        const l = lineageOf(after, ka, ids, previousRun(before, ids));
        expect(new Set(l.keys).size).toBe(ka);
        const inherited = l.segments.map((s) => s.inheritedKey).filter((k) => k !== null);
        expect(new Set(inherited).size).toBe(inherited.length);
        // Every earlier key is either continued or listed as ended, never both.
        const ended = l.ended.map((e) => e.key);
        expect([...inherited, ...ended].sort()).toEqual(Array.from({ length: kb }, (_, i) => `seg-old${i}`).sort());
      }),
    );
  });

  it('a permutation of the labels gives every user the same key and status', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((kb) => fc.integer({ min: 2, max: 5 }).chain((ka) => fc.tuple(fc.constant(ka), labelling(40, kb), labelling(40, ka), fc.shuffledSubarray(Array.from({ length: ka }, (_, i) => i), { minLength: ka, maxLength: ka })))),
        ([ka, before, after, perm]) => {
          const ids = users(40);
          const prev = previousRun(before, ids);
          const a = lineageOf(Int32Array.from(after), ka, ids, prev);
          const b = lineageOf(Int32Array.from(after, (l) => perm[l]), ka, ids, prev);
          ids.forEach((_, i) => {
            expect(b.keys[perm[after[i]]]).toBe(a.keys[after[i]]);
            expect(b.segments[perm[after[i]]].status).toBe(a.segments[after[i]].status);
          });
          expect(b.ended).toEqual(a.ended);
        },
      ),
    );
  });

  it('are deterministic and all new without a previous run', () => {
    const ids = users(10);
    const labels = blocks(6, 4);
    const a = lineageOf(labels, 2, ids, null);
    expect(a.keys).toEqual(lineageOf(labels, 2, ids, null).keys);
    expect(a.keys.every((k) => /^seg-[0-9a-f]{6}$/.test(k))).toBe(true);
    expect(a.segments.map((s) => s.status)).toEqual(['new', 'new']);
  });

  it('a split gives both halves new keys from the split one; a merge keeps the larger part\'s key', () => {
    const ids = users(150);
    const split = lineageOf(blocks(50, 50, 50), 3, ids, previousRun([...blocks(100, 50)], ids));
    expect(split.segments.map((s) => s.status)).toEqual(['split', 'split', 'stable']);
    expect(split.segments[0].from).toEqual(['seg-old0']);
    expect(split.keys[2]).toBe('seg-old1');
    expect(split.keys.slice(0, 2)).not.toContain('seg-old0');
    expect(split.ended).toEqual([expect.objectContaining({ key: 'seg-old0', status: 'split', into: split.keys.slice(0, 2).sort() })]);

    const merge = lineageOf(blocks(100, 50), 2, ids, previousRun([...blocks(60, 40, 50)], ids));
    expect(merge.segments.map((s) => s.status)).toEqual(['merged', 'stable']);
    expect(merge.keys).toEqual(['seg-old0', 'seg-old2']);
    expect(merge.segments[0].from).toEqual(['seg-old0', 'seg-old1']);
    expect(merge.ended).toEqual([expect.objectContaining({ key: 'seg-old1', status: 'merged', into: ['seg-old0'] })]);
  });
});

describe('names follow keys', () => {
  const trait = (feature: string) => ({ feature, direction: 'over' }) as unknown as SegmentProfile['traits'][number];
  const named = (id: number, size: number, name: string, traits: string[]) => ({ ...profile(id, size), name, traits: traits.map(trait) });

  function run(previousTraits: string[], nowTraits: string[], otherNow = 'segment b') {
    const ids = Array.from({ length: 100 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const labels = blocks(60, 40);
    const previous = previousRun([...labels], ids);
    const docs = previous.docs as unknown as { segments: { segments: unknown[] } };
    docs.segments.segments = [
      { ...named(0, 60, 'Power users', previousTraits), key: 'seg-old0' },
      { ...named(1, 40, 'Casual', ['z']), key: 'seg-old1' },
    ];
    return computeLineage({
      job: 'weekly',
      origin: 'o',
      userIds: ids,
      labels,
      points: createMatrix(100, 1, Float64Array.from(labels)),
      k: 2,
      usersWithoutEvents: [],
      profiles: [named(0, 60, 'Heavy exporters', nowTraits), named(1, 40, otherNow, ['z'])],
      previous,
    });
  }

  it('a continuing segment keeps its name while its top traits mostly agree', () => {
    const l = run(['a', 'b', 'c'], ['a', 'b', 'd']);
    expect(l.names[0]).toBe('Power users');
    expect(l.segments[0].previousName).toBeNull();
  });

  it('is renamed, and says so, when its traits changed enough', () => {
    const l = run(['a', 'b', 'c'], ['d', 'e', 'a']);
    expect(l.names[0]).toBe('Heavy exporters');
    expect(l.segments[0].previousName).toBe('Power users');
  });

  it('never takes a name another segment of the run now has', () => {
    // This run named segment 1 "Power users"; segment 0 cannot keep that name, and segment 1
    // continues "Casual" and keeps that one.
    const l = run(['a', 'b', 'c'], ['a', 'b', 'c'], 'Power users');
    expect(l.names).toEqual(['Heavy exporters', 'Casual']);
    expect(new Set(l.names).size).toBe(2);
    expect(l.segments[0].previousName).toBe('Power users');
  });
});
