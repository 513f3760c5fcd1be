/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a fresh temp folder, `pg_ctl start` on
 * 127.0.0.1 at a free port with trust auth, and `pg_ctl stop` + removal afterwards. One cluster
 * per test file (starting takes a second or two).
 *
 * @example
 * const pg = usePostgres();           // registers beforeAll / afterAll
 * it('…', async () => {
 *   const client = await pg.connect(); // ended automatically in afterAll
 *   await client.query('SELECT 1');
 * });
 *
 * PostgreSQL must be installed (Debian's `postgresql`; `.ci/run` installs it). If it is not,
 * `beforeAll` fails with a message saying so: these tests never skip silently.
 * `SEGMINT_PG_BINDIR` points at a folder holding `initdb` and `pg_ctl` when they are elsewhere.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import type { Db } from '../../src/core/duckdb.js';
import { afterAll, beforeAll } from 'vitest';

export interface PostgresCluster {
  /** Connection settings for `new pg.Client(config)` / `new pg.Pool(config)`. */
  readonly config: Readonly<pg.ClientConfig> & { readonly host: string; readonly port: number; readonly user: string; readonly database: string };
  /** The folder holding `initdb` and `pg_ctl` that was used. */
  readonly binDir: string;
  /** `initdb`'s version line, e.g. `initdb (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`. */
  readonly version: string;
  /** A connected client; the caller ends it (or `usePostgres` does). */
  connect(): Promise<pg.Client>;
  /** Stop the server and remove its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Bounds on every wait: nothing here loops forever. */
const START_TIMEOUT_S = 60;
const READY_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

/**
 * Find `initdb` and `pg_ctl` in one folder: `SEGMINT_PG_BINDIR`, then PATH, then Debian's
 * `/usr/lib/postgresql/<version>/bin` (newest first). Throws a plain explanation when none has both.
 */
export function findPostgresBinDir(): string {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const fromEnv = process.env.SEGMINT_PG_BINDIR;
  if (fromEnv) {
    if (has(fromEnv)) return fromEnv;
    throw new Error(`SEGMINT_PG_BINDIR=${fromEnv} holds no initdb and pg_ctl`);
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && has(dir)) return dir;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  throw new Error(
    'PostgreSQL is not installed: no folder with both initdb and pg_ctl on PATH or in /usr/lib/postgresql/<version>/bin. ' +
      'Install it (Debian: apt-get install --no-install-recommends postgresql; .ci/run does this) or set SEGMINT_PG_BINDIR.',
  );
}

/** The uid/gid of the `postgres` OS user, when we are root (initdb refuses to run as root). */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres OS user to run initdb as (initdb refuses root); install Debian\'s postgresql package, which creates it');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Run a PostgreSQL program (as the postgres user when we are root); rejects with its output. */
function run(file: string, args: readonly string[], as: { uid: number; gid: number } | null, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd,
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(as ?? {}),
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${out.trim()}`))));
  });
}

/** A port nothing listens on right now (bind port 0, read it, release it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last lines of the server log, for failure messages. */
function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Start a throwaway cluster. Its folder (data, socket, log) is a fresh temp folder owned by the
 * server's user; `stop()` stops the server and removes the folder, and a process exit does the
 * same if `stop()` was never reached.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const binDir = findPostgresBinDir();
  const as = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'segmint-pg-'));
  if (as) chownSync(root, as.uid, as.gid);
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const pgCtl = join(binDir, 'pg_ctl');
  let started = false;

  const stopSync = () => {
    if (started) {
      try {
        execFileSync(pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], { stdio: 'ignore', cwd: root, ...(as ?? {}) });
      } catch {
        // Already stopped, or it will find its folder gone; nothing else to do at exit.
      }
      started = false;
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  try {
    const version = (await run(join(binDir, 'initdb'), ['--version'], as, root)).trim();
    await run(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth=trust', '--no-sync'], as, root);
    // Loopback only, a private socket folder, and no durability: this cluster lives for one file.
    const settings = (port: number) =>
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${root}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 20',
        "timezone = 'UTC'",
        '',
      ].join('\n');

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // postgresql.auto.conf is read last, so a retry's port overrides the previous one.
      appendFileSync(join(data, 'postgresql.auto.conf'), settings(port));
      try {
        await run(pgCtl, ['-D', data, '-l', log, '-w', '-t', String(START_TIMEOUT_S), 'start'], as, root);
        started = true;
        break;
      } catch (e) {
        // Another process may have taken the port between probing and binding: try another.
        if (attempt >= PORT_ATTEMPTS) throw new Error(`${(e as Error).message}\nserver log:\n${logTail(log)}`);
      }
    }

    const config = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 10_000 };
    const connect = async () => {
      const client = new pg.Client(config);
      await client.connect();
      return client;
    };
    // pg_ctl -w waits for the server to accept connections; check once more over TCP, bounded.
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      try {
        const client = await connect();
        await client.end();
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL started but does not accept connections on 127.0.0.1:${port}: ${(e as Error).message}\nserver log:\n${logTail(log)}`);
        await sleep(100);
      }
    }

    return {
      config,
      binDir,
      version,
      connect,
      async stop() {
        process.removeListener('exit', stopSync);
        if (started) {
          started = false;
          await run(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], as, root).catch(() =>
            run(pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], as, root),
          );
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw e;
  }
}

