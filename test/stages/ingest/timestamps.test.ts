/** Timestamp SQL: the offset is found by the cheap pre-tests exactly where the pattern alone finds it; RFC 3339's other spellings parse. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../src/core/sql.js';
import { offsetMinutesSql, parseTimestampSql } from '../../../src/stages/ingest/timestamps.js';

let db: Db;
beforeAll(async () => {
  db = await openDb();
});
afterAll(() => db.close());

/** The offset as the pattern alone gives it (the code before the pre-tests). */
function patternOnly(x: string): string {
  const part = (g: number) => `coalesce(TRY_CAST(nullif(regexp_extract(${x}, '[+-]([0-9][0-9]):?([0-9][0-9])?$', ${g}), '') AS INTEGER), 0)`;
  const pattern = `'[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]+)?)?\\s*[+-][0-9][0-9](:?[0-9][0-9])?$'`;
  return `(CASE WHEN regexp_matches(${x}, ${pattern}) THEN ${part(1)} * 60 + ${part(2)} END)`;
}

describe('offsetMinutesSql', () => {
  it('reads +02:00, -0530, +14 and nothing from Z or a bare time', async () => {
    const values = ['2024-01-01T10:00:00+02:00', '2024-01-01 10:00:00 -0530', '2024-01-01T10:00+14', '2024-01-01T10:00:00Z', '2024-01-01 10:00:00', '2024-01-01'];
    const rows = await db.all<{ m: number | null }>(
      `SELECT ${offsetMinutesSql('x')} AS m FROM (VALUES ${values.map((v, i) => `(${i}, ${quoteLiteral(v)})`).join(', ')}) t(i, x) ORDER BY i`,
    );
    expect(rows.map((r) => r.m)).toEqual([120, 330, 840, null, null, null]);
  });

  it('agrees with the offset pattern alone on timestamp-like text', async () => {
    const piece = fc.constantFrom('2024-01-01', 'T', ' ', '10:00', ':30', '.5', 'Z', '+', '-', '02', '0530', ':00', '1', 'x');
    const value = fc.array(piece, { minLength: 1, maxLength: 7 }).map((ps) => ps.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 40 }), async (values) => {
        const rows = values.map((v) => `(${quoteLiteral(v)})`).join(', ');
        const differ = await db.all(
          `SELECT x FROM (VALUES ${rows}) t(x) WHERE ${offsetMinutesSql('x')} IS DISTINCT FROM ${patternOnly('x')}`,
        );
        expect(differ).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('parseTimestampSql (iso)', () => {
  it('reads the RFC 3339 spellings DuckDB refuses (lower-case t and z, hours and minutes before a zone) and still refuses the rest', async () => {
    const cases: [string, string | null][] = [
      ['2024-05-09T16:51:43Z', '2024-05-09 16:51:43'],
      ['2024-05-09t16:51:43z', '2024-05-09 16:51:43'],
      ['2024-05-09T16:51Z', '2024-05-09 16:51:00'],
      ['2024-05-09t16:51z', '2024-05-09 16:51:00'],
      ['2024-05-09T16:51+02:00', '2024-05-09 14:51:00'],
      ['2024-05-09T16:51:43.250-0530', '2024-05-09 22:21:43.25'],
      ['2024-05-09t16:51:43+02:00', '2024-05-09 14:51:43'],
      ['2024-05-09 16:51', '2024-05-09 16:51:00'],
      ['2024-05-09', '2024-05-09 00:00:00'],
      ['2024-05-09T16:51+15:00', null],
      ['2024-05-09T16Z', null],
      ['last tuesday', null],
      ['2024-13-09T16:51Z', null],
    ];
    const rows = await db.all<{ t: string | null }>(
      `SELECT CAST(${parseTimestampSql('iso', 'x')} AS VARCHAR) AS t FROM (VALUES ${cases.map(([v], i) => `(${i}, ${quoteLiteral(v)})`).join(', ')}) v(i, x) ORDER BY i`,
    );
    expect(rows.map((r) => r.t)).toEqual(cases.map(([, t]) => t));
  });
});

describe('compact dates (YYYYMMDD)', () => {
  it('a column of 8-digit dates is read as dates, not epoch seconds in August 1970; an impossible date is unparseable', async () => {
    const { detectTimestampFormats } = await import('../../../src/stages/ingest/timestamps.js');
    const values = ['20240501', '20240229', '20241231', '20230230'];
    const table = `(SELECT 0 AS file_idx, i AS line, x AS ts_txt FROM (VALUES ${values.map((v, i) => `(${i}, ${quoteLiteral(v)})`).join(', ')}) v(i, x))`;
    expect(await detectTimestampFormats(db, table, 'ts_txt', [false], ['f.csv'], ['date'])).toEqual(['yyyymmdd']);
    const rows = await db.all<{ t: string | null }>(`SELECT CAST(${parseTimestampSql('yyyymmdd', 'ts_txt')} AS VARCHAR) AS t FROM ${table} ORDER BY line`);
    expect(rows.map((r) => r.t)).toEqual(['2024-05-01 00:00:00', '2024-02-29 00:00:00', '2024-12-31 00:00:00', null]);
    // Epoch seconds stay epoch seconds.
    const epoch = `(SELECT 0 AS file_idx, 1 AS line, '1714500000' AS ts_txt)`;
    expect(await detectTimestampFormats(db, epoch, 'ts_txt', [false], ['f.csv'], ['time'])).toEqual(['epoch_s']);
  });
});
