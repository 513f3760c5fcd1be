/** Latest user/account properties from canonical rows: exact small cases and a JS reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../../src/core/sql.js';
import { latestAccountProperties, latestUserAccounts, latestUserProperties } from '../../../../src/stages/ingest/presets/index.js';
import { withDb } from './helpers.js';

interface PropRow {
  user: string | null;
  /** Seconds after 2024-05-01T00:00:00Z, or null for an unparseable timestamp. */
  t: number | null;
  file: number;
  line: number;
  set?: Record<string, unknown> | null;
  once?: Record<string, unknown> | null;
  account?: string | null;
  accountProps?: Record<string, unknown> | null;
}

const lit = (v: unknown) => (v === null || v === undefined ? 'NULL' : `${quoteLiteral(JSON.stringify(v))}::JSON`);

/** A table with the canonical columns these functions read, rows inserted in the given order. */
async function canonical(db: Db, rows: readonly PropRow[], name = 'canon'): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE ${name} (user_id VARCHAR, ts TIMESTAMP, file_idx INTEGER, line BIGINT, user_props JSON, ` +
      `user_props_once JSON, account_id VARCHAR, account_props JSON)`,
  );
  for (const r of rows) {
    const ts = r.t === null ? 'NULL' : `TIMESTAMP '2024-05-01' + to_seconds(${r.t})`;
    await db.run(
      `INSERT INTO ${name} VALUES (${r.user === null ? 'NULL' : quoteLiteral(r.user)}, ${ts}, ${r.file}, ${r.line}, ` +
        `${lit(r.set)}, ${lit(r.once)}, ${r.account ? quoteLiteral(r.account) : 'NULL'}, ${lit(r.accountProps)})`,
    );
  }
}

describe('latestUserProperties', () => {
  it('takes the latest value by time, then file order; nulls never erase a value', async () => {
    await withDb(async (db) => {
      await canonical(db, [
        { user: 'u1', t: 10, file: 0, line: 1, set: { plan: 'free', seats: 3, beta: true } },
        { user: 'u1', t: 30, file: 0, line: 2, set: { plan: 'pro', seats: null } },
        { user: 'u1', t: 20, file: 0, line: 3, set: { plan: 'team' } }, // later in the file, earlier in time
        { user: 'u2', t: 5, file: 1, line: 1, set: { plan: 'a' } },
        { user: 'u2', t: 5, file: 0, line: 9, set: { plan: 'b' } }, // same time: file 1 comes later
        { user: 'u3', t: 5, file: 0, line: 1, set: { address: { city: 'Berlin' }, tags: ['x', 'y'] } },
        { user: 'u4', t: null, file: 0, line: 4, set: { plan: 'ignored: no timestamp' } },
        { user: null, t: 1, file: 0, line: 5, set: { plan: 'ignored: no user' } },
      ]);
      const out = await latestUserProperties(db, 'canon', 'props');
      expect(out).toEqual({
        table: 'props',
        key: 'user_id',
        columns: ['address', 'beta', 'plan', 'seats', 'tags'].map((k) => ({ column: k, key: k })),
        rows: 3,
      });
      expect(await db.all('SELECT * FROM props')).toEqual([
        { user_id: 'u1', address: null, beta: 'true', plan: 'pro', seats: '3', tags: null },
        { user_id: 'u2', address: null, beta: null, plan: 'a', seats: null, tags: null },
        { user_id: 'u3', address: '{"city":"Berlin"}', beta: null, plan: null, seats: null, tags: '["x","y"]' },
      ]);
    });
  });

  it('set-once keeps the earliest value and never overrides a value set normally', async () => {
    await withDb(async (db) => {
      await canonical(db, [
        { user: 'u1', t: 10, file: 0, line: 1, once: { referrer: 'google' } },
        { user: 'u1', t: 20, file: 0, line: 2, once: { referrer: 'newsletter' } },
        { user: 'u2', t: 30, file: 0, line: 3, once: { referrer: 'ads' } },
        { user: 'u2', t: 10, file: 0, line: 4, set: { referrer: 'direct' } }, // a normal set, even earlier, wins
      ]);
      await latestUserProperties(db, 'canon', 'props');
      expect(await db.all('SELECT * FROM props')).toEqual([
        { user_id: 'u1', referrer: 'google' },
        { user_id: 'u2', referrer: 'direct' },
      ]);
    });
  });

  it('keeps keys that differ only in case apart and leaves out the id key', async () => {
    await withDb(async (db) => {
      await canonical(db, [{ user: 'u1', t: 1, file: 0, line: 1, set: { plan: 'a', Plan: 'b', user_id: 'u1', USER_ID: 'x', 'odd "key"': 1 } }]);
      const out = await latestUserProperties(db, 'canon', 'props');
      expect(out.columns).toEqual([
        { column: 'Plan', key: 'Plan' },
        { column: 'odd "key"', key: 'odd "key"' },
        { column: 'plan_2', key: 'plan' },
      ]);
      expect(await db.all('SELECT * FROM props')).toEqual([{ user_id: 'u1', Plan: 'b', 'odd "key"': '1', plan_2: 'a' }]);
    });
  });

  it('gives an id-only table when no row carries properties', async () => {
    await withDb(async (db) => {
      await canonical(db, [{ user: 'u1', t: 1, file: 0, line: 1 }]);
      const out = await latestUserProperties(db, 'canon', 'props');
      expect(out).toEqual({ table: 'props', key: 'user_id', columns: [], rows: 0 });
      expect((await db.all<{ column_name: string }>('DESCRIBE props')).map((c) => c.column_name)).toEqual(['user_id']);
    });
  });

  it('matches a JS reference on random rows, whatever order the rows were inserted in, and leaves its input alone', async () => {
    const row = fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3'),
      t: fc.integer({ min: 0, max: 5 }),
      file: fc.integer({ min: 0, max: 1 }),
      set: fc.option(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(fc.constantFrom('x', 'y', 'z'))), { nil: null }),
      once: fc.option(fc.dictionary(fc.constantFrom('a', 'c'), fc.constantFrom('p', 'q')), { nil: null }),
    });
    await withDb(async (db) => {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.infiniteStream(fc.nat()), async (drawn, stream) => {
          // Unique (file, line) per row, as canonical rows have.
          const rows: PropRow[] = drawn.map((r, i) => ({ ...r, line: i + 1 }));
          const shuffled = [...rows].map((r) => ({ r, k: stream.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.r);
          await canonical(db, shuffled);
          const before = await db.all('SELECT * FROM canon ORDER BY file_idx, line');
          await latestUserProperties(db, 'canon', 'props');
          const got = (await db.all<Record<string, string | null>>('SELECT * FROM props')).map((r) =>
            Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)),
          );
          expect(got).toEqual(reference(rows));
          expect(await db.all('SELECT * FROM canon ORDER BY file_idx, line')).toEqual(before);
        }),
        { numRuns: 40 },
      );
    });
  });
});

/** Independent reference: per user and key, the winning value as the module documents it. */
function reference(rows: readonly PropRow[]): Record<string, string>[] {
  const out = new Map<string, Map<string, { once: boolean; t: number; file: number; line: number; v: string }>>();
  const later = (a: { t: number; file: number; line: number }, b: { t: number; file: number; line: number }) =>
    a.t !== b.t ? a.t > b.t : a.file !== b.file ? a.file > b.file : a.line > b.line;
  for (const r of rows) {
    for (const [source, once] of [[r.set, false], [r.once, true]] as const) {
      for (const [key, value] of Object.entries(source ?? {})) {
        if (value === null || r.t === null || r.user === null) continue;
        const cand = { once, t: r.t, file: r.file, line: r.line, v: String(value) };
        const user = out.get(r.user) ?? new Map();
        out.set(r.user, user);
        const cur = user.get(key);
        const wins =
          cur === undefined ||
          (cur.once && !once) ||
          (cur.once === once && (once ? later(cur, cand) : later(cand, cur)));
        if (wins) user.set(key, cand);
      }
    }
  }
  return [...out.keys()]
    .sort()
    .filter((u) => out.get(u)!.size > 0)
    .map((u) => ({ user_id: u, ...Object.fromEntries([...out.get(u)!].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, c]) => [k, c.v])) }));
}

describe('accounts', () => {
  it('maps each user to its latest account and keeps the latest account properties', async () => {
    await withDb(async (db) => {
      await canonical(db, [
        { user: 'u1', t: 1, file: 0, line: 1, account: 'acme', accountProps: { name: 'Acme', tier: 'gold' } },
        { user: 'u1', t: 9, file: 0, line: 2, account: 'globex' },
        { user: 'u2', t: 3, file: 0, line: 3, account: 'acme', accountProps: { tier: 'platinum', account_id: 'acme' } },
        { user: 'u3', t: 3, file: 0, line: 4 },
      ]);
      expect(await latestUserAccounts(db, 'canon', 'ua')).toBe(2);
      expect(await db.all('SELECT * FROM ua')).toEqual([
        { user_id: 'u1', account_id: 'globex' },
        { user_id: 'u2', account_id: 'acme' },
      ]);
      const out = await latestAccountProperties(db, 'canon', 'ap');
      expect(out.key).toBe('account_id');
      expect(await db.all('SELECT * FROM ap')).toEqual([{ account_id: 'acme', name: 'Acme', tier: 'platinum' }]);
    });
  });
});
