/**
 * `rules export --to sql`: the exported statement runs unchanged in DuckDB (in-process) and in
 * PostgreSQL (a real throwaway server) over the sample's raw tables, and both select exactly the
 * users `rules apply` selects — as of the latest event and as of a week earlier. A property test
 * then draws random rules over every feature of the sample (thresholds taken from real users'
 * values, so ties are hit) and requires the two engines to agree.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/duckdb.js';
import { WAREHOUSE_TABLES, featuresQuery } from '../../src/ruleset/definitions.js';
import { opsFor, SQL_DIALECTS } from '../../src/ruleset/dialect.js';
import { ruleQuery } from '../../src/ruleset/query.js';
import { readRuleset } from '../../src/ruleset/store.js';
import type { Condition } from '../../src/stages/rules/types.js';
import type { RunDocuments } from '../../src/run/types.js';
import { copyTableToPostgres, usePostgres } from '../helpers/postgres.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { SAMPLE, SAMPLE_INPUTS, membersByKey, sampleRun } from './helpers.js';

/** Raw sample tables in DuckDB: events(user_id, event, timestamp), users, accounts as read_csv types them. */
async function loadRaw(db: Db): Promise<void> {
  await db.run(
    `CREATE TABLE events AS SELECT user_id, event, strptime("timestamp", '%Y-%m-%dT%H:%M:%SZ') AS "timestamp" ` +
      `FROM read_csv('${join(SAMPLE, 'events.csv.gz')}', all_varchar = true)`,
  );
  await db.run(`CREATE TABLE users AS SELECT * FROM read_csv('${join(SAMPLE, 'users.csv')}')`);
  await db.run(`CREATE TABLE accounts AS SELECT * FROM read_csv('${join(SAMPLE, 'accounts.csv')}')`);
}

/** The same tables in PostgreSQL, column types mapped, rows sent as text arrays through unnest. */
async function copyToPostgres(db: Db, client: pg.Client): Promise<void> {
  for (const table of ['events', 'users', 'accounts']) await copyTableToPostgres(db, client, table);
  await client.query('ANALYZE');
}

async function pgUsers(client: pg.Client, sql: string): Promise<string[]> {
  const r = await client.query<{ user_id: string }>(sql);
  return r.rows.map((row) => row.user_id).sort();
}
async function duckUsers(db: Db, sql: string): Promise<string[]> {
  return (await db.all<{ user_id: string }>(sql)).map((row) => String(row.user_id)).sort();
}
/** The statement of an exported file (everything after the comments). */
const statement = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n');

