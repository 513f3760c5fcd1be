/** Clock skew at the end of a log (skew.ts): a tiny tail after a long empty stretch, and nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findClockSkew, SKEW_DAYS, SKEW_KEPT, SKEW_SHARE, type DayCount } from '../../../src/stages/ingest/skew.js';

const iso = (day: number, h: number) => new Date(day * 86_400_000 + h * 3_600_000).toISOString();
const day = (d: number, events: number): DayCount => ({ day: d, events, first: iso(d, 1), last: iso(d, 23) });

describe('findClockSkew', () => {
  it('finds a few events after a gap of more than 30 empty days, with where the others end', () => {
    const log = [...Array.from({ length: 60 }, (_, i) => day(19800 + i, 500)), day(20400, 3), day(20402, 2)];
    expect(findClockSkew(log, 90)).toEqual({ events: 5, first: iso(20400, 1), last: iso(20402, 23), bulkEnd: iso(19859, 23), days: 30 });
    // In any order.
    expect(findClockSkew([...log].reverse(), 90)).toEqual(findClockSkew(log, 90));
  });

  it('leaves alone: steady activity over decades, a gap of exactly 30 empty days, an outage followed by ordinary activity', () => {
    expect(findClockSkew(Array.from({ length: 3650 * 2 }, (_, i) => day(10000 + i, 3)), 90)).toBeNull();
    expect(findClockSkew([...Array.from({ length: 60 }, (_, i) => day(19800 + i, 500)), day(19859 + 31, 1)], 90)).toBeNull();
    const outage = [...Array.from({ length: 60 }, (_, i) => day(19800 + i, 500)), ...Array.from({ length: 5 }, (_, i) => day(19900 + i, 500))];
    expect(findClockSkew(outage, 90)).toBeNull();
    expect(findClockSkew([], 90)).toBeNull();
    expect(findClockSkew([day(1, 10)], 90)).toBeNull();
  });

  it('leaves alone a straggler that moves the window but keeps most of it (OULAD: one submission 35 days after a course)', () => {
    // 120 days of activity, then one event 35 days later: a 90-day window ending there still
    // holds 55 of the 90 days a window ending before the gap would.
    const course = [...Array.from({ length: 120 }, (_, i) => day(16000 + i, 200)), day(16119 + 35, 1)];
    expect(findClockSkew(course, 90)).toBeNull();
    // The whole log (window.days: all): a window anywhere keeps everything.
    const skewed = [...Array.from({ length: 60 }, (_, i) => day(19800 + i, 500)), day(20400, 3)];
    expect(findClockSkew(skewed, 50_000)).toBeNull();
    expect(findClockSkew(skewed, 90)).not.toBeNull();
  });

  it('names every skewed event when they sit at two dates, and suggests where the real log ends', () => {
    const log = [...Array.from({ length: 60 }, (_, i) => day(19800 + i, 500)), day(20200, 4), day(20600, 2)];
    expect(findClockSkew(log, 90)).toEqual({ events: 6, first: iso(20200, 1), last: iso(20600, 23), bulkEnd: iso(19859, 23), days: 30 });
  });

  it('whatever the days: a finding is the tail after the earliest gap of more than 30 empty days that under 1% of events follow, when the window would lose half', () => {
    const days = fc.uniqueArray(fc.record({ day: fc.integer({ min: 0, max: 400 }), events: fc.integer({ min: 1, max: 1000 }) }), { selector: (d) => d.day, minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(days, (raw) => {
        const log = raw.map((d) => day(d.day, d.events));
        const found = findClockSkew(log, 90);
        const sorted = [...log].sort((a, b) => a.day - b.day);
        const total = sorted.reduce((n, d) => n + d.events, 0);
        // The qualifying gaps: a gap before index i with the tail from i under the share.
        const gaps = sorted
          .map((_, i) => ({ i, tail: sorted.slice(i).reduce((n, x) => n + x.events, 0) }))
          .filter(({ i, tail }) => i > 0 && sorted[i].day - sorted[i - 1].day - 1 > SKEW_DAYS && tail < SKEW_SHARE * total);
        const held = (end: number) => sorted.filter((d) => d.day <= end && d.day > end - 90).reduce((n, d) => n + d.events, 0);
        const matters = gaps.length > 0 && held(sorted.at(-1)!.day) < SKEW_KEPT * held(sorted[gaps[0].i - 1].day);
        if (!matters) {
          expect(found).toBeNull();
          return;
        }
        const earliest = gaps[0];
        expect(found).toEqual({ events: earliest.tail, first: sorted[earliest.i].first, last: sorted.at(-1)!.last, bulkEnd: sorted[earliest.i - 1].last, days: SKEW_DAYS });
      }),
      { numRuns: 500 },
    );
  });
});
