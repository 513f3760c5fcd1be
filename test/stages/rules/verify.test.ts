/** The SQL check: DuckDB's selection must be the JavaScript one, user for user, each once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { compareSqlSelection } from '../../../src/stages/rules/verify.js';

let db: Db;
beforeAll(async () => {
  db = await openDb();
  await db.run(`CREATE TABLE f AS SELECT * FROM (VALUES ('u1', 1), ('u2', 5), ('u3', 9)) t(user_id, x)`);
  await db.run(`CREATE TABLE g AS SELECT * FROM (VALUES (1, 1), (2, 5)) t(user_id, x)`);
});
afterAll(() => db.close());

const ids = ['u1', 'u2', 'u3'];

describe('compareSqlSelection', () => {
  it('accepts the same users, and an empty selection where nobody is expected', async () => {
    expect(await compareSqlSelection(db, 'SELECT user_id FROM f WHERE x >= 5', ids, Uint8Array.of(0, 1, 1))).toEqual({ identical: true, returned: 2, expected: 2 });
    expect(await compareSqlSelection(db, 'SELECT user_id FROM f WHERE x > 100', ids, Uint8Array.of(0, 0, 0))).toEqual({ identical: true, returned: 0, expected: 0 });
  });

  it('refuses a missing, an extra, a repeated or an unknown user', async () => {
    const expected = Uint8Array.of(0, 1, 1);
    expect((await compareSqlSelection(db, 'SELECT user_id FROM f WHERE x > 5', ids, expected)).identical).toBe(false);
    expect((await compareSqlSelection(db, 'SELECT user_id FROM f', ids, expected)).identical).toBe(false);
    expect((await compareSqlSelection(db, `SELECT user_id FROM f WHERE x = 5 UNION ALL SELECT user_id FROM f WHERE x = 5`, ids, expected)).identical).toBe(false);
    expect((await compareSqlSelection(db, `SELECT 'u9' AS user_id UNION ALL SELECT user_id FROM f WHERE x = 9`, ids, expected)).identical).toBe(false);
  });

  it('matches numeric user ids by their text', async () => {
    expect((await compareSqlSelection(db, 'SELECT user_id FROM g WHERE x >= 5', ['1', '2'], Uint8Array.of(0, 1))).identical).toBe(true);
  });
});
