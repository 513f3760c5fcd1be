import { describe, expect, it } from 'vitest';
import { segmentationOf } from '../../../src/stages/cluster/segmentation.js';
import type { Feature } from '../../../src/stages/features/types.js';
import { profileSegments } from '../../../src/stages/profile/index.js';
import { cat, num, table } from '../transform/feature-table.js';

/** Names of two segments of four users each (users 0–3, 4–7). */
function namesOf(...columns: Feature[]): string[] {
  const t = table(columns);
  const labels = Int32Array.from({ length: 8 }, (_, i) => (i < 4 ? 0 : 1));
  return profileSegments(t, segmentationOf(t, labels, 2), { traits: 3 }).map((p) => p.name);
}

const types = (values: number[]) => num('distinct_event_types', values, { meaning: { kind: 'distinctEventTypes' }, integer: true });

describe('segment names: words picked by direction must be true of the segment', () => {
  it('calls a segment single-feature only when most of its members use one event type', () => {
    // QA (mixpanel): every member used 2 event types, everyone else 3, and it was "Single-feature".
    expect(namesOf(types([2, 2, 2, 2, 3, 3, 3, 3]))).toEqual(['Few-feature users', 'Multi-feature users']);
    expect(namesOf(types([1, 1, 1, 2, 5, 4, 5, 4]))).toEqual(['Single-feature users', 'Multi-feature users']);
  });

  it('gives no word for a difference its trait calls slight, however large the effect', () => {
    // QA (time data, k = 9): 3.71 vs 3.86 distinct event types (effect -0.4) named "single-feature",
    // 3.99 vs 3.85 "multi-feature". Here 3.75 vs 4 is an effect of -0.7 and "slightly fewer".
    const t = table([types([3, 4, 4, 4, 4, 4, 4, 4])]);
    const p = profileSegments(t, segmentationOf(t, Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2), { traits: 3 });
    expect(p[0].traits[0]).toMatchObject({ phrase: 'slightly fewer distinct event types (3.8 vs 3.9 per user)' });
    expect(p[0].traits[0].strength).toBeGreaterThan(0.5);
    expect(p.map((s) => s.name).join(' ')).not.toMatch(/feature/i);
  });

  it('calls a segment weekend or night-time users only when most of their events are', () => {
    const weekend = num('weekend_share', [0.36, 0.37, 0.35, 0.36, 0.25, 0.24, 0.26, 0.25], { meaning: { kind: 'weekendShare' } });
    expect(namesOf(weekend)).toEqual(['Users with high share of events on week…', 'Weekday users']);
    const night = num('night_share', [0.3, 0.31, 0.29, 0.3, 0.08, 0.07, 0.09, 0.08], { meaning: { kind: 'hourShare', band: 'night' } });
    expect(namesOf(night)[0]).not.toMatch(/night-time/i);
    const mostly = num('night_share', [0.6, 0.61, 0.59, 0.6, 0.08, 0.07, 0.09, 0.08], { meaning: { kind: 'hourShare', band: 'night' } });
    expect(namesOf(mostly)[0]).toBe('Night-time users');
  });
});

describe('segment names: growing and declining', () => {
  const recent = (values: number[]) => num('trend_recent_share', values, { meaning: { kind: 'recentShare', days: 30 } });
  const tenure = (values: number[]) => num('days_since_first_event', values, { meaning: { kind: 'daysSinceFirstEvent' }, integer: true });

  it('does not call steady users declining because newer users lift everyone else', () => {
    // QA (timeofday): steady commuters over a 75-day log had 40% of their events in the last 30
    // days, what steady use gives; the newer users beside them had 80%. "Weekday declining users".
    const steady = [0.4, 0.41, 0.39, 0.4];
    const newer = [0.8, 0.79, 0.81, 0.8];
    const names = namesOf(recent([...steady, ...newer]), tenure([74, 74, 73, 74, 35, 36, 34, 35]));
    expect(names[0]).not.toMatch(/declining/i);
    expect(names[1]).not.toMatch(/growing/i);
  });

  it('calls users declining when their recent share falls short of steady use since they began', () => {
    // Same tenure, a quarter of their events in the last 30 of 75 days where steady use gives 40%.
    const names = namesOf(recent([0.15, 0.16, 0.14, 0.15, 0.55, 0.56, 0.54, 0.55]), tenure([74, 74, 73, 74, 74, 73, 74, 74]));
    expect(names).toEqual(['Declining users', 'Growing users']);
  });

  it('keeps the words by comparison with everyone when tenure is not a feature', () => {
    expect(namesOf(recent([0.15, 0.16, 0.14, 0.15, 0.55, 0.56, 0.54, 0.55]))).toEqual(['Declining users', 'Growing users']);
  });
});

