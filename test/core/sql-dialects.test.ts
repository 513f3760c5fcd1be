/**
 * Per-dialect literals and identifiers. Executed for real in DuckDB (in-process) and PostgreSQL
 * (a throwaway cluster, with `standard_conforming_strings` on and off); for BigQuery, Snowflake
 * and ClickHouse, read back by a small model of each engine's lexer (quote doubling, backslash
 * escapes, its code-point function), since those engines cannot run here.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/duckdb.js';
import { isSegmintError } from '../../src/core/errors.js';
import { DIALECTS, quoteIdent, quoteLiteral, sqlErrors, sqlIdent, sqlLiteral, type Dialect } from '../../src/core/sql.js';
import { usePostgres } from '../helpers/postgres.js';

const RUNS = 200;

/** Strings made of the characters that break naive quoting, mixed with arbitrary Unicode. */
const hostile = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("'", "''", '\\', '"', '`', ';', '--', '/*', '$$', '\u0000', '\u202E', '\u2066', '\u2069', '\u200F', '\n', '\r', '\t', '\u2028', '\u0085', '😀', 'é', '€', ' ', 'x') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const withoutNul = hostile.map((v) => v.replaceAll('\u0000', ''));

/** The value an engine would read from one of our literals, after its lexing rules. */
interface EngineModel {
  /** Backslash starts an escape inside '…'. */
  readonly backslash: boolean;
  /** `''` inside '…' is one quote. */
  readonly doubled: boolean;
  /** Our code-point spellings: function name → characters from its numeric arguments. */
  readonly fn: Readonly<Record<string, (args: number[]) => string>>;
  /** Concatenation form. */
  readonly concat: 'pipes' | 'function';
}

const cp = (args: number[]) => String.fromCodePoint(...args);
const MODELS: Readonly<Record<Dialect, EngineModel>> = {
  duckdb: { backslash: false, doubled: true, fn: { chr: cp }, concat: 'pipes' },
  postgres: { backslash: false, doubled: true, fn: { chr: cp }, concat: 'pipes' },
  bigquery: { backslash: true, doubled: false, fn: { CODE_POINTS_TO_STRING: cp }, concat: 'pipes' },
  snowflake: { backslash: true, doubled: true, fn: { CHR: cp }, concat: 'pipes' },
  clickhouse: { backslash: true, doubled: true, fn: { char: (bytes) => Buffer.from(bytes).toString('utf8') }, concat: 'function' },
};

