/** SQL value snippets: the conditional trim is DuckDB's trim, value for value. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../src/core/sql.js';
import { trimmedSql } from '../../../src/stages/ingest/values.js';

let db: Db;
beforeAll(async () => {
  db = await openDb();
});
afterAll(() => db.close());

/** Characters that trim removes (Unicode space separators) or must keep (tabs, line ends, NBSP's neighbours). */
const EDGE = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2003', '\u200b', '\u202f', '\u3000', '\u00e9', 'a', 'Z', '1', '-'];

/** The values whose conditional trim differs from `trim`, with both results. */
async function mismatches(values: readonly string[]): Promise<unknown[]> {
  const rows = values.map((v) => `(${quoteLiteral(v)})`).join(', ');
  return db.all(
    `SELECT x, trim(x) AS expected, ${trimmedSql('x')} AS got FROM (VALUES ${rows}) t(x) WHERE trim(x) IS DISTINCT FROM ${trimmedSql('x')}`,
  );
}

describe('trimmedSql', () => {
  it('gives what trim gives, for values made of spaces, other whitespace and non-ASCII letters', async () => {
    const value = fc.array(fc.constantFrom(...EDGE), { maxLength: 8 }).map((cs) => cs.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 40 }), async (values) => {
        expect(await mismatches(values)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('trims what needs it and passes NULL through', async () => {
    const got = await db.all<{ a: string; b: string; c: string; d: string | null }>(
      `SELECT ${trimmedSql("' u1 '")} AS a, ${trimmedSql(`'\u00a0u1'`)} AS b, ${trimmedSql("'u1'")} AS c, ${trimmedSql('CAST(NULL AS VARCHAR)')} AS d`,
    );
    expect(got).toEqual([{ a: 'u1', b: 'u1', c: 'u1', d: null }]);
  });
});