describe('segment names: a category the segment leans to', () => {
  /** Names of two segments of ten users each, told apart by company size only. */
  const names = (first: string[], second: string[]) => {
    const size = cat('attr_company_size', [...first, ...second], { meaning: { kind: 'attribute', source: 'users', column: 'company_size', type: 'category' } });
    const t = table([size]);
    return profileSegments(t, segmentationOf(t, Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1)), 2), { traits: 3 }).map((p) => p.name);
  };
  const times = (value: string, n: number) => new Array<string>(n).fill(value);

  it('says "-leaning" only of the value most common in the segment', () => {
    // QA: "Pro 51-200-leaning users", most of whom were 11-50.
    expect(names([...times('11-50', 6), ...times('51-200', 4)], times('11-50', 10))[0]).not.toMatch(/leaning/);
    expect(names([...times('51-200', 4), ...times('11-50', 3), ...times('1-10', 3)], [...times('11-50', 7), ...times('1-10', 3)])[0]).toBe('51-200-leaning users');
  });
});

describe('segment names: collisions', () => {
  // Three segments of four users: 0 mostly at weekends and fairly occasional, 1 very occasional and
  // at weekends, 2 frequent and on weekdays. 1 searches in 28% of its events, 0 in 16%.
  const noise = (x: number) => [x - 0.01, x, x + 0.01, x];
  const weekend = num('weekend_share', [...noise(0.9), ...noise(0.7), ...noise(0.1)], { meaning: { kind: 'weekendShare' } });
  const active = num('active_day_share', [...noise(0.25), ...noise(0.1), ...noise(0.8)], { meaning: { kind: 'activeDayShare' } });
  const share = (event: string, values: number[]) => num(`share__${event}`, values, { meaning: { kind: 'eventShare', events: { type: 'event', event } } });
  const search = share('search', [...noise(0.16), ...noise(0.28), ...noise(0.2)]);
  const play = share('play', [...noise(0.66), ...noise(0.51), ...noise(0.6)]);
  const labels = Int32Array.from({ length: 12 }, (_, i) => Math.floor(i / 4));
  const names = (...columns: Feature[]) => {
    const t = table(columns);
    return profileSegments(t, segmentationOf(t, labels, 3), { traits: 3 }).map((p) => p.name);
  };

  it('treats the same words in another order as the same name', () => {
    // QA (time data, k = 9): "Occasional weekend users" and "Weekend occasional users".
    expect(names(weekend, active)).toEqual(['Weekend occasional users', 'Weekend occasional users 2', 'Frequent weekday users']);
  });

  it('tells colliding segments apart by an event one of them does much more of', () => {
    // Search: 28% vs 16% of events (1.75×); play, 66% vs 51%, is under the 1.5× bar for a noun.
    expect(names(weekend, active, search, play)).toEqual(['Weekend occasional users', 'Weekend occasional searchers', 'Frequent weekday users']);
  });
});

