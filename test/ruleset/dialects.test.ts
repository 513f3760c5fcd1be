/**
 * One feature definition, many renderings. DuckDB and PostgreSQL renderings are executed
 * (definitions.test.ts, export-sql.test.ts); here every dialect's rendering of the bundled
 * sample's features and rules (and of a fixture of the meanings the sample lacks) is compared
 * with its golden file under test/golden/sql/<dialect>/ (`npm run golden` rewrites them), and
 * every golden must parse in its dialect's grammar:
 *
 *   postgres, bigquery, snowflake — node-sql-parser (its postgresql, bigquery, snowflake grammars);
 *   clickhouse, duckdb            — sqlparser-rs (@guanmingchiu/sqlparser-ts, WASM), its ClickHouse
 *                                   and DuckDB dialects; node-sql-parser has no ClickHouse grammar.
 *
 * A parser accepting a query is not an engine running it: the parse check catches syntax a
 * dialect does not have (quotes, clauses, operators), not a wrong function name or type.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { init as initSqlparser, parse as sqlparserParse, type DialectName } from '@guanmingchiu/sqlparser-ts';
import NodeSqlParser from 'node-sql-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureMeaning } from '../../src/core/meaning.js';
import { SQL_DIALECTS, type SqlDialect } from '../../src/ruleset/dialect.js';
import { SQL_GOLDEN_DIR, goldenMeanings, sqlGoldens } from './dialects-golden.js';

/** The grammar each dialect's goldens are parsed with. */
type Grammar = { readonly parser: 'node-sql-parser'; readonly name: string } | { readonly parser: 'sqlparser-rs'; readonly name: DialectName };
const GRAMMAR: Readonly<Record<SqlDialect, Grammar>> = {
  duckdb: { parser: 'sqlparser-rs', name: 'duckdb' },
  postgres: { parser: 'node-sql-parser', name: 'postgresql' },
  bigquery: { parser: 'node-sql-parser', name: 'bigquery' },
  snowflake: { parser: 'node-sql-parser', name: 'snowflake' },
  clickhouse: { parser: 'sqlparser-rs', name: 'clickhouse' },
};

const nodeSqlParser = new NodeSqlParser.Parser();

/** Parses `sql` with `grammar`; throws the parser's error when it does not parse. */
function parseAs(grammar: Grammar, sql: string): void {
  if (grammar.parser === 'node-sql-parser') nodeSqlParser.astify(sql, { database: grammar.name });
  else sqlparserParse(sql, grammar.name);
}

/** The statement of a golden file: its lines without the leading comments. */
const statementOf = (file: string) => file.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('golden SQL per dialect', () => {
  const goldens = sqlGoldens();
  beforeAll(async () => {
    await initSqlparser();
  });

  it('test/golden/sql holds exactly the renderings (regenerate with npm run golden)', () => {
    expect(filesUnder(SQL_GOLDEN_DIR)).toEqual([...goldens.keys()].sort());
    for (const [path, text] of goldens) expect(text, path).toBe(readFileSync(join(SQL_GOLDEN_DIR, path), 'utf8'));
  });

  it('cover every dialect and every meaning kind', () => {
    // Exhaustive: a new kind fails to compile here until it is listed (and rendered in a golden).
    const kinds: Record<FeatureMeaning['kind'], true> = {
      events: true, activeDays: true, sessions: true, eventsPerSession: true, sessionMinutes: true, daysSinceLastEvent: true,
      daysSinceFirstEvent: true, activeDayShare: true, daysBetweenActiveDays: true, recencyInUsualGaps: true, distinctEventTypes: true, hourShare: true,
      weekendShare: true, peakDayShare: true, recentShare: true, eventCount: true, eventShare: true, value: true, attribute: true, attributeAge: true,
    };
    expect(new Set(goldenMeanings().map((m) => m.kind))).toEqual(new Set(Object.keys(kinds)));
    expect(new Set([...goldens.keys()].map((p) => p.split('/')[0]))).toEqual(new Set(SQL_DIALECTS));
    for (const dialect of SQL_DIALECTS) expect(goldens.has(`${dialect}/fixture-features.sql`)).toBe(true);
  });

  for (const dialect of SQL_DIALECTS) {
    const grammar = GRAMMAR[dialect];
    it(`every ${dialect} golden parses as ${grammar.name} (${grammar.parser})`, () => {
      const paths = [...goldens.keys()].filter((p) => p.startsWith(`${dialect}/`));
      expect(paths.length).toBeGreaterThanOrEqual(4);
      for (const path of paths) {
        const sql = readFileSync(join(SQL_GOLDEN_DIR, path), 'utf8');
        expect(() => parseAs(grammar, sql), path).not.toThrow();
      }
    });

    it(`a ${dialect} golden with one parenthesis taken out does not parse (the check can fail)`, () => {
      for (const name of ['features.sql', 'segment-0.sql']) {
        const sql = statementOf(goldens.get(`${dialect}/${name}`)!);
        const broken = sql.replace(/\) SELECT (\*|f\.user_id) FROM f\b/, ' SELECT $1 FROM f');
        expect(broken).not.toBe(sql);
        expect(() => parseAs(grammar, broken), `${dialect}/${name}`).toThrow();
      }
    });
  }

  it('the grammars tell the dialects apart: ClickHouse parses only as ClickHouse, BigQuery not as PostgreSQL', () => {
    const clickhouse = statementOf(goldens.get('clickhouse/features.sql')!);
    for (const d of ['postgres', 'bigquery', 'snowflake'] as const) expect(() => parseAs(GRAMMAR[d], clickhouse), d).toThrow();
    expect(() => parseAs(GRAMMAR.postgres, statementOf(goldens.get('bigquery/features.sql')!))).toThrow();
  });

  it('ClickHouse statements carry the settings the definitions rely on, and no spelling that fails on NULL', () => {
    for (const [path, text] of goldens) {
      if (!path.startsWith('clickhouse/')) continue;
      const sql = statementOf(text);
      // A LEFT JOIN without a match is NULL (not 0 or ''), and a feature name never captures a column.
      expect(sql, path).toMatch(/ SETTINGS join_use_nulls = 1, prefer_column_name_to_alias = 1;$/);
      expect(sql, path).not.toMatch(/\bCAST\(|\blag\(/);
      expect(sql, path).not.toContain('"');
    }
  });
});
