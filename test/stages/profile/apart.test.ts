import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { warnings } from '../../../src/core/warnings.js';
import { segmentationOf } from '../../../src/stages/cluster/segmentation.js';
import { apart } from '../../../src/stages/profile/apart.js';
import type { FeatureMeaning } from '../../../src/core/meaning.js';
import { num, table } from '../transform/feature-table.js';

const EVENTS: FeatureMeaning = { kind: 'events' };
const SESSIONS: FeatureMeaning = { kind: 'sessions', gapMinutes: 30 };
const RECENCY: FeatureMeaning = { kind: 'daysSinceLastEvent' };
const WEEKEND: FeatureMeaning = { kind: 'weekendShare' };
const PLAYS: FeatureMeaning = { kind: 'eventCount', events: { type: 'event', event: 'play' } };

/** Segment 0: users 0..n-1, segment 1: users n..2n-1; `spread` wobbles every value a little. */
function twoSegments(n: number, columns: { name: string; meaning: FeatureMeaning; a: number; b: number; describeOnly?: boolean }[]) {
  const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;
  const features = table(
    columns.map((c) =>
      num(c.name, Array.from({ length: 2 * n }, (_, i) => (i < n ? c.a : c.b) + wobble(i)), { meaning: c.meaning, label: c.name, describeOnly: c.describeOnly }),
    ),
  );
  const labels = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
  return { features, segmentation: segmentationOf(features, labels, 2) };
}

describe('what sets two segments apart', () => {
  it('names the features that differ most, largest first, and says when all are stage families', () => {
    // Outside check: early churners and weekend players, apart in recency and in when they play.
    const { features, segmentation } = twoSegments(40, [
      { name: 'events', meaning: EVENTS, a: 10, b: 10.2 },
      { name: 'days since last event', meaning: RECENCY, a: 30, b: 5 },
      { name: 'share of events on weekends', meaning: WEEKEND, a: 3, b: 8 },
      { name: 'count of "play"', meaning: PLAYS, a: 0, b: 90, describeOnly: true },
    ]);
    const r = apart(features, segmentation, 0, 1, 2);
    expect(r.differences.map((d) => d.label)).toEqual(['days since last event', 'share of events on weekends']);
    expect(r.differences[0].effect).toBeGreaterThan(r.differences[1].effect);
    expect(r.byStageOnly).toBe(false);
    // Apart only in how recently and how much (sessions too, though that family also holds the
    // session shape): possibly one persona at two stages.
    const stage = twoSegments(40, [
      { name: 'events', meaning: EVENTS, a: 10, b: 14 },
      { name: 'sessions', meaning: SESSIONS, a: 3, b: 9 },
      { name: 'days since last event', meaning: RECENCY, a: 30, b: 5 },
      { name: 'share of events on weekends', meaning: WEEKEND, a: 3, b: 3.1 },
    ]);
    expect(apart(stage.features, stage.segmentation, 0, 1)).toMatchObject({ byStageOnly: true });
  });

  it('is symmetric in the two segments', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true })), { minLength: 1, maxLength: 5 }), (means) => {
        const { features, segmentation } = twoSegments(
          10,
          means.map(([a, b], i) => ({ name: `f${i}`, meaning: i % 2 ? WEEKEND : RECENCY, a, b })),
        );
        expect(apart(features, segmentation, 1, 0)).toEqual(apart(features, segmentation, 0, 1));
      }),
      { numRuns: 50 },
    );
  });

  it('words the warning by what they differ in', () => {
    const blend = warnings.noGapBetween(2, 4, 0.27, ['days since last event', 'share of events on weekends'], false).message;
    expect(blend).toContain('they differ most in days since last event and share of events on weekends, not only in how much or how recently');
    expect(blend).not.toContain('one persona at two stages');
    const stage = warnings.noGapBetween(2, 4, 0.27, ['days since last event', 'events'], true).message;
    expect(stage).toContain('so they may be one persona at two stages');
    expect(stage).toMatch(/^segments 2 and 4 have no clear gap between them .*27% of their scatter.*; compare their traits before promoting a rule for either$/);
  });
});
