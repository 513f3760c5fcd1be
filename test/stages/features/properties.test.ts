import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { buildFeatures, type BuildFeaturesOptions, type FeatureTable } from '../../../src/stages/features/index.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { makeConfig, useDbAndDir } from '../ingest/helpers.js';
import { BY_USER_ID, type SessionKey } from '../../../src/stages/features/behaviour.js';

let db: Db;
let dir: string;
useDbAndDir('file', { db: (d) => (db = d), dir: (d) => (dir = d) });

interface Ev {
  readonly user: string;
  readonly event: string;
  /**
   * Minutes after 2024-05-01T00:00Z: a few days, clustered in one-hour bursts at different
   * hours, in steps of 10 minutes so gaps of exactly 30 minutes and ties happen often.
   */
  readonly minute: number;
}

const BASE = Date.UTC(2024, 4, 1);
const arbEvent = fc.record({
  user: fc.constantFrom('u0', 'u1', 'u2'),
  event: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  minute: fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 11, 22), fc.integer({ min: 0, max: 6 }))
    .map(([day, hour, step]) => day * 1440 + hour * 60 + step * 10),
});

let fileNo = 0;
async function features(events: readonly Ev[], options: BuildFeaturesOptions = {}): Promise<FeatureTable> {
  const file = path.join(dir, `p${fileNo++}.csv`);
  const lines = events.map((e) => `${e.user},${e.event},${new Date(BASE + e.minute * 60_000).toISOString()}`);
  await writeFile(file, ['user_id,event,timestamp', ...lines].join('\n') + '\n');
  const config = makeConfig([file], { window: { days: 365 }, features: { topEvents: 3 } });
  const ctx = createContext(1);
  return buildFeatures(db, await ingest(db, config, ctx), config, ctx, options);
}

/** The same features computed independently in JavaScript, per user. */
function reference(events: readonly Ev[]) {
  const end = Math.max(...events.map((e) => e.minute));
  const byUser = new Map<string, Ev[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const users = [...byUser.keys()].sort();
  return {
    users,
    rows: users.map((u) => {
      const evs = byUser.get(u)!;
      const ms = evs.map((e) => e.minute).sort((a, b) => a - b);
      let sessions = 1;
      for (let i = 1; i < ms.length; i++) if (ms[i] - ms[i - 1] > 30) sessions++;
      const days = new Set(ms.map((m) => Math.floor(m / 1440))).size;
      const sinceLast = Math.floor((end - ms[ms.length - 1]) / 1440);
      const sinceFirst = Math.floor((end - ms[0]) / 1440);
      const meanGap = days > 1 ? (Math.floor(ms[ms.length - 1] / 1440) - Math.floor(ms[0] / 1440)) / (days - 1) : sinceFirst + 1;
      return {
        events: evs.length,
        sessions,
        active_days: new Set(ms.map((m) => Math.floor(m / 1440))).size,
        distinct_event_types: new Set(evs.map((e) => e.event)).size,
        days_since_last_event: Math.floor((end - ms[ms.length - 1]) / 1440),
        days_since_first_event: Math.floor((end - ms[0]) / 1440),
        recency_in_usual_gaps: sinceLast / Math.max(1, meanGap),
      };
    }),
  };
}

const get = (t: FeatureTable, name: string) => Array.from(t.columns.find((c) => c.name === name)!.values as Float64Array);

describe('feature invariants on random events', () => {
  it('match a JavaScript reference, shares sum to 1, and row order does not matter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbEvent, { minLength: 1, maxLength: 60, size: 'large' }).chain((evs) =>
          fc.tuple(fc.constant(evs), fc.shuffledSubarray(evs, { minLength: evs.length, maxLength: evs.length })),
        ),
        async ([events, shuffled]) => {
          const table = await features(events);
          const ref = reference(events);
          expect(table.userIds).toEqual(ref.users);
          for (const key of Object.keys(ref.rows[0]) as (keyof (typeof ref.rows)[0])[]) {
            expect(get(table, key), key).toEqual(ref.rows.map((r) => r[key]));
          }
          const sumOf = (names: string[]) =>
            table.userIds.map((_, i) => names.reduce((s, n) => s + get(table, n)[i], 0));
          const hours = ['hour_night_share', 'hour_morning_share', 'hour_afternoon_share', 'hour_evening_share'];
          for (const s of sumOf(hours)) expect(s).toBeCloseTo(1, 12);
          const shares = table.columns.filter((c) => c.name.startsWith('share__')).map((c) => c.name);
          for (const s of sumOf(shares)) expect(s).toBeCloseTo(1, 12);
          for (const [i, n] of get(table, 'events').entries()) {
            expect(get(table, 'sessions')[i]).toBeLessThanOrEqual(n);
            expect(get(table, 'active_day_share')[i]).toBeGreaterThan(0);
            expect(get(table, 'active_day_share')[i]).toBeLessThanOrEqual(1);
          }
          expect(await features(shuffled)).toEqual(table);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('the session pass keyed by a hash of the user id', () => {
  // Every id here is two characters long: a key of the id's length makes all users collide.
  const everyoneAlike = (mayCollide: boolean): SessionKey => ({ of: (userId) => `length(${userId})`, mayCollide });
  const twoUsers = fc.array(arbEvent, { minLength: 2, maxLength: 40 }).filter((evs) => new Set(evs.map((e) => e.user)).size >= 2);

  it('is built again by user id when two users share a key', async () => {
    await fc.assert(
      fc.asyncProperty(twoUsers, async (events) => {
        const exact = await features(events, { sessionKey: BY_USER_ID });
        expect(await features(events)).toEqual(exact);
        expect(await features(events, { sessionKey: everyoneAlike(true) })).toEqual(exact);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('mixes users up when shared keys go unchecked (what the check is for)', async () => {
    const events: Ev[] = [
      { user: 'u0', event: 'a', minute: 0 },
      { user: 'u1', event: 'a', minute: 1440 },
    ];
    const unchecked = await features(events, { sessionKey: everyoneAlike(false) });
    // Both users get the session row of the pair: one session each becomes two days each.
    expect(get(unchecked, 'active_days')).toEqual([2, 2]);
    expect(get(await features(events), 'active_days')).toEqual([1, 1]);
  });
});
