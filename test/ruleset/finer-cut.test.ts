/**
 * `finerCut`: which of a run's segments a rule's selection covers as pieces of a segment the run
 * cut finer. Small exact cases: a split, a selection spread thinly over segments, one piece only,
 * pieces covering too little of the selection, the no-events group.
 */
import { describe, expect, it } from 'vitest';
import { finerCut } from '../../src/ruleset/finer-cut.js';
import { segmentSizes } from '../../src/ruleset/match.js';

/** user u<i> → the segment listed at i. */
const runOf = (segments: readonly number[]) => new Map(segments.map((s, i) => [`u${i}`, s]));
const users = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `u${from + i}`);

describe('finerCut', () => {
  it('finds the pieces of a split segment, most shared first, and measures against them together', () => {
    // u0–u5 in segment 1, u6–u9 in segment 0, u10–u19 in segment 2; the rule selects u0–u9 and u10.
    const a = runOf([...Array(6).fill(1), ...Array(4).fill(0), ...Array(10).fill(2)]);
    const cut = finerCut(users(0, 10), a, segmentSizes(a));
    expect(cut).toEqual({
      pieces: [{ segment: 1, shared: 6, segmentSize: 6 }, { segment: 0, shared: 4, segmentSize: 4 }],
      shared: 10,
      size: 10,
      precision: 10 / 11,
      jaccard: 10 / 11,
    });
  });

  it('a segment half selected is a piece; less than half is not', () => {
    const a = runOf([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // 2 of 4, 2 of 3: both pieces.
    expect(finerCut(['u0', 'u1', 'u4', 'u5'], a, segmentSizes(a))?.pieces.map((p) => p.segment)).toEqual([0, 1]);
    // 1 of 4 is not: one piece left, no finer cut.
    expect(finerCut(['u0', 'u4', 'u5'], a, segmentSizes(a))).toBeNull();
  });

  it('a selection spread thinly over segments has no pieces', () => {
    // 4 of 11, 3 of 10, 3 of 9.
    const a = runOf([...Array(4).fill(0), ...Array(3).fill(1), ...Array(3).fill(2), ...Array(7).fill(0), ...Array(7).fill(1), ...Array(6).fill(2)]);
    expect(finerCut(users(0, 9), a, segmentSizes(a))).toBeNull();
  });

  it('pieces that together do not match the selection (Jaccard < 0.5) are no finer cut', () => {
    // Whole segments 0 (3) and 1 (1), but 6 of the 10 selected are in the large segment 2.
    const a = runOf([0, 0, 0, 1, ...Array(26).fill(2)]);
    expect(finerCut(users(0, 9), a, segmentSizes(a))).toBeNull();
    // At exactly 0.5 they do: 5 of 10 in whole segments 0 (3) and 1 (2).
    const b = runOf([0, 0, 0, 1, 1, ...Array(25).fill(2)]);
    expect(finerCut(users(0, 9), b, segmentSizes(b))).toMatchObject({ shared: 5, size: 5, precision: 0.5, jaccard: 0.5 });
  });

  it('never counts the no-events group as a piece', () => {
    const a = runOf([-1, -1, 0, 0, 1, 1, 1, 1]);
    expect(finerCut(['u0', 'u1', 'u2', 'u3'], a, segmentSizes(a))).toBeNull();
  });
});
