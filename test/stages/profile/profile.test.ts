import { segmentationOf } from '../../../src/stages/cluster/segmentation.js';
import { describe, expect, it } from 'vitest';
import { profileSegments } from '../../../src/stages/profile/index.js';
import { cat, num, snapshot, table } from '../transform/feature-table.js';
import { storyTable } from './story.js';

describe('profileSegments on planted segments', () => {
  const { features, labels } = storyTable();
  const profiles = profileSegments(features, segmentationOf(features, labels, 4), { traits: 5 });

  it('names each segment from its dominant traits', () => {
    expect(profiles.map((p) => p.name)).toEqual([
      'Lapsed report viewers',
      'Night-time API users',
      'New dashboard creators',
      'Light recently active users',
    ]);
  });

  it('describes each segment in one sentence', () => {
    expect(profiles[0].description).toBe(
      '50 users (25%) who mostly view reports and rarely call the API, last active 55 days ago on average.',
    );
    expect(profiles[1].description).toBe(
      '50 users (25%) who mostly call the API and rarely create dashboards, with 64% of events at night (vs 20% for the average user).',
    );
    expect(profiles[2].description).toBe('50 users (25%) who mostly create dashboards and rarely call the API, first seen 5.2 days ago on average.');
    expect(profiles[3].description).toBe('50 users (25%) with 9.4× fewer events (10 vs 94 per user), last active 2.4 days ago on average.');
    for (const p of profiles) expect(p.description).toMatch(/^[^\n]+\.$/);
  });

  it('lists over- and under-indexed events, strongest first', () => {
    expect(profiles.map((p) => [p.overIndexedEvents, p.underIndexedEvents])).toEqual([
      [['report_viewed'], ['dashboard_created', 'api_call']],
      [['api_call'], ['login', 'report_viewed', 'dashboard_created']],
      [['dashboard_created'], ['api_call']],
      [[], []],
    ]);
  });

  it('lists config.traits traits, strongest first, one per event (count and share are one trait)', () => {
    for (const p of profiles) {
      expect(p.traits).toHaveLength(5);
      const s = p.traits.map((t) => t.strength ?? 0);
      expect(s).toEqual([...s].sort((a, b) => b - a));
      const events = p.traits.map((t) => t.feature.replace(/^(count|share)__/, '')).filter((f) => f !== 'events');
      expect(new Set(events).size).toBe(events.length);
    }
    expect(profiles[0].traits.slice(0, 2).map((t) => t.phrase)).toEqual([
      'last active 55 days ago (vs 15)',
      '58% of events are report_viewed (vs 28% for the average user)',
    ]);
    expect(profiles[1].traits.map((t) => t.phrase)).toContain('3.0× more events (286 vs 94 per user)');
  });

  it('lists at least 3 traits even when config.traits is smaller', () => {
    const few = profileSegments(features, segmentationOf(features, labels, 4), { traits: 1 });
    for (const p of few) expect(p.traits).toHaveLength(3);
  });
});

