/**
 * A smaller k kept out only by seeding luck is judged on its refitted resamples (cluster.ts,
 * withReseeded); nothing else changes.
 */
import { describe, expect, it } from 'vitest';
import { withReseeded } from '../../../src/stages/cluster/cluster.js';
import type { SweepEntry } from '../../../src/stages/cluster/sweep.js';

const rows = Int32Array.from([0, 1, 2, 3]);
const seeded = { rows, predicted: Int32Array.from([0, 0, 1, 1]) };

interface Spec {
  readonly k: number;
  readonly eligible: boolean;
  /** Which gates failed besides (or instead of) stability. */
  readonly sizeOk?: boolean;
  /** The reseeded judgement: eligible or not; absent = no resample was refitted. */
  readonly reseeded?: boolean;
}

function entry(spec: Spec): SweepEntry {
  const gates = { size: spec.sizeOk ?? true, share: true, stable: spec.eligible };
  const score = { k: spec.k, eligible: spec.eligible, gates, gap: 0.1 * spec.k, weakestSegment: spec.eligible ? 0.9 : 0.6 };
  const again =
    spec.reseeded === undefined
      ? null
      : {
          entry: { score: { ...score, eligible: spec.reseeded, gates: { ...gates, stable: spec.reseeded }, gap: undefined, weakestSegment: spec.reseeded ? 0.97 : 0.7 }, fits: [seeded, seeded], labels: new Int32Array(4) } as unknown as SweepEntry,
          refitted: 2,
        };
  return { score, fits: [seeded, seeded, seeded], labels: new Int32Array(4), reseeded: again } as unknown as SweepEntry;
}

describe('withReseeded', () => {
  it('judges a smaller k that failed only the stable gate on its refitted resamples, keeping its gap', () => {
    const { entries, refitted: counts } = withReseeded([entry({ k: 2, eligible: false }), entry({ k: 3, eligible: false, reseeded: true }), entry({ k: 4, eligible: true })]);
    expect(entries.map((e) => e.score.eligible)).toEqual([false, true, true]);
    expect(entries[1].score.weakestSegment).toBe(0.97);
    expect(entries[1].score.gap).toBeCloseTo(0.3, 12);
    expect([...counts]).toEqual([[3, 2]]);
  });

  it('never lets in a k at or above the largest reproducible one, nor one that failed a size gate or still fails', () => {
    const specs: Spec[] = [
      { k: 2, eligible: false, sizeOk: false, reseeded: true },
      { k: 3, eligible: false, reseeded: false },
      { k: 4, eligible: true, reseeded: true },
      { k: 5, eligible: false, reseeded: true },
    ];
    const { entries, refitted } = withReseeded(specs.map(entry));
    expect(entries.map((e) => e.score.eligible)).toEqual([false, false, true, false]);
    expect(refitted.size).toBe(0);
    // Nothing reproducible at all: nothing is let in either.
    expect(withReseeded([entry({ k: 2, eligible: false, reseeded: true })]).entries[0].score.eligible).toBe(false);
  });
});
