/**
 * Warehouse runs that cannot start end in one line naming what is wrong — unreachable server,
 * missing table, missing column, no permission, a password in the URL — with no stack trace
 * and no run folder. And a run from the command line's flags works end to end.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import pgDriver from 'pg';
import { warehouseErrors } from '../../src/core/messages.js';
import { warehouseError } from '../../src/warehouse/connection.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePostgres } from '../helpers/postgres.js';
import { entries, runCli, tempDir } from '../helpers/cli.js';
import { loadSample } from './helpers.js';

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('segmint run --warehouse: errors and flags', () => {
  const postgres = usePostgres();
  let client: pg.Client;
  let url: (user?: string) => string;

  beforeAll(async () => {
    client = await postgres.connect();
    await loadSample(client);
    await client.query('CREATE TABLE analytics.no_time (user_id text, event text)');
    await client.query("INSERT INTO analytics.no_time VALUES ('u1', 'login')");
    // A role that may log in and see the schema, but read none of its tables.
    await client.query('CREATE ROLE outsider LOGIN');
    await client.query('GRANT USAGE ON SCHEMA analytics TO outsider');
    // A role that may read the tables but create none (PostgreSQL 15 grants no CREATE on public either).
    await client.query('CREATE ROLE reader LOGIN');
    await client.query('GRANT USAGE ON SCHEMA analytics TO reader');
    await client.query('GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO reader');
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    const { host, port, database } = postgres.cluster.config;
    url = (user = 'postgres') => `postgres://${user}@${host}:${port}/${database}`;
  }, 300_000);

  /** Runs the CLI; expects exit 1, one error line and nothing in the reports folder. */
  async function fails(args: string[], command: 'run' | 'validate' = 'run'): Promise<string> {
    const out = tempDir();
    const r = await runCli([command, ...args, '--out', join(out, 'reports'), '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(entries(join(out, 'reports')).filter((e) => !e.startsWith('.'))).toEqual([]);
    expect(entries(join(out, 'reports')).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    return lines[0];
  }

  it('an unreachable warehouse', async () => {
    const line = await fails(['--warehouse', `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, '--events-table', 'analytics.events']);
    expect(line).toMatch(/cannot reach the warehouse at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: connection refused/);
  });

  it('a table that does not exist', async () => {
    const line = await fails(['--warehouse', url(), '--events-table', 'analytics.nope']);
    expect(line).toContain('has no table analytics.nope');
  });

  it('a column that does not exist', async () => {
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.no_time'])).toContain('table analytics.no_time has no timestamp column');
    const line = await fails(['--warehouse', url(), '--config', join(tempDir(), 'none.yaml')]);
    expect(line).toContain('none.yaml');
  });

  it('a user without permission to read the table', async () => {
    const line = await fails(['--warehouse', url('outsider'), '--events-table', 'analytics.events']);
    expect(line).toContain('may not read analytics.events');
    expect(line).toContain('no SELECT on analytics.events');
  });

  it('a password in the URL, which it does not echo', async () => {
    const { host, port, database } = postgres.cluster.config;
    const line = await fails(['--warehouse', `postgres://postgres:hunter2@${host}:${port}/${database}`, '--events-table', 'analytics.events']);
    expect(line).toContain('holds a password');
    expect(line).not.toContain('hunter2');
  });

  it('a credential in the query string of the URL, refused before anything is written, its value never shown', async () => {
    const { host, port, database } = postgres.cluster.config;
    const base = `postgres://postgres@${host}:${port}/${database}`;
    for (const query of ['?password=hunter2', '?sslmode=disable&passfile=/home/u/hunter2.pgpass', '?sslpassword=hunter2', '?sslmode=disable&PassWord=hunter2&x#hunter2']) {
      for (const command of ['run', 'validate'] as const) {
        const line = await fails(['--warehouse', `${base}${query}`, '--events-table', 'analytics.events'], command);
        expect(line).toContain('holds a password or another credential');
        expect(line).toMatch(/(password|passfile|sslpassword|PassWord)=\*\*\*/);
        expect(line).not.toContain('hunter2');
      }
    }
    // The same from a config file.
    const dir = tempDir();
    const config = join(dir, 'wh.yaml');
    writeFileSync(config, `inputs:\n  warehouse:\n    url: ${base}?password=hunter2\n    events: analytics.events\n`);
    const line = await fails(['--config', config]);
    expect(line).toContain(`${base}?password=***`);
    expect(line).not.toContain('hunter2');
  });

  it('a login that needs a password, and none was given: says so and names the variable', async () => {
    // A role the server asks a SCRAM password of (the cluster trusts every other login).
    await client.query("CREATE ROLE needpw LOGIN PASSWORD 'pw-needed'");
    await client.query('GRANT USAGE ON SCHEMA analytics TO needpw');
    await client.query('GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO needpw');
    const [{ hba_file: hba }] = (await client.query<{ hba_file: string }>('SHOW hba_file')).rows;
    const lines = ['host all needpw 127.0.0.1/32 scram-sha-256', 'host all all 127.0.0.1/32 trust', 'local all all trust'];
    await client.query(`COPY (SELECT unnest(ARRAY[${lines.map((l) => `'${l}'`).join(', ')}])) TO '${hba.replace(/'/g, "''")}'`);
    await client.query('SELECT pg_reload_conf()');
    const { host, port, database } = postgres.cluster.config;
    // The reload is asynchronous: wait (bounded) until the server asks needpw for a password.
    for (let i = 0; i < 100; i++) {
      const probe = new pgDriver.Client({ host, port, database, user: 'needpw', connectionTimeoutMillis: 5000 });
      const trusted = await probe.connect().then(() => true, () => false);
      await probe.end().catch(() => {});
      if (!trusted) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const env = { SEGMINT_WAREHOUSE_PASSWORD: undefined, PGPASSWORD: undefined, PGPASSFILE: join(tempDir(), 'none') };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    try {
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      for (const command of ['run', 'validate'] as const) {
        const line = await fails(['--warehouse', url('needpw'), '--events-table', 'analytics.events'], command);
        expect(line).toContain(`the warehouse at ${url('needpw')} asks this login for a password, and none was given`);
        expect(line).toContain('set SEGMINT_WAREHOUSE_PASSWORD');
      }
      // With the password in the environment the same login gets in.
      process.env.SEGMINT_WAREHOUSE_PASSWORD = 'pw-needed';
      const ok = await runCli(['validate', '--warehouse', url('needpw'), '--events-table', 'analytics.events', '--out', join(tempDir(), 'reports'), '--quiet']);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }, 120_000);

  it('sslmode=require to a server without SSL: says the server does not accept SSL', async () => {
    expect((await client.query('SHOW ssl')).rows[0].ssl).toBe('off');
    for (const command of ['run', 'validate'] as const) {
      const line = await fails(['--warehouse', `${url()}?sslmode=require`, '--events-table', 'analytics.events'], command);
      expect(line).toContain(`the warehouse at ${url()}?sslmode=require does not accept SSL connections`);
      expect(line).toContain('drop sslmode from the URL');
    }
  });

  it('a user without TEMP on the database: told before the first pass, with the GRANT', async () => {
    await client.query('CREATE DATABASE notemp');
    await client.query('REVOKE TEMP ON DATABASE notemp FROM PUBLIC');
    await client.query('CREATE ROLE notemp_user LOGIN');
    const { host, port } = postgres.cluster.config;
    const other = new pgDriver.Client({ ...postgres.cluster.config, database: 'notemp' });
    await other.connect();
    try {
      await other.query("CREATE TABLE public.clicks AS SELECT 'x' || g AS user_id, 'click' AS event, TIMESTAMP '2024-05-01' + g * INTERVAL '1 hour' AS ts FROM generate_series(1, 500) g");
      await other.query('GRANT SELECT ON public.clicks TO notemp_user');
    } finally {
      await other.end();
    }
    const noTemp = `postgres://notemp_user@${host}:${port}/notemp`;
    for (const command of ['run', 'validate'] as const) {
      const line = await fails(['--warehouse', noTemp, '--events-table', 'public.clicks'], command);
      expect(line).toContain(`the warehouse user may not create temporary tables at ${noTemp}: no TEMP on database notemp`);
      expect(line).toContain('GRANT TEMP ON DATABASE notemp TO notemp_user');
    }
    // The server's own refusal, should a temporary table be refused later, reads the same way.
    const e = warehouseError({ code: '42501', message: 'permission denied to create temporary tables in database "notemp"' }, noTemp);
    expect(e.message).toBe(warehouseErrors.tempDenied(noTemp, 'notemp', 'notemp_user', 'permission denied to create temporary tables in database "notemp"').message);
    expect(e.hint).toContain('GRANT TEMP ON DATABASE notemp TO notemp_user');
  }, 120_000);

  it('a query the server refuses: a value it could not convert is told apart from the rest', () => {
    const at = 'postgres://segmint@127.0.0.1:5432/analytics';
    const data = warehouseError({ code: '22008', message: 'date/time field value out of range: "2026-02-30"' }, at);
    expect(data.message).toBe(`the warehouse at ${at} could not run segmint's query: date/time field value out of range: "2026-02-30"`);
    expect(data.hint).toContain('a value in one of the tables could not be converted');
    expect(data.hint).not.toMatch(/ISO 8601/);
    const other = warehouseError({ code: '42883', message: 'function pg_catalog.btrim(integer[]) does not exist' }, at);
    expect(other.hint).toContain('check the tables hold what segmint expects');
    expect(other.hint).not.toContain('could not be converted');
  });

  it('a table name with three parts or SQL in it is refused up front, with a hint to quote', async () => {
    for (const name of ['odd.schema.events', 'analytics.ev; DROP TABLE analytics.users', "analytics.events'--"]) {
      for (const command of ['run', 'validate'] as const) {
        const line = await fails(['--warehouse', url(), '--events-table', name], command);
        expect(line).toContain('--events-table must be a table name like analytics.events');
        expect(line).toContain('double-quote a part holding a dot, a space or a ;, as in "my.schema".events');
      }
    }
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.events', '--users-table', 'a.b.users'])).toContain('--users-table must be a table name');
    // Quoted, the same characters name a table (here one that does not exist).
    expect(await fails(['--warehouse', url(), '--events-table', '"odd.schema".events'])).toContain('has no table odd.schema.events');
  });

  it('a table flag without a warehouse, and files with a warehouse', async () => {
    expect(await fails(['--events-table', 'analytics.events'])).toContain('--events-table names a warehouse table, but no warehouse was given');
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.events', '--events', 'x.csv'])).toContain('either files');
  });

  it('runs from the command line flags, and refuses to replace a table it did not write', async () => {
    const out = join(tempDir(), 'reports');
    const args = ['run', '--warehouse', url(), '--events-table', 'analytics.events', '--users-table', 'analytics.users', '--accounts-table', 'analytics.accounts', '--k', '4', '--out', out, '--quiet'];
    const r = await runCli([...args, '--write-assignments', 'analytics.segments']);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/k = 4/);
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM analytics.segments')).rows;
    expect(Number(n)).toBeGreaterThan(1000);
    // Written by segmint: replaced on the next run. Someone else's table: left alone.
    expect((await runCli([...args, '--write-assignments', 'analytics.segments'])).code).toBe(0);
    // Refused before any of the work: nothing was computed for a run that could not be written.
    const line = await fails(args.slice(1, -3).concat(['--write-assignments', 'analytics.users']));
    expect(line).toContain('analytics.users already exists');
    expect((await client.query('SELECT count(*) FROM analytics.users')).rows[0].count).not.toBe('0');
  }, 300_000);

  /** The segmint-written tables in the database (a refused write-back must leave none). */
  const written = async () =>
    (await client.query<{ name: string }>("SELECT c.oid::regclass::text AS name FROM pg_class c WHERE obj_description(c.oid, 'pg_class') = 'segmint assignments' ORDER BY 1")).rows.map((r) => r.name);

  it('the same four failures with --write-assignments: one line each, no run folder, no table', async () => {
    const before = await written();
    const write = ['--write-assignments', 'analytics.failed_run'];
    expect(await fails(['--warehouse', `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, '--events-table', 'analytics.events', ...write])).toMatch(/cannot reach the warehouse .*connection refused/);
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.nope', ...write])).toContain('has no table analytics.nope');
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.no_time', ...write])).toContain('table analytics.no_time has no timestamp column');
    // outsider may neither read the events nor create the table: told before any work.
    expect(await fails(['--warehouse', url('outsider'), '--events-table', 'analytics.events', ...write])).toMatch(/may not (read|write) analytics\./);
    expect(await written()).toEqual(before);
  });

  it('a write-back target that cannot be written, refused before any work', async () => {
    const read = ['--warehouse', url('reader'), '--events-table', 'analytics.events'];
    expect(await fails([...read, '--write-assignments', 'analytics.out'])).toContain('may not write analytics.out at');
    expect(await fails([...read, '--write-assignments', 'analytics.out'])).toContain('no CREATE on schema analytics');
    expect(await fails([...read, '--write-assignments', 'out'])).toContain('no CREATE on schema public');
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.events', '--write-assignments', 'nowhere.out'])).toContain('has no schema nowhere to create nowhere.out in');
  });

  it('validate --warehouse: connection, tables, columns and the accounting, without clustering', async () => {
    const out = tempDir();
    const r = await runCli(['validate', '--warehouse', url(), '--events-table', 'analytics.events', '--users-table', 'analytics.users', '--write-assignments', 'analytics.validated', '--out', join(out, 'reports'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`columns: user_id <- user_id, event <- event, timestamp <- timestamp (timestamp, in ${url()})`);
    expect(r.stdout).toContain('write-back: analytics.validated may be written');
    expect(r.stdout).toMatch(/events\s+397180\s+\d+/);
    expect(r.stdout).toMatch(/users\s+5000\s+5000/);
    // Nothing written: no run folder, no table, no temporary table left (the connection is closed).
    expect(entries(join(out, 'reports')).filter((e) => !e.startsWith('.'))).toEqual([]);
    expect((await client.query("SELECT to_regclass('analytics.validated') AS t")).rows[0].t).toBeNull();
    // And its failures are the run's lines.
    expect(await fails(['--warehouse', url(), '--events-table', 'analytics.nope'], 'validate')).toContain('has no table analytics.nope');
    expect(await fails(['--warehouse', url('outsider'), '--events-table', 'analytics.events'], 'validate')).toContain('no SELECT on analytics.events');
    expect(await fails(['--warehouse', url('reader'), '--events-table', 'analytics.events', '--write-assignments', 'analytics.out'], 'validate')).toContain('no CREATE on schema analytics');
  }, 120_000);

  it('too few users for k: validate and run refuse with the same line, counted in the warehouse before any features', async () => {
    // The sample's users with an event in the default window, counted here independently.
    const { rows } = await client.query(
      "SELECT count(DISTINCT user_id) AS n FROM analytics.events WHERE timestamp >= (SELECT max(timestamp) FROM analytics.events) - interval '90 days'",
    );
    const users = Number(rows[0].n);
    const k = Math.floor(users / 20) + 1;
    const expected = `only ${users} user(s) to segment: ${k} segments of at least 20 users (cluster.min_size) need ${k * 20}`;
    for (const command of ['validate', 'run'] as const) {
      expect(await fails(['--warehouse', url(), '--events-table', 'analytics.events', '--k', String(k)], command)).toContain(expected);
    }
    // One fewer segment fits, and validate says the configuration is fine.
    const ok = await runCli(['validate', '--warehouse', url(), '--events-table', 'analytics.events', '--k', String(k - 1), '--out', join(tempDir(), 'reports'), '--quiet']);
    expect(ok.code).toBe(0);
  }, 120_000);
});
