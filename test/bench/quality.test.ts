/**
 * The quality benchmark's own parts: its agreement scores, its worlds (deterministic, truth for
 * every user, no truth leaking into the users table) and the plain-notebook baseline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainNotebook } from '../../bench/quality/baseline.js';
import { adjustedRandIndex, labelsOf, normalizedMutualInformation } from '../../bench/quality/metrics.js';
import { plantedFamilies } from '../../bench/quality/worlds/index.js';

describe('normalizedMutualInformation', () => {
  it('matches scikit-learn on small cases', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.8, 12);
    expect(normalizedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
    expect(normalizedMutualInformation([0, 0, 0], [5, 5, 5])).toBe(1);
    expect(normalizedMutualInformation([0, 0, 1, 1], [7, 7, 7, 7])).toBe(0);
  });

  it('is symmetric, within [0, 1], and 1 for a relabelling (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 60 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const v = normalizedMutualInformation(a, b);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
        expect(normalizedMutualInformation(b, a)).toBeCloseTo(v, 12);
        expect(normalizedMutualInformation(a, a.map((x) => 10 - x))).toBeCloseTo(1, 12);
      }),
      { numRuns: 100 },
    );
  });
});

describe('benchmark worlds', () => {
  for (const family of plantedFamilies) {
    it(`${family.name}: same seed, same world; truth for every user; no truth in the users table`, () => {
      const a = family.generate(3);
      const b = family.generate(3);
      expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
      expect(JSON.stringify(a.users)).toBe(JSON.stringify(b.users));
      expect(JSON.stringify(family.generate(4).events)).not.toBe(JSON.stringify(a.events));
      const withEvents = new Set(a.events?.map((e) => e.user_id));
      expect(withEvents).toEqual(new Set(a.truth.keys()));
      const personas = new Set(a.truth.values());
      expect(personas.size).toBe(a.trueK ?? 1);
      // No users-table column is the truth itself (the benchmark would be answering itself).
      const rows = a.users ?? [];
      const columns = rows.length ? Object.keys(rows[0]).filter((c) => c !== 'user_id') : [];
      for (const column of columns) {
        expect(rows.every((r) => String(r[column]) === a.truth.get(String(r.user_id)))).toBe(false);
      }
    });
  }
});

describe('plainNotebook', () => {
  it('recovers a planted world at the true k about as well as the benchmark says (ARI > 0.85)', () => {
    const world = plantedFamilies.find((f) => f.name === 'consumer-time')!.generate(2);
    const r = plainNotebook(world, world.trueK!, 42);
    expect(r.k).toBe(world.trueK);
    expect(adjustedRandIndex(labelsOf(world.truth, r.userIds), r.labels)).toBeGreaterThan(0.85);
    // Deterministic for the same seed.
    expect(Array.from(plainNotebook(world, world.trueK!, 42).labels)).toEqual(Array.from(r.labels));
  }, 60_000);
});
