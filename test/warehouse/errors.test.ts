/**
 * Warehouse runs that cannot start end in one line naming what is wrong — unreachable server,
 * missing table, missing column, no permission, a password in the URL — with no stack trace
 * and no run folder. And a run from the command line's flags works end to end.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
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
    const { host, port, database } = postgres.cluster.config;
    url = (user = 'postgres') => `postgres://${user}@${host}:${port}/${database}`;
  }, 300_000);

  /** Runs the CLI; expects exit 1, one error line and nothing in the reports folder. */
  async function fails(args: string[]): Promise<string> {
    const out = tempDir();
    const r = await runCli(['run', ...args, '--out', join(out, 'reports'), '--quiet']);
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
});