export interface PostgresHandle {
  /** The running cluster (only inside tests, after beforeAll). */
  readonly cluster: PostgresCluster;
  /** A connected client, ended in afterAll. */
  connect(): Promise<pg.Client>;
}

/**
 * Start a cluster in `beforeAll` and stop it in `afterAll` (ending every client `connect` gave
 * out first). Call at the top of a test file or inside a `describe`.
 */
export function usePostgres(): PostgresHandle {
  let cluster: PostgresCluster | null = null;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    cluster = await startPostgres();
  }, (START_TIMEOUT_S + 60) * 1000);
  afterAll(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.end()));
    await cluster?.stop();
    cluster = null;
  });
  const started = () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not running (use it inside tests, after beforeAll)');
    return cluster;
  };
  return {
    get cluster() {
      return started();
    },
    async connect() {
      const client = await started().connect();
      clients.push(client);
      return client;
    },
  };
}

const PG_TYPES: Readonly<Record<string, string>> = { VARCHAR: 'text', DATE: 'date', BOOLEAN: 'boolean', DOUBLE: 'double precision', BIGINT: 'bigint', TIMESTAMP: 'timestamp' };

/**
 * Copies a DuckDB table into PostgreSQL as `target` (column types mapped, rows sent as text
 * arrays through unnest in batches of 50,000), for tests that compare the two engines.
 */
export async function copyTableToPostgres(db: Db, client: pg.Client, table: string, target = table): Promise<void> {
  const cols = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`);
  const types = cols.map((c) => PG_TYPES[c.column_type] ?? 'text');
  await client.query(`CREATE TABLE ${target} (${cols.map((c, i) => `"${c.column_name}" ${types[i]}`).join(', ')})`);
  const data = await db.columns(`SELECT ${cols.map((c) => `CAST("${c.column_name}" AS VARCHAR) AS "${c.column_name}"`).join(', ')} FROM ${table}`);
  const columns = cols.map((c) => (data.get(c.column_name) ?? []) as (string | null)[]);
  const n = columns[0].length;
  for (let from = 0; from < n; from += 50_000) {
    const params = columns.map((values) => values.slice(from, from + 50_000));
    const select = cols.map((_, i) => `CAST(c${i} AS ${types[i]})`).join(', ');
    const unnest = cols.map((_, i) => `$${i + 1}::text[]`).join(', ');
    await client.query(`INSERT INTO ${target} SELECT ${select} FROM unnest(${unnest}) AS t(${cols.map((_, i) => `c${i}`).join(', ')})`, params);
  }
}
