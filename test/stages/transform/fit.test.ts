import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { errors } from '../../../src/core/messages.js';
import type { Feature } from '../../../src/stages/features/types.js';
import { applyTransform, fitTransform, type TransformStep } from '../../../src/stages/transform/index.js';
import { bool, cat, num, snapshot, table, transformConfig } from './feature-table.js';

const column = (m: { rows: number; cols: number; data: Float64Array }, j: number) =>
  Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
const numericStep = (s: TransformStep) => {
  if (s.kind !== 'numeric') throw new Error('expected a numeric step');
  return s;
};

describe('fitTransform: numeric columns', () => {
  it('standard-scales to mean 0 and SD 1 (small exact case)', () => {
    const ctx = createContext(1);
    const r = fitTransform(table([num('x', [1, 2, 3, 4])]), transformConfig(), ctx);
    const sd = Math.sqrt(1.25);
    expect(r.columnNames).toEqual(['x']);
    expect(column(r.matrix, 0)).toEqual([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd]);
    expect(r.model.steps).toEqual([
      { kind: 'numeric', feature: 'x', family: 'volume', log1p: false, lower: 1, upper: 4, fill: 2.5, center: 2.5, scale: sd, weight: 1 },
    ]);
    expect(ctx.warnings).toEqual([]);
  });

  it('robust-scales by median and IQR / 1.349 (normal-consistent, comparable with SDs)', () => {
    const cfg = transformConfig({ scaling: 'robust', log1pSkew: 100 });
    const r = fitTransform(table([num('x', [1, 2, 3, 4, 100])]), cfg, createContext(1));
    const s = numericStep(r.model.steps[0]);
    expect(s.center).toBe(3);
    expect(s.scale).toBeCloseTo(2 / 1.349, 12);
    expect(column(r.matrix, 0)[4]).toBeCloseTo((97 * 1.349) / 2, 9);
  });

  it('falls back to the SD when the IQR is 0', () => {
    const cfg = transformConfig({ scaling: 'robust', log1pSkew: 100 });
    const r = fitTransform(table([num('x', [0, 0, 0, 0, 0, 0, 0, 0, 1, 2])]), cfg, createContext(1));
    expect(numericStep(r.model.steps[0]).scale).toBeCloseTo(Math.sqrt(0.41), 12);
    expect(numericStep(r.model.steps[0]).center).toBe(0);
  });

  it('fills missing values with the median of the observed ones', () => {
    const r = fitTransform(table([num('x', [1, null, 3, 5, 7])]), transformConfig(), createContext(1));
    const s = numericStep(r.model.steps[0]);
    expect(s.fill).toBe(4);
    expect(column(r.matrix, 0)[1]).toBe(0);
    expect(column(r.matrix, 0)[0]).toBeCloseTo(-3 / Math.sqrt(5), 12);
  });

  it('applies log1p only to skewed non-negative features', () => {
    const skewed = [0, 0, 0, 0, 0, 0, 0, 1, 2, 100];
    const r = fitTransform(
      table([num('a', skewed), num('b', skewed.map((v, i) => (i === 0 ? -1 : v))), num('c', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]),
      transformConfig({ nearDuplicate: 1 }),
      createContext(1),
    );
    expect(r.model.steps.map((s) => numericStep(s).log1p)).toEqual([true, false, false]);
    const a = numericStep(r.model.steps[0]);
    expect(a.upper).toBe(Math.log1p(100));
  });

  it('winsorises at the configured quantiles (type-7 interpolation)', () => {
    const cfg = transformConfig({ winsorize: [0.1, 0.9], log1pSkew: 100 });
    const r = fitTransform(table([num('x', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]), cfg, createContext(1));
    const s = numericStep(r.model.steps[0]);
    expect(s.lower).toBeCloseTo(1.9, 12);
    expect(s.upper).toBeCloseTo(9.1, 12);
    const col = column(r.matrix, 0);
    expect(col[0]).toBe(col.reduce((a, b) => Math.min(a, b)));
    expect(col[0]).toBe((1.9 - s.center) / s.scale);
  });

  it('keeps a sparse feature whole instead of winsorising it to a constant', () => {
    const values = Array.from({ length: 201 }, (_, i) => (i === 7 ? 5 : 0));
    const ctx = createContext(1);
    const r = fitTransform(table([num('rare', values)]), transformConfig({ winsorize: [0.01, 0.99] }), ctx);
    const s = numericStep(r.model.steps[0]);
    expect([s.lower, s.upper]).toEqual([0, Math.log1p(5)]);
    expect(ctx.warnings).toEqual([]);
  });

  it('standardises booleans as 0/1 columns: centre = share, scale = SD sqrt(p(1-p)), no log1p', () => {
    const r = fitTransform(table([bool('admin', [1, 0, 0, 0, null])]), transformConfig(), createContext(1));
    const s = numericStep(r.model.steps[0]);
    expect(s).toMatchObject({ log1p: false, lower: 0, upper: 1, fill: 0 });
    expect(s.center).toBeCloseTo(0.2, 12);
    expect(s.scale).toBeCloseTo(0.4, 12);
    expect(column(r.matrix, 0)).toEqual([0.8 / 0.4, -0.2 / 0.4, -0.2 / 0.4, -0.2 / 0.4, -0.2 / 0.4].map((v) => expect.closeTo(v, 12)));
  });

  it('floors the scale of a rare 0/1 column, so its holders do not become a cluster of their own', () => {
    const rare = Array.from({ length: 1000 }, (_, i) => (i === 0 ? 1 : 0));
    const r = fitTransform(table([bool('beta_tester', rare)]), transformConfig(), createContext(1));
    expect(numericStep(r.model.steps[0]).scale).toBe(0.2);
    expect(Math.max(...column(r.matrix, 0))).toBeCloseTo(0.999 / 0.2, 9);
  });
});

describe('fitTransform: categorical columns', () => {
  it('one-hots the top categories (ties by value) plus other, which holds rare and missing', () => {
    const plan = cat('plan', ['b', 'a', 'b', 'a', 'c', null, 'd', 'b']);
    const r = fitTransform(table([plan]), transformConfig({ topCategories: 2 }), createContext(1));
    expect(r.columnNames).toEqual(['plan=b', 'plan=a', 'plan=(other)']);
    const sd = (p: number) => Math.sqrt(p * (1 - p));
    expect(r.model.steps.map((s) => (s.kind === 'onehot' ? [s.category, s.others, s.center, s.scale] : null))).toEqual([
      ['b', null, 3 / 8, sd(3 / 8)],
      ['a', null, 2 / 8, sd(2 / 8)],
      [null, ['b', 'a'], 3 / 8, sd(3 / 8)],
    ]);
    // Attribute columns carry the attribute weight per column (1 here).
    expect(column(r.matrix, 2)).toEqual([0, 0, 0, 0, 1, 1, 1, 0].map((h) => expect.closeTo((h - 3 / 8) / sd(3 / 8), 12)));
  });

  it('breaks frequency ties by value and leaves out an empty other bucket', () => {
    const r = fitTransform(table([cat('c', ['y', 'x', 'y', 'x'])]), transformConfig({ topCategories: 1 }), createContext(1));
    expect(r.columnNames).toEqual(['c=x', 'c=(other)']);
    const all = fitTransform(table([cat('c', ['y', 'x', 'y', 'x'])]), transformConfig({ topCategories: 5 }), createContext(1));
    // Exact complements, but both kept: one-hot siblings are not near-duplicates of each other.
    expect(all.columnNames).toEqual(['c=x', 'c=y']);
  });

  it('keeps HTML-hostile category values as data in column names', () => {
    const r = fitTransform(table([cat('c', ['<b>x</b>', 'a"b', '<b>x</b>', 'a"b'])]), transformConfig(), createContext(1));
    expect(r.columnNames).toEqual(['c=<b>x</b>', 'c=a"b']);
  });
});

describe('fitTransform: dropping and weights', () => {
  it('drops constant, all-missing and near-duplicate columns, with exact warnings', () => {
    const ctx = createContext(1);
    const t = table([
      num('a', [1, 2, 3, 5], { label: 'events' }),
      num('const', [3, 3, 3, 3], { label: 'always three' }),
      num('empty', [null, null, null, null], { label: 'nothing' }),
      num('twice', [3, 5, 7, 11], { label: 'twice a plus one' }),
      cat('same', ['p', 'p', 'p', 'p']),
      num('b', [4, 1, 3, 2]),
    ]);
    const r = fitTransform(t, transformConfig(), ctx);
    expect(r.columnNames).toEqual(['a', 'b']);
    expect(r.model.dropped).toEqual([
      { feature: 'const', reason: 'constant (every user with a value has 3)' },
      { feature: 'empty', reason: 'every value is missing' },
      { feature: 'twice', reason: 'near-duplicate of a (r = 1.000)' },
      { feature: 'same', reason: 'constant (every user has "p")' },
    ]);
    expect(ctx.warnings).toEqual([
      { code: 'W_DROPPED_FEATURE', stage: 'transform', message: 'dropped const (always three) from clustering: constant (every user with a value has 3)' },
      { code: 'W_DROPPED_FEATURE', stage: 'transform', message: 'dropped empty (nothing) from clustering: every value is missing' },
      { code: 'W_DROPPED_FEATURE', stage: 'transform', message: 'dropped twice (twice a plus one) from clustering: near-duplicate of a (r = 1.000)' },
      { code: 'W_DROPPED_FEATURE', stage: 'transform', message: 'dropped same (same) from clustering: constant (every user has "p")' },
    ]);
  });

  it('says when a constant trend share comes from the configuration (a window no longer than trend_days)', () => {
    const recent = { kind: 'recentShare', days: 30 } as const;
    const ctx = createContext(1);
    const r = fitTransform(table([num('a', [1, 2, 3, 5]), num('trend_recent_share', [1, 1, null, 1], { meaning: recent })]), transformConfig(), ctx);
    expect(r.model.dropped).toEqual([
      {
        feature: 'trend_recent_share',
        reason:
          'constant (every user with a value has 1): every event falls in the last 30 days, so window.days is no longer than features.trend_days; set trend_days below window.days to compare recent use with earlier use',
      },
    ]);
    // Constant for another reason (nobody active lately): no hint about the configuration.
    const quiet = fitTransform(table([num('a', [1, 2, 3, 5]), num('trend_recent_share', [0, 0, 0, 0], { meaning: recent })]), transformConfig(), createContext(1));
    expect(quiet.model.dropped).toEqual([{ feature: 'trend_recent_share', reason: 'constant (every user with a value has 0)' }]);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('drops anti-correlated near-duplicates too, and keeps the earlier column', () => {
    const r = fitTransform(table([num('x', [1, 2, 3, 4]), num('neg', [8, 6, 4, 2])]), transformConfig(), createContext(1));
    expect(r.columnNames).toEqual(['x']);
    expect(r.model.dropped).toEqual([{ feature: 'neg', reason: 'near-duplicate of x (r = -1.000)' }]);
  });

  it('weights every column by its family weight, so a column contributes ~weight² variance', () => {
    const weights = { ...transformConfig().weights, event_mix: 2, volume: 3, attribute: 0 };
    const cols = [
      num('e1', [1, 5, 2, 4, 3, 0], { family: 'event_mix' }),
      num('e2', [2, 1, 5, 3, 0, 4], { family: 'event_mix' }),
      num('e3', [0, 0, 1, 1, 0, 1], { family: 'event_mix' }),
      num('e4', [5, 5, 0, 1, 2, 9], { family: 'event_mix' }),
      num('v1', [7, 1, 2, 2, 3, 1], { family: 'volume' }),
      cat('plan', ['a', 'b', 'a', 'b', 'a', 'c']),
    ];
    const ctx = createContext(1);
    const r = fitTransform(table(cols), transformConfig({ weights, log1pSkew: 100, nearDuplicate: 1 }), ctx);
    expect(r.columnNames).toEqual(['e1', 'e2', 'e3', 'e4', 'v1']);
    expect(r.model.steps.map((s) => s.weight)).toEqual([2, 2, 2, 2, 3]);
    const variance = (j: number) => {
      const c = column(r.matrix, j);
      const m = c.reduce((a, b) => a + b) / c.length;
      return c.reduce((a, b) => a + (b - m) ** 2, 0) / c.length;
    };
    for (let j = 0; j < 4; j++) expect(variance(j)).toBeCloseTo(4, 9);
    expect(variance(4)).toBeCloseTo(9, 9);
    // A weight-0 family is simply not clustered on: not "dropped", no warning.
    expect(r.model.dropped).toEqual([]);
    expect(ctx.warnings).toEqual([]);
  });

  it('throws identicalUsers when no column varies', () => {
    const t = table([num('a', [2, 2, 2]), cat('b', ['x', 'x', 'x'])]);
    expect(() => fitTransform(t, transformConfig(), createContext(1))).toThrow(errors.identicalUsers(3).message);
    try {
      fitTransform(table([num('a', [1])]), transformConfig(), createContext(1));
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_IDENTICAL_USERS', stage: 'transform' });
    }
  });
});

// ---- invariants on random tables -------------------------------------------------------------

const values = (n: number) => fc.array(fc.option(fc.constantFrom(0, 1, 2, 3, 10, 250, -4, 0.5), { freq: 6 }), { minLength: n, maxLength: n });
const featureArb = (n: number, i: number): fc.Arbitrary<Feature> =>
  fc.oneof(
    values(n).map((v) => num(`n${i}`, v, { family: i % 2 === 0 ? 'volume' : 'event_mix' })),
    fc.array(fc.option(fc.constantFrom(0, 1), { freq: 5 }), { minLength: n, maxLength: n }).map((v) => bool(`b${i}`, v)),
    fc.array(fc.option(fc.constantFrom('a', 'b', 'c', '<i>&', 'x y'), { freq: 5 }), { minLength: n, maxLength: n }).map((v) => cat(`c${i}`, v)),
  );
const tableArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.integer({ min: 1, max: 6 }).chain((m) => fc.tuple(...Array.from({ length: m }, (_, i) => featureArb(n, i))).map((cols) => table(cols, n))),
);
const configArb = fc.record({
  scaling: fc.constantFrom('robust' as const, 'standard' as const),
  topCategories: fc.integer({ min: 1, max: 4 }),
  winsorize: fc.constantFrom([0, 1] as const, [0.05, 0.95] as const),
  nearDuplicate: fc.constantFrom(0.9, 0.98, 1),
});

function fitOrIdentical(t: ReturnType<typeof table>, over: Parameters<typeof transformConfig>[0]) {
  try {
    return fitTransform(t, transformConfig(over), createContext(1));
  } catch (e) {
    expect(e).toMatchObject({ code: 'E_IDENTICAL_USERS' });
    return null;
  }
}

describe('fitTransform: evidence and describe-only features', () => {
  const events = num('events', [1, 2, 100, 200, 3, 400], { integer: true });
  const morning = (family: Feature['family']) =>
    num('hour_morning_share', [1, 0, 0.5, 0.25, NaN, 0.75], { family, evidence: { observations: 'events', offset: 0 } });

  it('shrinks a time share toward the population mean by the events behind it', () => {
    const r = fitTransform(table([events, morning('time')]), transformConfig({ shrinkage: 4, weights: { ...transformConfig().weights, volume: 0 } }), createContext(1));
    const step = numericStep(r.model.steps[0]);
    // Prior: unweighted mean of the observed shares (a missing share has no evidence at all).
    expect(step.shrink).toEqual({ observations: 'events', offset: 0, prior: 0.5, strength: 4 });
    // Undo the scaling to read the shrunk values back.
    const raw = column(r.matrix, 0).map((v) => (v / step.weight) * step.scale + step.center);
    const expected = [(1 * 1 + 4 * 0.5) / 5, (2 * 0 + 4 * 0.5) / 6, (100 * 0.5 + 2) / 104, (200 * 0.25 + 2) / 204, 0.5, (400 * 0.75 + 2) / 404];
    raw.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('replays through the saved model, which needs the evidence feature', () => {
    const t = table([events, morning('time')]);
    const r = fitTransform(t, transformConfig({ shrinkage: 4, weights: { ...transformConfig().weights, volume: 0 } }), createContext(1));
    const again = applyTransform(JSON.parse(JSON.stringify(r.model)), t);
    expect(Buffer.from(again.data.buffer).equals(Buffer.from(r.matrix.data.buffer))).toBe(true);
    expect(() => applyTransform(r.model, table([morning('time')]))).toThrow('no numeric feature "events"');
  });

  it('leaves the event mix unshrunk and off when shrinkage is 0', () => {
    const mix = fitTransform(table([events, morning('event_mix')]), transformConfig({ shrinkage: 4 }), createContext(1));
    expect(mix.model.steps.every((s) => s.kind !== 'numeric' || s.shrink === undefined)).toBe(true);
    const off = fitTransform(table([events, morning('time')]), transformConfig({ shrinkage: 0 }), createContext(1));
    expect(off.model.steps.every((s) => s.kind !== 'numeric' || s.shrink === undefined)).toBe(true);
  });

  it('never clusters on describe-only features', () => {
    const counts = num('count__export', [0, 1, 5, 9, 2, 7], { family: 'event_mix', describeOnly: true, integer: true });
    const r = fitTransform(table([events, counts]), transformConfig(), createContext(1));
    expect(r.columnNames).toEqual(['events']);
    expect(r.model.dropped).toEqual([]);
  });

  it('shrunk values stay between the raw value and the prior (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 3, maxLength: 40 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (rows, strength) => {
          const ev = num('events', rows.map(([n]) => n), { integer: true });
          const share = num('weekend_share', rows.map(([, x]) => x), { family: 'time', evidence: { observations: 'events', offset: 0 } });
          const r = fitOrIdentical(table([ev, share]), { shrinkage: strength, log1pSkew: 1e9, weights: { ...transformConfig().weights, volume: 0 } });
          if (r === null || r.model.steps.length === 0) return;
          const step = numericStep(r.model.steps[0]);
          if (step.shrink === undefined) return;
          const prior = step.shrink.prior;
          column(r.matrix, 0).forEach((v, i) => {
            const shrunk = (v / step.weight) * step.scale + step.center;
            const [n, x] = rows[i];
            const lo = Math.min(x, prior) - 1e-9;
            const hi = Math.max(x, prior) + 1e-9;
            // Winsorising can only move a value toward the bulk; it stays within [raw, prior] ∪ bounds.
            if (shrunk > step.lower + 1e-9 && shrunk < step.upper - 1e-9) {
              expect(shrunk).toBeGreaterThanOrEqual(lo);
              expect(shrunk).toBeLessThanOrEqual(hi);
            }
            if (n === 0) expect(shrunk).toBeCloseTo(Math.min(Math.max(prior, step.lower), step.upper), 6);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('fitTransform invariants', () => {
  it('applying the model to the training table reproduces the fitted matrix exactly', () => {
    fc.assert(
      fc.property(tableArb, configArb, (t, over) => {
        const r = fitOrIdentical(t, over);
        if (r === null) return;
        const again = applyTransform(r.model, t);
        expect(again.rows).toBe(r.matrix.rows);
        expect(again.cols).toBe(r.matrix.cols);
        expect(Buffer.from(again.data.buffer).equals(Buffer.from(r.matrix.data.buffer))).toBe(true);
        expect(r.matrix.data.every(Number.isFinite)).toBe(true);
        expect(r.columnNames.length).toBe(r.matrix.cols);
        expect(new Set(r.columnNames).size).toBe(r.columnNames.length);
      }),
      { numRuns: 300 },
    );
  });

  it('never mutates its input and is deterministic', () => {
    fc.assert(
      fc.property(tableArb, configArb, (t, over) => {
        const before = snapshot(t);
        const a = fitOrIdentical(t, over);
        const b = fitOrIdentical(t, over);
        expect(snapshot(t)).toEqual(before);
        expect(a === null).toBe(b === null);
        if (a === null || b === null) return;
        expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
        expect(Buffer.from(a.matrix.data.buffer).equals(Buffer.from(b.matrix.data.buffer))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('throws identicalUsers exactly when every user has the same raw values', () => {
    fc.assert(
      fc.property(tableArb, (t) => {
        const key = (i: number) => JSON.stringify(t.columns.map((c) => (c.kind === 'categorical' ? c.values[i] : String(c.values[i]))));
        const allSame = t.userIds.every((_, i) => key(i) === key(0));
        // Missing vs present can still separate users, so only the all-identical case is certain.
        if (allSame) expect(fitOrIdentical(t, { nearDuplicate: 1 })).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