/** Read `sql` (one expression) as the modelled engine would; throws where it would not parse. */
function readAs(sql: string, m: EngineModel): string {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i} in ${sql}`);
  };
  const eat = (s: string) => (sql.startsWith(s, i) ? ((i += s.length), true) : false);
  const expr = (): string => {
    if (sql[i] === "'") {
      i++;
      let out = '';
      for (;;) {
        if (i >= sql.length) fail('unterminated string');
        const c = sql[i++];
        if (c === '\\' && m.backslash) out += sql[i++] ?? fail('dangling escape');
        else if (c === "'") {
          if (m.doubled && sql[i] === "'") (out += "'"), i++;
          else return out;
        } else out += c;
      }
    }
    if (m.concat === 'pipes' && eat('(')) {
      let out = expr();
      while (eat(' || ')) out += expr();
      if (!eat(')')) fail('expected )');
      return out;
    }
    if (m.concat === 'function' && eat('concat(')) {
      let out = expr();
      while (eat(', ')) out += expr();
      if (!eat(')')) fail('expected )');
      return out;
    }
    const call = /^([A-Za-z_]+)\(\[?([\d, ]+)\]?\)/.exec(sql.slice(i));
    if (!call || !m.fn[call[1]]) return fail('unexpected token');
    i += call[0].length;
    return m.fn[call[1]](call[2].split(', ').map(Number));
  };
  // DuckDB/PostgreSQL/Snowflake chains of chr() calls sit directly inside the parentheses.
  const whole = (): string => {
    let out = expr();
    while (m.concat === 'pipes' && eat(' || ')) out += expr();
    return out;
  };
  const value = whole();
  if (i !== sql.length) fail('trailing text');
  return value;
}

/** Contents of the quoted runs as an engine with backslash escapes (MySQL/MariaDB) reads them. */
function quotedRunsWithEscapes(sql: string): string[] {
  const runs: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== "'") continue;
    let out = '';
    for (i++; i < sql.length; i++) {
      if (sql[i] === '\\') out += sql[++i];
      else if (sql[i] === "'" && sql[i + 1] === "'") (out += "'"), i++;
      else if (sql[i] === "'") break;
      else out += sql[i];
    }
    runs.push(out);
  }
  return runs;
}

const quotedRunsStandard = (sql: string) => [...sql.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));

describe('sqlLiteral: exact forms', () => {
  it('plain values are one quoted literal in every dialect but BigQuery, which cannot double a quote', () => {
    for (const d of DIALECTS) expect(sqlLiteral('plain text, 42 €', d)).toBe("'plain text, 42 €'");
    expect(sqlLiteral("it's", 'postgres')).toBe("'it''s'");
    expect(sqlLiteral("it's", 'snowflake')).toBe("'it''s'");
    expect(sqlLiteral("it's", 'clickhouse')).toBe("'it''s'");
    expect(sqlLiteral("it's", 'bigquery')).toBe("('it' || CODE_POINTS_TO_STRING([39]) || 's')");
  });

  it('spells backslash, controls and bidi characters as code points, never as a backslash escape', () => {
    const v = "x\\'\u202E\n";
    expect(sqlLiteral(v, 'duckdb')).toBe("('x' || chr(92) || '''' || chr(8238) || chr(10))");
    expect(sqlLiteral(v, 'postgres')).toBe("('x' || chr(92) || '''' || chr(8238) || chr(10))");
    expect(sqlLiteral(v, 'snowflake')).toBe("('x' || CHR(92) || '''' || CHR(8238) || CHR(10))");
    expect(sqlLiteral(v, 'bigquery')).toBe("('x' || CODE_POINTS_TO_STRING([92, 39, 8238, 10]))");
    // ClickHouse char() takes bytes: U+202E is E2 80 AE in UTF-8.
    expect(sqlLiteral(v, 'clickhouse')).toBe("concat('x', char(92), '''', char(226, 128, 174, 10))");
    for (const d of DIALECTS) expect(sqlLiteral(v, d)).not.toContain('\\');
  });

  it('the portable form is quoteLiteral, unchanged for existing callers', () => {
    for (const v of ['', 'abc', "it's", 'a\\b', '\n', '\n\n', 'ab\u202Ecd', '\u0000']) expect(quoteLiteral(v)).toBe(sqlLiteral(v, 'duckdb'));
    expect(quoteLiteral('\n')).toBe('(chr(10))');
    expect(quoteLiteral('\u0000')).toBe('(chr(0))');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('sqlLiteral: refusals', () => {
  it('PostgreSQL text cannot hold NUL: refused, naming the value and where the NUL is', () => {
    const value = 'user\u0000id';
    expect(() => sqlLiteral(value, 'postgres')).toThrow(sqlErrors.literalUnrepresentable(value, 'postgres', 'PostgreSQL text cannot contain a NUL character (U+0000 at character 4)').message);
    expect(() => sqlLiteral(value, 'postgres')).toThrow('cannot write "user\\u0000id" as a PostgreSQL string literal');
    // The other engines hold NUL and spell it as a code point.
    expect(sqlLiteral(value, 'duckdb')).toBe("('user' || chr(0) || 'id')");
    expect(sqlLiteral(value, 'snowflake')).toBe("('user' || CHR(0) || 'id')");
  });

  it('a lone UTF-16 surrogate is not a character: refused in every dialect', () => {
    for (const d of DIALECTS) {
      let error: unknown;
      try {
        sqlLiteral('a\ud800b', d);
      } catch (e) {
        error = e;
      }
      expect(isSegmintError(error) && error.code).toBe('E_SQL_UNREPRESENTABLE');
      expect((error as Error).message).toContain('"a\\ud800b"');
    }
  });
});

describe('sqlLiteral: every dialect reads back the value (model of each lexer, property)', () => {
  it('one expression that reads back exactly, with no backslash anywhere; the portable form also reads the same with MySQL escapes', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        for (const d of DIALECTS) {
          if (d === 'postgres' && value.includes('\u0000')) continue;
          const sql = sqlLiteral(value, d);
          expect(sql).not.toContain('\\');
          expect(readAs(sql, MODELS[d])).toBe(value);
        }
        const portable = quoteLiteral(value);
        expect(quotedRunsWithEscapes(portable)).toEqual(quotedRunsStandard(portable));
      }),
      { numRuns: 1000 },
    );
  });

  it('the lexer models notice a wrong spelling (they are not vacuous)', () => {
    expect(() => readAs("'it''s'", MODELS.bigquery)).toThrow();
    expect(readAs("'a\\'b'", MODELS.snowflake)).toBe("a'b");
    expect(() => readAs("'a\\'b'", MODELS.duckdb)).toThrow(/trailing text/);
  });
});

describe('sqlIdent', () => {
  it('quotes per dialect', () => {
    expect(sqlIdent('days "since"', 'duckdb')).toBe('"days ""since"""');
    expect(sqlIdent('days "since"', 'postgres')).toBe('"days ""since"""');
    expect(sqlIdent('days "since"', 'snowflake')).toBe('"days ""since"""');
    expect(sqlIdent('days "since"', 'bigquery')).toBe('`days "since"`');
    expect(sqlIdent('n.x', 'clickhouse')).toBe('`n.x`');
    expect(sqlIdent('a\\b', 'postgres')).toBe('"a\\b"');
  });

  it('refuses what an engine would read or display differently, naming the value', () => {
    const refused: [string, Dialect, RegExp][] = [
      ['', 'duckdb', /cannot be empty/],
      ['a\u202Eb', 'postgres', /bidi.*U\+202E at character 1/],
      ['a\nb', 'snowflake', /control.*U\+000A/],
      ['a\\b', 'duckdb', /backslash/],
      ['a\\b', 'clickhouse', /backslash/],
      ['a`b', 'bigquery', /backtick/],
      ['a`b', 'clickhouse', /backtick/],
      ['a.b', 'bigquery', /path separator/],
      ['é'.repeat(32), 'postgres', /64 UTF-8 bytes.*truncates/],
      ['x'.repeat(301), 'bigquery', /301 characters/],
    ];
    for (const [name, d, why] of refused) {
      expect(() => sqlIdent(name, d), `${JSON.stringify(name)} in ${d}`).toThrow(why);
      if (name.length <= 80) expect(() => sqlIdent(name, d)).toThrow(`cannot write ${JSON.stringify(name).replace('\u202E', '\\u202e')} as a`);
    }
    expect(sqlIdent('x'.repeat(63), 'postgres')).toBe(`"${'x'.repeat(63)}"`);
  });
});