describe('rules export --to sql', () => {
  const postgres = usePostgres();
  let dir: string;
  let docs: RunDocuments;
  let ruleset: string;
  let db: Db;
  let client: pg.Client;

  beforeAll(async () => {
    dir = tempDir();
    let runDir: string;
    ({ runDir, documents: docs } = await sampleRun(join(dir, 'reports')));
    ruleset = join(dir, 'ruleset');
    expect((await runCli(['rules', 'promote', runDir, 'all', '--ruleset', ruleset, '--quiet'])).code).toBe(0);
    db = await openDb();
    await loadRaw(db);
    client = await postgres.connect();
    await copyToPostgres(db, client);
  }, 300_000);
  afterAll(() => db?.close());

  const weekBefore = () => new Date(new Date(docs.manifest.window.end).getTime() - 7 * 86_400_000).toISOString();

  for (const when of ['latest', 'week-before'] as const) {
    it(`selects the same users in DuckDB, PostgreSQL and rules apply (${when})`, async () => {
      const asOf = when === 'latest' ? [] : ['--as-of', weekBefore()];
      const applied = join(dir, `apply-${when}`);
      expect((await runCli(['rules', 'apply', '--ruleset', ruleset, ...SAMPLE_INPUTS, ...asOf, '--out', applied, '--quiet'])).code).toBe(0);
      const members = membersByKey(join(applied, 'memberships.csv'));
      for (const dialect of ['duckdb', 'postgres'] as const) {
        const out = join(dir, `sql-${dialect}-${when}`);
        const r = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', dialect, ...asOf, '--out', out]);
        expect(r.code).toBe(0);
      }
      for (const { doc } of readRuleset(ruleset)) {
        const inDuck = await duckUsers(db, statement(join(dir, `sql-duckdb-${when}`, `${doc.key}.sql`)));
        const inPg = await pgUsers(client, statement(join(dir, `sql-postgres-${when}`, `${doc.key}.sql`)));
        const applyUsers = [...(members.get(doc.key) ?? [])].sort();
        expect(inPg).toEqual(inDuck);
        expect(inDuck).toEqual(applyUsers);
        if (when === 'latest') expect(inDuck.length).toBe(doc.metrics.selected);
      }
    }, 120_000);
  }

  it('renders BigQuery, Snowflake and ClickHouse from the same definitions (--dialect takes each)', async () => {
    const expected = {
      bigquery: { table: '`analytics`.`events`', otherQuote: /"/, window: /TIMESTAMP_SUB\(as_of\.e, INTERVAL 90 DAY\)/ },
      snowflake: { table: '"analytics"."events"', otherQuote: /`/, window: /DATEADD\(day, -90, as_of\.e\)/ },
      clickhouse: { table: '`analytics`.`events`', otherQuote: /"/, window: /\(as_of\.e - INTERVAL 7776000 SECOND\)/ },
    } as const;
    for (const dialect of ['bigquery', 'snowflake', 'clickhouse'] as const) {
      const out = join(dir, `sql-${dialect}`);
      expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', dialect, '--events-table', 'analytics.events', '--out', out])).code).toBe(0);
      for (const { doc } of readRuleset(ruleset)) {
        const text = readFileSync(join(out, `${doc.key}.sql`), 'utf8');
        expect(text).toContain(expected[dialect].table);
        expect(statement(join(out, `${doc.key}.sql`))).not.toMatch(expected[dialect].otherQuote);
        expect(text).toMatch(expected[dialect].window);
        if (dialect === 'clickhouse') expect(text).toMatch(/ ORDER BY f\.user_id SETTINGS join_use_nulls = 1, prefer_column_name_to_alias = 1;\n$/);
      }
    }
    // A dbt model leaves out the ORDER BY but keeps ClickHouse's SETTINGS.
    const dbt = join(dir, 'dbt-clickhouse');
    expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'dbt', '--dialect', 'clickhouse', '--out', dbt])).code).toBe(0);
    const models = readdirSync(dbt).filter((f) => f.endsWith('.sql'));
    expect(models.length).toBe(readRuleset(ruleset).length);
    for (const model of models) expect(readFileSync(join(dbt, model), 'utf8')).toMatch(/\) SELECT f\.user_id FROM f WHERE .* SETTINGS join_use_nulls = 1, prefer_column_name_to_alias = 1\n$/);
    expect(readFileSync(join(dbt, 'schema.yml'), 'utf8')).toContain('data_type: String');
  });

  it('random rules over every feature select the same users in DuckDB and PostgreSQL', async () => {
    const meanings = docs.segments.model.meanings!;
    const names = Object.keys(meanings).filter((n) => meanings[n].kind !== 'value');
    const frame = (dialect: 'duckdb' | 'postgres') => ({ ops: opsFor(dialect), tables: WAREHOUSE_TABLES, windowDays: docs.manifest.window.days, asOf: null });
    const values = await db.columns(featuresQuery(names.map((name) => ({ name, meaning: meanings[name] })), frame('duckdb')));
    const users = values.get('user_id')!.length;
    const condition = fc.tuple(fc.constantFrom(...names), fc.nat(users - 1), fc.boolean()).map(([feature, row, flip]): Condition => {
      const v = values.get(feature)![row];
      if (typeof v === 'boolean') return { feature, op: '=', value: flip ? v : !v, label: feature };
      if (typeof v === 'string') return { feature, op: flip ? '=' : '!=', value: v, label: feature };
      return { feature, op: flip ? '>=' : '<', value: v === null ? 0 : Number(v), label: feature };
    });
    await fc.assert(
      fc.asyncProperty(fc.array(condition, { minLength: 1, maxLength: 3 }), async (conditions) => {
        const features = Object.fromEntries(conditions.map((c) => [c.feature, { label: c.feature, definition: '', meaning: meanings[c.feature], distribution: null }]));
        const v = { rule: { text: '', conditions }, features };
        const inDuck = await duckUsers(db, ruleQuery(v, frame('duckdb')));
        const inPg = await pgUsers(client, ruleQuery(v, frame('postgres')));
        expect(inPg).toEqual(inDuck);
      }),
      { numRuns: 15, seed: 8 },
    );
  }, 300_000);

  it('every dialect renders every meaning kind', () => {
    const meanings = docs.segments.model.meanings!;
    for (const dialect of SQL_DIALECTS) {
      const sql = featuresQuery(Object.entries(meanings).map(([name, meaning]) => ({ name, meaning })), { ops: opsFor(dialect), tables: WAREHOUSE_TABLES, windowDays: 90, asOf: '2026-10-31 00:00:00.000000' });
      expect(sql.length).toBeGreaterThan(1000);
    }
  });
});
