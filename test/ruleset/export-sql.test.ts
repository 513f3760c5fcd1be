/**
 * `rules export --to sql`: the exported statement runs unchanged in DuckDB (in-process) and in
 * PostgreSQL (a real throwaway server) over the sample's raw tables, and both select exactly the
 * users `rules apply` selects — as of the latest event and as of a week earlier, and with a
 * far-future and a pre-1990 row added to the log (rows a run rejects). A property test
 * then draws random rules over every feature of the sample (thresholds taken from real users'
 * values, so ties are hit) and requires the two engines to agree.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/core/duckdb.js';
import type { FeatureMeaning } from '../../src/core/meaning.js';
import { WAREHOUSE_TABLES, featuresQuery } from '../../src/ruleset/definitions.js';
import { opsFor, SQL_DIALECTS } from '../../src/ruleset/dialect.js';
import { segmentSelect, warehouseTables } from '../../src/ruleset/export/sql.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
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
/** `YYYY-MM-DD HH:MM:SS` (UTC) of a time `hours` from now. */
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

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

  it('leaves out rows a run rejects for their time: a far-future and a pre-1990 row change no segment, as in rules apply', async () => {
    // A device clock five years ahead, and a placeholder date: the run rejects both (ts_future,
    // ts_old); as the latest row the first made E five years from now in the SQL alone.
    const rows = [
      ['e999999998', 'u02722', 'login', hoursFromNow(5 * 365 * 24)],
      ['e999999999', 'u03158', 'query_run', '1989-12-31 23:59:59'],
    ];
    const events = join(dir, 'events-dirty.csv');
    const csv = rows.map(([id, user, event, ts]) => `${id},${user},${event},${ts.replace(' ', 'T')}Z`).join('\n');
    writeFileSync(events, `${gunzipSync(readFileSync(join(SAMPLE, 'events.csv.gz'))).toString('utf8')}${csv}\n`);
    const values = rows.map(([, user, event, ts]) => `('${user}', '${event}', TIMESTAMP '${ts}')`).join(', ');
    await db.run('CREATE TABLE events_dirty AS SELECT * FROM events');
    await db.run(`INSERT INTO events_dirty VALUES ${values}`);
    await client.query('CREATE TABLE events_dirty AS SELECT * FROM events');
    await client.query(`INSERT INTO events_dirty VALUES ${values}`);

    const applied = join(dir, 'apply-dirty');
    const inputs = SAMPLE_INPUTS.map((a) => (a.endsWith('events.csv.gz') ? events : a));
    expect((await runCli(['rules', 'apply', '--ruleset', ruleset, ...inputs, '--out', applied, '--quiet'])).code).toBe(0);
    const members = membersByKey(join(applied, 'memberships.csv'));
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const r = await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', dialect, '--events-table', 'events_dirty', '--out', join(dir, `sql-${dialect}-dirty`)]);
      expect(r.code).toBe(0);
    }
    for (const { doc } of readRuleset(ruleset)) {
      const inDuck = await duckUsers(db, statement(join(dir, 'sql-duckdb-dirty', `${doc.key}.sql`)));
      const inPg = await pgUsers(client, statement(join(dir, 'sql-postgres-dirty', `${doc.key}.sql`)));
      const applyUsers = [...(members.get(doc.key) ?? [])].sort();
      expect(inDuck, doc.key).toEqual(applyUsers);
      expect(inPg, doc.key).toEqual(applyUsers);
      expect(inDuck.length, doc.key).toBe(doc.metrics.selected);
    }
  }, 120_000);

  it('takes the run\'s limits to the edge: from 1990-01-01 on, up to a day after the query runs, whatever the session\'s time zone', async () => {
    // A zone 14 hours ahead of UTC: a "now" read as local wall-clock time would keep the row 30
    // hours ahead and drop nothing more.
    const rows = [
      ['u1', '1989-12-31 23:59:59'], // ts_old
      ['u1', '1990-01-01 00:00:00'],
      ['u1', '1990-01-05 00:00:00'],
      ['u2', hoursFromNow(30)], // ts_future: over a day ahead
      ['u3', hoursFromNow(18)], // within a day: the run keeps it
    ];
    const values = rows.map(([user, ts]) => `('${user}', 'open', TIMESTAMP '${ts}')`).join(', ');
    const meanings = [
      { name: 'events', meaning: { kind: 'events' } as FeatureMeaning },
      { name: 'days_since_first_event', meaning: { kind: 'daysSinceFirstEvent' } as FeatureMeaning },
    ];
    const tables = warehouseTables({ events: 'events_edges' });
    const query = (dialect: 'duckdb' | 'postgres', asOf: string | null) => featuresQuery(meanings, { ops: opsFor(dialect), tables, windowDays: 30, asOf });
    const rowsOf = (found: Record<string, unknown>[]) => found.map((r) => [String(r.user_id), Number(r.events), Number(r.days_since_first_event)]);

    const duck = await openDb();
    try {
      await duck.run("SET TimeZone = 'Pacific/Kiritimati'");
      await duck.run('CREATE TABLE events_edges (user_id VARCHAR, event VARCHAR, "timestamp" TIMESTAMP)');
      await duck.run(`INSERT INTO events_edges VALUES ${values}`);
      await client.query('CREATE TABLE events_edges (user_id text, event text, "timestamp" timestamp)');
      await client.query(`INSERT INTO events_edges VALUES ${values}`);
      await client.query("SET TIME ZONE 'Pacific/Kiritimati'");
      for (const dialect of ['duckdb', 'postgres'] as const) {
        const run = async (asOf: string | null) =>
          rowsOf(dialect === 'duckdb' ? await duck.all(query(dialect, asOf)) : (await client.query(query(dialect, asOf))).rows);
        // As of 1990-01-10: the row a second before 1990 is not counted, the one at midnight is.
        expect(await run('1990-01-10 00:00:00.000000'), dialect).toEqual([['u1', 2, 9]]);
        // By default E is the row 18 hours ahead, not the one 30 hours ahead.
        expect(await run(null), dialect).toEqual([['u3', 1, 0]]);
      }
    } finally {
      await client.query('RESET TIME ZONE');
      duck.close();
    }
  });

  it('renders BigQuery, Snowflake and ClickHouse from the same definitions (--dialect takes each)', async () => {
    const expected = {
      bigquery: { table: '`analytics`.`events`', otherQuote: /"/, window: /TIMESTAMP_SUB\(as_of\.e, INTERVAL 90 DAY\)/ },
      snowflake: { table: '"analytics"."events"', otherQuote: /`/, window: /DATEADD\(day, -90, as_of\.e\)/ },
      clickhouse: { table: '`analytics`.`events`', otherQuote: /"/, window: /\(as_of\.e - INTERVAL 7776000 SECOND\)/ },
    } as const;
    // Rows a run rejects for their time, left out of E and of the window (both places).
    const plausible = {
      bigquery: " >= TIMESTAMP '1990-01-01 00:00:00.000000' AND x.`timestamp` <= TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)",
      snowflake: ` >= CAST('1990-01-01 00:00:00.000000' AS TIMESTAMP_NTZ) AND x."timestamp" <= DATEADD(day, 1, SYSDATE())`,
      clickhouse: " >= toDateTime64('1990-01-01 00:00:00.000000', 6, 'UTC') AND x.`timestamp` <= (now64(6, 'UTC') + INTERVAL 86400 SECOND)",
    } as const;
    for (const dialect of ['bigquery', 'snowflake', 'clickhouse'] as const) {
      const out = join(dir, `sql-${dialect}`);
      expect((await runCli(['rules', 'export', '--ruleset', ruleset, '--to', 'sql', '--dialect', dialect, '--events-table', 'analytics.events', '--out', out])).code).toBe(0);
      for (const { doc } of readRuleset(ruleset)) {
        const text = readFileSync(join(out, `${doc.key}.sql`), 'utf8');
        expect(text).toContain(expected[dialect].table);
        expect(statement(join(out, `${doc.key}.sql`))).not.toMatch(expected[dialect].otherQuote);
        expect(text).toMatch(expected[dialect].window);
        expect(text.split(plausible[dialect]).length - 1).toBe(2);
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

  it('reads the events and users columns by the names the ruleset\'s source recorded', async () => {
    // Outside check: a ruleset promoted from a job mapping distinct_id / event_type / event_time
    // still exported x."user_id", and PostgreSQL stopped at "column x.timestamp does not exist".
    const withNames = (doc: PromotedSegment): PromotedSegment => ({
      ...doc,
      source: {
        ...doc.source,
        events: { ...doc.source.events, columns: { userId: 'distinct_id', event: 'event_type', timestamp: 'event_time', eventId: null } },
        users: { key: 'uid', accountKey: 'org_id', exclude: [] },
        accounts: { key: 'org_id', exclude: [] },
      },
    });
    const renamed = async (run: (sql: string) => Promise<unknown>) => {
      await run('CREATE TABLE events_named AS SELECT user_id AS distinct_id, event AS event_type, "timestamp" AS event_time FROM events');
      await run('CREATE TABLE users_named AS SELECT * FROM users');
      await run('ALTER TABLE users_named RENAME COLUMN user_id TO uid');
      await run('ALTER TABLE users_named RENAME COLUMN account_id TO org_id');
      await run('CREATE TABLE accounts_named AS SELECT * FROM accounts');
      await run('ALTER TABLE accounts_named RENAME COLUMN account_id TO org_id');
    };
    await renamed((sql) => db.run(sql));
    await renamed((sql) => client.query(sql));
    const tables = { events: 'events_named', users: 'users_named', accounts: 'accounts_named' };
    const docs = readRuleset(ruleset).map((e) => e.doc);
    // The sample's rules read users-table attributes too, so the users' key is exercised.
    expect(docs.some((doc) => Object.values(doc.features).some((f) => f.meaning.kind === 'attributeAge' || f.meaning.kind === 'attribute'))).toBe(true);
    for (const doc of docs) {
      const expected = await duckUsers(db, segmentSelect(doc, 'duckdb', null, {}));
      expect(expected.length, doc.key).toBeGreaterThan(0);
      expect(await duckUsers(db, segmentSelect(withNames(doc), 'duckdb', null, tables)), doc.key).toEqual(expected);
      expect(await pgUsers(client, segmentSelect(withNames(doc), 'postgres', null, tables)), doc.key).toEqual(expected);
    }
  }, 120_000);
  it('computes the share of events on peak days alike in DuckDB and PostgreSQL', async () => {
    // One user a day for ten days but six on 06-05 (a sale day), as in test/stages/features.
    const rows = [
      ...['01', '02', '03', '04'].map((d) => ['u1', 'view', `2024-06-${d} 10:00:00`]),
      ...['06', '07', '08', '09', '10'].map((d) => ['u2', 'view', `2024-06-${d} 10:00:00`]),
      ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((u) => [u, 'buy', '2024-06-05 10:00:00']),
      ['u6', 'buy', '2024-06-05 12:00:00'],
    ];
    await db.run(`CREATE TABLE events_peak AS SELECT * FROM (VALUES ${rows.map((r) => `('${r[0]}', '${r[1]}', TIMESTAMP '${r[2]}')`).join(', ')}) t(user_id, event, "timestamp")`);
    await copyTableToPostgres(db, client, 'events_peak');
    const frame = (dialect: 'duckdb' | 'postgres') => ({ ops: opsFor(dialect), tables: warehouseTables({ events: 'events_peak' }), windowDays: 30, asOf: null });
    const peak = [{ name: 'peak_day_share', meaning: { kind: 'peakDayShare' } as FeatureMeaning }];
    const expected = [1 / 5, 1 / 6, 1, 1, 1, 1];
    expect((await db.all<{ peak_day_share: number }>(featuresQuery(peak, frame('duckdb')))).map((r) => r.peak_day_share)).toEqual(expected);
    const pgRows = (await client.query<{ peak_day_share: number }>(featuresQuery(peak, frame('postgres')))).rows;
    expect(pgRows.map((r) => Number(r.peak_day_share))).toEqual(expected);
  });
});
