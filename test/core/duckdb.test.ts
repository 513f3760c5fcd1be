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