describe('segment names: what the outside check read wrong', () => {
  const noise = (x: number) => [x - 0.001, x, x + 0.001, x];
  const share = (event: string, values: number[]) => num(`share__${event}`, values, { meaning: { kind: 'eventShare', events: { type: 'event', event } } });
  const profiles = (...columns: Feature[]) => {
    const t = table(columns);
    return profileSegments(t, segmentationOf(t, Int32Array.from({ length: 8 }, (_, i) => (i < 4 ? 0 : 1)), 2), { traits: 3 });
  };

  it('names a segment after an event only when the event is a fair share of what its members do', () => {
    // QA: a segment doing each of forty rare events ten times as often (3% of its events each)
    // was named after whichever came first, "Lapsed exp 00 users".
    const rare = ['exp_00', 'exp_01', 'exp_02'].map((e) => share(e, [...noise(0.03), ...noise(0.003)]));
    // No event noun: the fallback states its strongest trait as a trait.
    expect(profiles(...rare)[0].name).toBe('Users with high share of "exp_00"');
    const common = share('export_pdf', [...noise(0.09), ...noise(0.02)]);
    expect(profiles(common, ...rare)[0].name).toBe('PDF exporters');
  });

  it('does not call many short sessions heavy use when members do fewer events than everyone', () => {
    // QA: "Heavy frequent users" did 115 events each against everyone's 125.
    const sessions = num('sessions', [36, 37, 35, 36, 14, 15, 13, 16], { meaning: { kind: 'sessions', gapMinutes: 30 }, integer: true });
    const fewer = num('events', [110, 115, 120, 115, 130, 135, 125, 140], { meaning: { kind: 'events' }, integer: true });
    expect(profiles(sessions, fewer)[0].name).not.toMatch(/heavy/i);
    const more = num('events', [300, 310, 290, 305, 130, 135, 125, 140], { meaning: { kind: 'events' }, integer: true });
    expect(profiles(sessions, more)[0].name).toMatch(/^Heavy/);
  });

  it('says frequent or occasional only when the share of days active and the gaps between them agree', () => {
    // QA: "Lapsed frequent users" were active on 6% of days against everyone's 11%; only their
    // gaps, during a brief spell, were short.
    const gaps = num('mean_days_between_active_days', [2, 2.1, 1.9, 2, 6, 6.2, 5.8, 6], { meaning: { kind: 'daysBetweenActiveDays' } });
    const fewDays = num('active_day_share', [0.06, 0.05, 0.07, 0.06, 0.11, 0.12, 0.1, 0.11], { meaning: { kind: 'activeDayShare' } });
    expect(profiles(gaps, fewDays)[0].name).not.toMatch(/frequent|occasional/i);
    const manyDays = num('active_day_share', [0.3, 0.31, 0.29, 0.3, 0.11, 0.12, 0.1, 0.11], { meaning: { kind: 'activeDayShare' } });
    expect(profiles(gaps, manyDays)[0].name).toBe('Frequent users');
    expect(profiles(gaps)[0].name).toBe('Frequent users');
  });

  it('lists the trait behind every word of the name among the segment\'s traits', () => {
    // QA: "Lapsed …" with six event shares listed and no word about recency.
    const events = ['a_one', 'b_two', 'c_three', 'd_four'].map((e, i) => share(e, [...noise(0.2 + i * 0.01), ...noise(0.02)]));
    const lapsed = num('days_since_last_event', [20, 22, 21, 19, 4, 6, 5, 5], { meaning: { kind: 'daysSinceLastEvent' }, integer: true });
    const [first] = profiles(...events, lapsed);
    expect(first.name).toMatch(/^Lapsed/);
    expect(first.traits.map((t) => t.feature)).toContain('days_since_last_event');
    expect(first.traits).toHaveLength(3);
  });
});

describe('segment names: peak days', () => {
  const noise = (x: number) => [x - 0.01, x, x + 0.01, x];
  const peak = (a: number, b: number) => num('peak_day_share', [...noise(a), ...noise(b)], { meaning: { kind: 'peakDayShare' } });
  // The first segment applies coupons in 6% of its events, the second in 1%.
  const coupons = num('share__coupon_applied', [...noise(0.06), ...noise(0.01)], { meaning: { kind: 'eventShare', events: { type: 'event', event: 'coupon_applied' } } });

  it('says "peak-day" of a segment with a good part of its events on peak days, well over everyone\'s', () => {
    expect(namesOf(peak(0.55, 0.07), coupons)[0]).toMatch(/^Peak-day coupon/);
  });

  it('says nothing of a share that is more than everyone\'s but still small', () => {
    // 20% against 5%: four times as much, but most of the segment's use is on ordinary days.
    expect(namesOf(peak(0.2, 0.05), coupons)[0]).not.toMatch(/peak/i);
  });
});

describe('segment names: frequency of users too new to have a habit', () => {
  const noise = (x: number) => [x - 0.01, x, x + 0.01, x];
  const active = num('active_day_share', [...noise(0.7), ...noise(0.2)], { meaning: { kind: 'activeDayShare' } });
  const tenure = (first: number, second: number) => num('days_since_first_event', [...noise(first), ...noise(second)], { meaning: { kind: 'daysSinceFirstEvent' }, integer: true });

  it('says "frequent" of members seen for weeks, not of members seen for days', () => {
    // Outside check: "New frequent users" had fewer events and active days than the average user.
    expect(namesOf(active, tenure(40, 60))[0]).toMatch(/frequent/i);
    expect(namesOf(active, tenure(5, 60))[0]).not.toMatch(/frequent/i);
  });
});
