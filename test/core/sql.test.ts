/** SQL literals that mean the same in every engine: no backslash, control or bidi character inside quotes. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/duckdb.js';
import { quoteLiteral, UNSAFE_IN_LITERAL } from '../../src/core/sql.js';

/** The quoted runs of a rendered literal, i.e. what an engine reads between quotes. */
const quotedRuns = (sql: string) => [...sql.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]);

describe('quoteLiteral', () => {
  it('doubles quotes in plain values', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('')).toBe("''");
  });

  it('never puts a backslash inside quotes (MySQL would read it as an escape and end the literal early)', () => {
    const payload = "x\\'; DROP TABLE features; --";
    const sql = quoteLiteral(payload);
    expect(sql).toBe("('x' || chr(92) || '''; DROP TABLE features; --')");
    for (const run of quotedRuns(sql)) expect(run).not.toContain('\\');
  });

  it('spells bidi controls and line breaks as chr() so SQL shows what it does', () => {
    expect(quoteLiteral('ab\u202Ecd')).toBe("('ab' || chr(8238) || 'cd')");
    expect(quoteLiteral('\u2066x\n')).toBe("(chr(8294) || 'x' || chr(10))");
  });

  describe('in DuckDB', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openDb(1);
    });
    afterAll(() => db.close());

    it('reads back exactly the string it was given, and no quoted run holds an unsafe character (property)', async () => {
      const chars = fc.constantFrom('a', "'", '\\', '"', ';', '-', '\u202E', '\u2066', '\t', '\n', 'é', '€', '😀', ' ');
      await fc.assert(
        fc.asyncProperty(fc.array(chars, { maxLength: 12 }).map((cs) => cs.join('')), async (value) => {
          const sql = quoteLiteral(value);
          for (const run of quotedRuns(sql)) expect(UNSAFE_IN_LITERAL.test(run.replace(/''/g, "'"))).toBe(false);
          const [{ v }] = await db.all<{ v: string }>(`SELECT ${sql} AS v`);
          expect(v).toBe(value);
        }),
        { numRuns: 150 },
      );
    });
  });
});
