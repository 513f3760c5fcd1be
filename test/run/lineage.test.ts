import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../src/core/bytes.js';
import { NO_EVENTS_KEY, transitionsOf } from '../../src/run/lineage.js';

/** The plain way: a map of each run's users, their union sorted. */
function reference(userIds: string[], labels: Int32Array, usersWithoutEvents: string[], keys: string[], assignments: Map<string, number>, prevKeys: string[]) {
  const now = new Map<string, string>();
  userIds.forEach((u, i) => now.set(u, keys[labels[i]]));
  for (const u of usersWithoutEvents) now.set(u, NO_EVENTS_KEY);
  const then = new Map<string, string>();
  for (const [u, p] of assignments) then.set(u, p < 0 ? NO_EVENTS_KEY : (prevKeys[p] ?? NO_EVENTS_KEY));
  const transitions: { userId: string; from: string; to: string }[] = [];
  const counts = new Map<string, number>();
  let sharedUsers = 0;
  let keptKey = 0;
  for (const userId of [...new Set([...then.keys(), ...now.keys()])].sort(compareUtf8)) {
    const from = then.get(userId) ?? '';
    const to = now.get(userId) ?? '';
    counts.set(`${from}\u0000${to}`, (counts.get(`${from}\u0000${to}`) ?? 0) + 1);
    if (from !== '' && from !== NO_EVENTS_KEY && to !== '' && to !== NO_EVENTS_KEY) {
      sharedUsers++;
      if (from === to) keptKey++;
    }
    if (from !== to) transitions.push({ userId, from, to });
  }
  const countList = [...counts]
    .map(([pair, users]) => ({ from: pair.split('\u0000')[0], to: pair.split('\u0000')[1], users }))
    .sort((a, b) => compareUtf8(a.from, b.from) || compareUtf8(a.to, b.to));
  return { transitions, counts: countList, sharedUsers, keptKey };
}

// Ids from a small alphabet so the runs share users; astral characters test the byte order.
const userId = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', 'é', '\uffff', '😀'), minLength: 1, maxLength: 3 });

describe('transitionsOf', () => {
  it('gives what maps of both runs and their sorted union give, whatever order the lists come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(userId, { maxLength: 40 }),
        fc.array(userId, { maxLength: 10 }),
        fc.array(fc.tuple(userId, fc.integer({ min: -1, max: 4 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (clustered, withoutEvents, previous, k, sorted) => {
          const userIds = sorted ? [...clustered].sort(compareUtf8) : clustered;
          const labels = Int32Array.from(userIds, (u) => u.length % k);
          const keys = Array.from({ length: k }, (_, j) => `seg-${j}`);
          // Previous keys: one kept, one renamed, and ids beyond them (an older run's k).
          const prevKeys = ['seg-0', 'seg-old'];
          const assignments = new Map(sorted ? [...previous].sort((a, b) => compareUtf8(a[0], b[0])) : previous);
          const got = transitionsOf({ userIds, labels, usersWithoutEvents: withoutEvents }, keys, { assignments }, prevKeys);
          expect(got).toEqual(reference(userIds, labels, withoutEvents, keys, assignments, prevKeys));
        },
      ),
    );
  });

  it('has nothing to say without a previous run', () => {
    const got = transitionsOf({ userIds: ['u1'], labels: Int32Array.from([0]), usersWithoutEvents: [] }, ['seg-a'], null, []);
    expect(got).toEqual({ transitions: [], counts: [], sharedUsers: 0, keptKey: 0 });
  });

  it('counts a user in both runs once, moved or kept, and users of one run as arriving or leaving', () => {
    const got = transitionsOf(
      { userIds: ['a', 'b', 'c'], labels: Int32Array.from([0, 1, 0]), usersWithoutEvents: ['d'] },
      ['seg-x', 'seg-y'],
      { assignments: new Map([['a', 0], ['b', 0], ['d', 1], ['e', -1]]) },
      ['seg-x', 'seg-z'],
    );
    expect(got.transitions).toEqual([
      { userId: 'b', from: 'seg-x', to: 'seg-y' },
      { userId: 'c', from: '', to: 'seg-x' },
      { userId: 'd', from: 'seg-z', to: NO_EVENTS_KEY },
      { userId: 'e', from: NO_EVENTS_KEY, to: '' },
    ]);
    expect(got.sharedUsers).toBe(2);
    expect(got.keptKey).toBe(1);
  });
});