describe('in DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(1);
  });
  afterAll(() => db.close());

  it('the statement count notices a literal that ends early', async () => {
    expect((await db.connection.extractStatements("SELECT 'x'; SELECT 1 AS v")).count).toBe(2);
  });

  it('SELECT <literal> is one statement and returns the original string (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const sql = `SELECT ${sqlLiteral(value, 'duckdb')} AS v`;
        expect((await db.connection.extractStatements(sql)).count).toBe(1);
        const [{ v }] = await db.all<{ v: string }>(sql);
        expect(v).toBe(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('an accepted identifier names exactly that column (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        let ident: string;
        try {
          ident = sqlIdent(name, 'duckdb');
        } catch (e) {
          expect(isSegmintError(e) && e.code).toBe('E_SQL_UNREPRESENTABLE');
          return;
        }
        const sql = `SELECT 1 AS ${ident}`;
        expect((await db.connection.extractStatements(sql)).count).toBe(1);
        const cols = await db.columns(sql);
        expect([...cols.keys()]).toEqual([name]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('in PostgreSQL', () => {
  const postgres = usePostgres();
  const sessions: Record<'on' | 'off', pg.Client> = {} as Record<'on' | 'off', pg.Client>;
  // A named statement goes through the extended protocol (Parse/Bind/Execute), which refuses
  // more than one statement. Names are unique because pg caches statements by name.
  let statements = 0;
  const statementName = () => `s${++statements}`;
  beforeAll(async () => {
    for (const scs of ['on', 'off'] as const) {
      const client = await postgres.connect();
      await client.query(`SET standard_conforming_strings = ${scs}`);
      await client.query('SET escape_string_warning = off');
      sessions[scs] = client;
    }
  });

  it('the two sessions really read backslashes differently (so the property below means something)', async () => {
    for (const scs of ['on', 'off'] as const) {
      expect((await sessions[scs].query('SHOW standard_conforming_strings')).rows).toEqual([{ standard_conforming_strings: scs }]);
    }
    expect((await sessions.on.query("SELECT 'a\\qb' AS v")).rows[0].v).toBe('a\\qb');
    expect((await sessions.off.query("SELECT 'a\\qb' AS v")).rows[0].v).toBe('aqb');
  });

  it('both checks notice a literal that ends early', async () => {
    await expect(sessions.on.query({ text: "SELECT 'x'; SELECT 1 AS v", name: statementName() })).rejects.toThrow(/multiple commands/);
    expect(Array.isArray(await sessions.on.query("SELECT 'x'; SELECT 1 AS v"))).toBe(true);
  });

  it('SELECT <literal> is one statement and returns the original string with standard_conforming_strings on and off (property)', async () => {
    await fc.assert(
      fc.asyncProperty(withoutNul, async (value) => {
        const sql = `SELECT ${sqlLiteral(value, 'postgres')} AS v`;
        for (const scs of ['on', 'off'] as const) {
          // The extended protocol refuses more than one statement; the simple one returns one result per statement.
          const prepared = await sessions[scs].query<{ v: string }>({ text: sql, name: statementName() });
          expect(prepared.rows).toEqual([{ v: value }]);
          const simple = await sessions[scs].query(sql);
          expect(Array.isArray(simple)).toBe(false);
          expect(simple.rows).toEqual([{ v: value }]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('an accepted identifier names exactly that column; refused ones say why (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        let ident: string;
        try {
          ident = sqlIdent(name, 'postgres');
        } catch (e) {
          expect(isSegmintError(e) && e.code).toBe('E_SQL_UNREPRESENTABLE');
          return;
        }
        for (const scs of ['on', 'off'] as const) {
          const r = await sessions[scs].query({ text: `SELECT 1 AS ${ident}`, name: statementName() });
          expect(r.fields.map((f) => f.name)).toEqual([name]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a NUL is refused before it reaches the server, which would reject it too', async () => {
    expect(() => sqlLiteral('a\u0000b', 'postgres')).toThrow(/NUL/);
    await expect(sessions.on.query("SELECT 'a' || chr(0) AS v")).rejects.toThrow(/null character not permitted/);
  });
});