describe('profileSegments: traits, names and edge cases', () => {
  const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);

  it('never lists the "other" event bucket or a repeat of one event while others remain', () => {
    const t = table([
      num('share__other', [0.9, 0.9, 0.8, 0.9, 0.1, 0.1, 0.2, 0.1], { meaning: { kind: 'eventShare', events: { type: 'other', except: ['a'] } } }),
      num('count__a', [9, 9, 8, 9, 1, 1, 2, 1], { meaning: { kind: 'eventCount', events: { type: 'event', event: 'a' } }, integer: true }),
      num('share__a', [0.1, 0.1, 0.2, 0.1, 0.9, 0.9, 0.8, 0.9], { meaning: { kind: 'eventShare', events: { type: 'event', event: 'a' } } }),
      num('x', [1, 2, 3, 4, 2, 3, 4, 5]),
      num('y', [3, 1, 2, 4, 4, 2, 1, 3]),
    ]);
    const p = profileSegments(t, segmentationOf(t, labels, 2), { traits: 3 });
    expect(p[0].traits.map((x) => x.feature)).toEqual(['count__a', 'x', 'y']);
    // With only three features, the minimum of three pulls skipped ones back in.
    const q = profileSegments(table(t.columns.slice(0, 3)), segmentationOf(table(t.columns.slice(0, 3)), labels, 2), { traits: 3 });
    expect(q[0].traits.map((x) => x.feature).sort()).toEqual(['count__a', 'share__a', 'share__other']);
  });

  it('makes names unique: identical segments get the next distinguishing trait, then a number', () => {
    const t = table([num('events', [5, 5, 5, 5, 5, 5, 1, 1, 1], { meaning: { kind: 'events' } })]);
    const p = profileSegments(t, segmentationOf(t, Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]), 3), { traits: 3 });
    expect(p.map((s) => s.name)).toEqual(['Heavy users', 'Heavy users 2', 'Light users']);
  });

  it('breaks a name collision with a qualifier the other segment does not share', () => {
    const rep = (a: number[][]) => a.flat();
    const t = table([
      num('share__chart_edited', rep([[0.6, 0.62, 0.58, 0.6], [0.6, 0.61, 0.59, 0.6], [0.05, 0.04, 0.06, 0.05], [0.05, 0.06, 0.04, 0.05]]), {
        meaning: { kind: 'eventShare', events: { type: 'event', event: 'chart_edited' } },
      }),
      num('distinct_event_types', rep([[18, 19, 20, 18], [18, 20, 19, 19], [5, 6, 5, 6], [6, 5, 6, 5]]), { meaning: { kind: 'distinctEventTypes' }, integer: true }),
      num('avg_session_minutes', rep([[2, 3, 2, 3], [30, 31, 29, 30], [10, 11, 10, 11], [12, 11, 12, 11]]), {
        meaning: { kind: 'sessionMinutes', gapMinutes: 30 },
      }),
    ]);
    const p = profileSegments(t, segmentationOf(t, Int32Array.from({ length: 16 }, (_, i) => Math.floor(i / 4)), 4), { traits: 3 });
    // Segments 2 and 3 only differ by noise: same words, so a number tells them apart. Their
    // members use 5-6 event types: fewer than everyone else, but not one.
    expect(p.map((s) => s.name)).toEqual(['Short-session chart editors', 'Long-session chart editors', 'Few-feature users', 'Few-feature users 2']);
    expect(p[1].description).toBe(
      '4 users (25%) who mostly edit charts, with 2.2× higher average session length (30 vs 13.6 minutes), and with 1.6× more distinct event types (19 vs 12 per user).',
    );
  });

  it('compares a share of events with the average user\'s share, and says so', () => {
    // Four heavy users put 95% of 100 events each into api_call, four light ones 5% of 10: api_call
    // is 87% of all events (382 of 440) and 5% of everyone else's, but 50% for the average user.
    const t = table([
      num('share__api_call', [0.94, 0.95, 0.96, 0.95, 0.04, 0.05, 0.06, 0.05], { meaning: { kind: 'eventShare', events: { type: 'event', event: 'api_call' } } }),
      num('events', [100, 100, 100, 100, 10, 10, 10, 10], { meaning: { kind: 'events' }, integer: true }),
      num('x', [1, 2, 3, 4, 2, 3, 4, 5]),
    ]);
    const p = profileSegments(t, segmentationOf(t, labels, 2), { traits: 3 });
    const trait = p[0].traits.find((x) => x.feature === 'share__api_call');
    expect(trait?.populationValue).toBeCloseTo(0.5, 12);
    expect(trait?.phrase).toBe('95% of events are api_call (vs 50% for the average user)');
  });

  it('says so when nothing stands out, and handles k = 1', () => {
    const t = table([num('x', [1, 2, 1, 2, 1, 2, 1, 2])]);
    const p = profileSegments(t, segmentationOf(t, labels, 2), { traits: 3 });
    expect(p.map((s) => s.name)).toEqual(['Typical users', 'Typical users 2']);
    // Two segments that read the same are told apart by name: descriptions are unique within a run.
    expect(p.map((s) => s.description)).toEqual([
      '4 users (50%) with no strongly distinguishing behaviour (“Typical users”).',
      '4 users (50%) with no strongly distinguishing behaviour (“Typical users 2”).',
    ]);
    const one = profileSegments(t, segmentationOf(t, new Int32Array(8), 1), { traits: 3 });
    expect(one[0]).toMatchObject({ name: 'All users', description: '8 users (100%): every user.', size: 8, share: 1 });
  });

  it('passes HTML-hostile values through as data, but keeps names and phrases on one line', () => {
    const evil = '<script>\nalert("x")</script>';
    const t = table([
      cat('plan', [evil, evil, evil, evil, 'free', 'free', 'free', 'free'], { meaning: { kind: 'attribute', source: 'users', column: 'plan <b>', type: 'category' } }),
      num('x', [1, 2, 3, 4, 2, 3, 4, 5]),
      num('y', [3, 1, 2, 4, 4, 2, 1, 3]),
    ]);
    const p = profileSegments(t, segmentationOf(t, labels, 2), { traits: 3 });
    const trait = p[0].traits.find((x) => x.category !== undefined && x.direction === 'over');
    expect(trait?.category).toBe(evil);
    expect(trait?.phrase).toBe('plan <b> = <script> alert("x")</script>: 100% (vs 50%)');
    // Data words are clipped to 24 characters in names.
    expect(p[0].name).toBe('<script> alert("x")</sc… light users');
    for (const s of p) {
      expect(s.name).not.toMatch(/[\n\r]/);
      expect(s.description).not.toMatch(/[\n\r]/);
    }
  });

  it('rejects labels that do not fit', () => {
    const t = table([num('x', [1, 2])]);
    expect(() => profileSegments(t, segmentationOf(t, Int32Array.from([0]), 1), { traits: 3 })).toThrow(/1 labels for 2 users/);
    expect(() => profileSegments(t, segmentationOf(t, Int32Array.from([0, 2]), 2), { traits: 3 })).toThrow(/outside 0..1/);
  });

  it('does not mutate its input', () => {
    const { features, labels: l } = storyTable(10);
    const before = snapshot(features);
    const labelsBefore = Array.from(l);
    profileSegments(features, segmentationOf(features, l, 4), { traits: 5 });
    expect(snapshot(features)).toEqual(before);
    expect(Array.from(l)).toEqual(labelsBefore);
  });
});

describe('"rarely" in descriptions', () => {
  it('is said of an event the other segments typically do, not of one a single other segment does', () => {
    // QA: "… and rarely call the API" closed four of five descriptions; one segment made every call.
    const wobble = (x: number) => Array.from({ length: 10 }, (_, i) => x * (1 + (i % 3) * 0.01));
    const share = (event: string, xs: number[]) =>
      num(`share__${event}`, xs.flatMap(wobble), { meaning: { kind: 'eventShare', events: { type: 'event', event } } });
    const features = table([
      share('api_call', [0.002, 0.002, 0.002, 0.6]),
      share('report_viewed', [0.05, 0.4, 0.45, 0.1]),
      share('comment_added', [0.5, 0.3, 0.25, 0.1]),
      share('dashboard_created', [0.448, 0.298, 0.298, 0.2]),
    ]);
    const labels = Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 10));
    const [few, plain] = profileSegments(features, segmentationOf(features, labels, 4), { traits: 3 });
    expect(few.underIndexedEvents).toContain('api_call');
    expect(few.description).toContain('rarely view reports');
    expect(plain.underIndexedEvents).toContain('api_call');
    expect(plain.description).not.toContain('rarely');
  });
});
