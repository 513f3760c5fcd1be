import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('file', { db: (d) => (db = d), dir: (d) => (dir = d) });

/** A row of the log: a user (or a missing id, rejected), and a day of May 2024. */
interface Row {
  readonly user: string;
  readonly day: number;
}

const WINDOW_END_DAY = 20;
const WINDOW_DAYS = 7;

describe('judge: the accounting of event rows', () => {
  it('counts used, out-of-window and rejected rows, and the users seen only outside the window', async () => {
    let fileNo = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ user: fc.constantFrom('a', 'b', 'c', 'd', 'NA'), day: fc.integer({ min: 1, max: 28 }) }), { minLength: 1, maxLength: 40 }),
        async (rows: Row[]) => {
          const file = path.join(dir, `j${fileNo++}.csv`);
          const lines = rows.map((r, i) => `${r.user},e${i % 3},2024-05-${String(r.day).padStart(2, '0')}T12:00:00Z`);
          await writeFile(file, ['user_id,event,timestamp', ...lines].join('\n') + '\n');
          const config = makeConfig([file], { window: { days: WINDOW_DAYS, end: `2024-05-${WINDOW_END_DAY}` }, maxRejectRate: 1 });
          const [acc] = (await ingest(db, config, createContext(1))).accounting;

          const valid = rows.filter((r) => r.user !== 'NA');
          const inside = (r: Row) => r.day > WINDOW_END_DAY - WINDOW_DAYS && r.day <= WINDOW_END_DAY;
          const usersInside = new Set(valid.filter(inside).map((r) => r.user));
          // Left out: none inside, some before (rows after the window's end are the as-of future).
          const usersOutside = new Set(valid.filter((r) => !usersInside.has(r.user) && r.day <= WINDOW_END_DAY - WINDOW_DAYS).map((r) => r.user));
          expect(acc).toMatchObject({ read: rows.length, used: valid.filter(inside).length, outOfWindow: valid.filter((r) => !inside(r)).length });
          expect(acc.rejected).toBe(rows.length - valid.length);
          expect(acc.usersOutOfWindow ?? 0).toBe(usersOutside.size);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});
