/** The DuckDB wrapper: each database spills into a private folder of its own, removed on close. */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/duckdb.js';

describe('openDb', () => {
  it('gives every database its own private spill folder and removes it on close', async () => {
    const a = await openDb();
    const b = await openDb();
    try {
      expect(a.spillDir).not.toBe(b.spillDir);
      for (const db of [a, b]) {
        expect(existsSync(db.spillDir)).toBe(true);
        // Owner only: another user's run can neither read nor trip over the files.
        expect(statSync(db.spillDir).mode & 0o777).toBe(0o700);
        const [{ dir }] = await db.all<{ dir: string }>("SELECT current_setting('temp_directory') AS dir");
        expect(dir).toBe(db.spillDir);
      }
    } finally {
      a.close();
      b.close();
    }
    expect(existsSync(a.spillDir)).toBe(false);
    expect(existsSync(b.spillDir)).toBe(false);
  });
});

describe('numericColumns', () => {
  it('reads DOUBLE columns into Float64Arrays (NULL as NaN) and VARCHAR as strings, across chunks, like `columns`', async () => {
    const db = await openDb();
    try {
      // 5,000 rows: several of DuckDB's 2,048-row chunks.
      const sql =
        `SELECT 'u' || range AS id, CASE WHEN range % 7 = 0 THEN NULL ELSE range / 3.0 END::DOUBLE AS x, ` +
        `CASE WHEN range % 5 = 0 THEN NULL ELSE 'c' || (range % 3) END AS cat FROM range(5000) ORDER BY range`;
      const fast = await db.numericColumns(sql);
      const plain = await db.columns(sql);
      const x = fast.get('x') as Float64Array;
      expect(x).toBeInstanceOf(Float64Array);
      expect(Array.from(x)).toEqual(plain.get('x')!.map((v) => (v === null ? NaN : v)));
      expect(fast.get('id')).toEqual(plain.get('id'));
      expect(fast.get('cat')).toEqual(plain.get('cat'));
      await expect(db.numericColumns('SELECT 1::BIGINT AS n')).rejects.toThrow(/n is BIGINT/);
    } finally {
      db.close();
    }
  });
});
