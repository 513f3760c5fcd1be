import { segmentationOf } from '../../../src/stages/cluster/segmentation.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureFamily } from '../../../src/stages/features/types.js';
import { profileSegments } from '../../../src/stages/profile/index.js';
import { ALL_FAMILIES, bool, cat, num, snapshot, table } from '../transform/feature-table.js';

const EVENTS = ['report_viewed', 'api_call', 'dashboard_created', 'login', 'other', 'Page Viewed', '<b>x</b>'];
const CATEGORIES = ['free', 'pro', 'enterprise', '<script>', 'a\nb', '1', ''];

function featureArb(n: number, i: number, missing: boolean): fc.Arbitrary<Feature> {
  const value = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }));
  const maybe = <T>(a: fc.Arbitrary<T>) => (missing ? fc.option(a, { freq: 6 }) : a);
  const values = fc.array(maybe(value), { minLength: n, maxLength: n });
  const family = fc.constantFrom<FeatureFamily>(...ALL_FAMILIES);
  return fc.oneof(
    fc.tuple(values, family, fc.constantFrom('days since last event', 'share of events at night', 'sessions', 'events per session', 'days since first event')).map(
      ([v, f, label]) => num(`f${i}`, v, { family: f, label, integer: i % 2 === 0 }),
    ),
    fc.tuple(fc.array(maybe(fc.double({ min: 0, max: 1, noNaN: true })), { minLength: n, maxLength: n }), fc.constantFrom(...EVENTS), fc.boolean()).map(
      ([v, e, share]) =>
        num(`${share ? 'share' : 'count'}__${e === 'other' ? 'other' : `e${i}`}`, v, { family: 'event_mix', label: `${share ? 'share' : 'count'} of ${e} events` }),
    ),
    fc.array(maybe(fc.constantFrom(0, 1)), { minLength: n, maxLength: n }).map((v) => bool(`b${i}`, v, { label: 'is admin' })),
    fc.array(missing ? fc.option(fc.constantFrom(...CATEGORIES), { freq: 6 }) : fc.constantFrom(...CATEGORIES), { minLength: n, maxLength: n }).map(
      (v) => cat(`c${i}`, v, { label: 'plan' }),
    ),
  );
}

const caseArb = (missing: boolean) =>
  fc.integer({ min: 1, max: 40 }).chain((n) =>
    fc.record({
      k: fc.integer({ min: 1, max: 6 }),
      columns: fc.integer({ min: 0, max: 7 }).chain((m) => fc.tuple(...Array.from({ length: m }, (_, i) => featureArb(n, i, missing)))),
      raw: fc.array(fc.nat(), { minLength: n, maxLength: n }),
      traits: fc.integer({ min: 1, max: 6 }),
    }).map(({ k, columns, raw, traits }) => ({
      features: table(columns, n),
      labels: Int32Array.from(raw, (r) => r % k),
      k,
      traits,
    })),
  );

describe('profileSegments invariants', () => {
  it('names and descriptions are unique, one line and non-empty; traits sorted by strength; events capped at 5', () => {
    fc.assert(
      fc.property(caseArb(true), ({ features, labels, k, traits }) => {
        const p = profileSegments(features, segmentationOf(features, labels, k), { traits });
        expect(p.map((s) => s.id)).toEqual(Array.from({ length: k }, (_, i) => i));
        const names = p.map((s) => s.name.toLowerCase());
        expect(new Set(names).size).toBe(k);
        expect(new Set(p.map((s) => s.description)).size).toBe(k);
        for (const s of p) {
          expect(s.name.length).toBeGreaterThan(0);
          expect(s.name).not.toMatch(/[\n\r\u2028\u2029]/);
          expect(s.description).not.toMatch(/[\n\r\u2028\u2029]/);
          for (const t of s.traits) {
            expect(t.phrase).not.toMatch(/[\n\r]/);
            expect(Number.isFinite(t.effect)).toBe(true);
          }
          // Strongest first; equal strengths (to round-off) are ordered by name instead.
          const st = s.traits.map((t) => t.strength ?? 0);
          st.slice(1).forEach((x, i) => expect(x).toBeLessThanOrEqual(st[i] * (1 + 1e-9)));
          expect(s.overIndexedEvents.length).toBeLessThanOrEqual(5);
          expect(s.underIndexedEvents.length).toBeLessThanOrEqual(5);
          expect(s.overIndexedEvents.filter((e) => s.underIndexedEvents.includes(e))).toEqual([]);
          expect(s.traits.length).toBeLessThanOrEqual(Math.max(traits, 3));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every non-empty segment has at least 3 traits when at least 3 features vary, and none of a feature that does not', () => {
    // A feature varies when users hold at least two different values of it.
    const varies = (f: Feature) => new Set(Array.from(f.values as ArrayLike<number | string | null>).filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)))).size >= 2;
    fc.assert(
      fc.property(caseArb(false), ({ features, labels, k, traits }) => {
        const p = profileSegments(features, segmentationOf(features, labels, k), { traits });
        const varying = new Set(features.columns.filter(varies).map((f) => f.name));
        for (const s of p) {
          if (s.size > 0 && varying.size >= 3) expect(s.traits.length).toBeGreaterThanOrEqual(3);
          for (const t of s.traits) expect(varying.has(t.feature)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and leaves its input untouched', () => {
    fc.assert(
      fc.property(caseArb(true), ({ features, labels, k, traits }) => {
        const before = snapshot(features);
        const labelsBefore = Array.from(labels);
        const a = profileSegments(features, segmentationOf(features, labels, k), { traits });
        const b = profileSegments(features, segmentationOf(features, labels, k), { traits });
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(snapshot(features)).toEqual(before);
        expect(Array.from(labels)).toEqual(labelsBefore);
      }),
      { numRuns: 150 },
    );
  });
});
