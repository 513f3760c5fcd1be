import { describe, expect, it } from 'vitest';
import { diffAssignments } from '../../src/run/diff.js';

const assign = (pairs: [string, number][]) => new Map(pairs);

describe('diffAssignments', () => {
  it('matches each new segment to the old segment it overlaps most', () => {
    const before = assign([['a', 0], ['b', 0], ['c', 0], ['d', 1], ['e', 1]]);
    // Segment ids swap between runs; segment 2 is made of users not seen before.
    const after = assign([['a', 1], ['b', 1], ['c', 1], ['d', 0], ['e', 0], ['f', 0], ['x', 2], ['y', 2]]);
    const diff = diffAssignments(before, after);
    expect(diff.map((d) => [d.segment, d.previous, d.status])).toEqual([
      [0, 1, 'grew'],
      [1, 0, 'stable'],
      [2, null, 'new'],
    ]);
    expect(diff[1].jaccard).toBe(1);
  });
});
