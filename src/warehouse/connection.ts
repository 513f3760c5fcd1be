/**
 * One connection to the warehouse for the length of a run's front (ingest and features), so the
 * temporary tables it creates are seen by every later query and vanish with it. PostgreSQL
 * through `pg`; large results are read through a server-side cursor (`pg-cursor`) in batches,
 * never all at once.
 *
 * Every driver error becomes one line from the catalog: the server cannot be reached, the login
 * is refused or needs a password none was given, the server does not accept SSL, a table is
 * missing, a permission is missing (to read a table, or to create the run's temporary tables),
 * or a query failed (with the server's own one-line reason).
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { isSegmintError, type SegmintError } from '../core/errors.js';
import { warehouseErrors } from '../core/messages.js';
import { parseWarehouseUrl, redactUrl, warehousePassword } from './url.js';

export interface Warehouse {
  /** The URL as shown in messages (no password). */
  readonly url: string;
  /** Rows as objects. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Rows as arrays (columns in the SELECT's order), `batch` at a time through a cursor. */
  stream(sql: string, batch: number, onRows: (rows: readonly unknown[][]) => void): Promise<void>;
  /** A statement run for its effect (DDL, INSERT); the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * From now on, an idle connection does not keep the process alive: a connection held open
   * across the clustering (for `--write-assignments`) must not hang a run that fails meanwhile.
   */
  unrefWhenIdle(): void;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * @example
 * const wh = await connectWarehouse('postgres://segmint@127.0.0.1:5432/analytics');
 * try { await wh.query('SELECT 1'); } finally { await wh.close(); }
 */
export async function connectWarehouse(url: string): Promise<Warehouse> {
  const shown = redactUrl(url);
  const target = parseWarehouseUrl(url);
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    ...(target.user ? { user: target.user } : {}),
    ...(target.database ? { database: target.database } : {}),
    password: warehousePassword(),
    ssl: target.ssl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'segmint',
  });
  // A connection the server drops between queries must not crash the process; the next query
  // then fails and says why.
  client.on('error', () => {});
  try {
    await client.connect();
    // Times without a zone are UTC everywhere in segmint, whatever the server's default.
    await client.query("SET TIME ZONE 'UTC'");
  } catch (e) {
    await client.end().catch(() => {});
    throw warehouseError(e, shown);
  }
  const fail = (e: unknown): never => {
    throw warehouseError(e, shown);
  };
  // pg keeps its socket on `connection.stream` (a net.Socket); ref'd only while a query runs
  // once unrefWhenIdle() was called.
  const socket = (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
  let unrefIdle = false;
  const busy = async <T>(work: () => Promise<T>): Promise<T> => {
    if (unrefIdle) socket?.ref?.();
    try {
      return await work();
    } catch (e) {
      return fail(e);
    } finally {
      if (unrefIdle) socket?.unref?.();
    }
  };
  return {
    url: shown,
    query<T>(sql: string, params?: readonly unknown[]) {
      return busy(async () => (await client.query(sql, params ? [...params] : undefined)).rows as T[]);
    },
    run(sql, params) {
      return busy(async () => (await client.query(sql, params ? [...params] : undefined)).rowCount ?? 0);
    },
    unrefWhenIdle() {
      unrefIdle = true;
      socket?.unref?.();
    },
    stream: (sql, batch, onRows) => busy(() => streamRows(client, sql, batch, onRows)),
    async close() {
      socket?.ref?.();
      await client.end().catch(() => {});
    },
  };
}

/** Rows as arrays, `batch` at a time through a server-side cursor. */
async function streamRows(client: pg.Client, sql: string, batch: number, onRows: (rows: readonly unknown[][]) => void): Promise<void> {
  const cursor = client.query(new Cursor(sql, [], { rowMode: 'array' }));
  try {
    // Bounded: each read returns at most `batch` rows and an empty read ends the result.
    for (;;) {
      const rows = (await cursor.read(batch)) as unknown[][];
      if (rows.length === 0) break;
      onRows(rows);
    }
  } finally {
    await cursor.close().catch(() => {});
  }
}

interface DriverError {
  readonly code?: string;
  readonly message?: string;
  readonly table?: string;
}

/** A driver or server error as one catalog line (a SegmintError passes through). */
export function warehouseError(e: unknown, url: string): SegmintError {
  if (isSegmintError(e)) return e;
  const err = (e ?? {}) as DriverError;
  const message = String(err.message ?? e).split('\n')[0];
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return warehouseErrors.unreachable(url, describeNetwork(err.code, message));
    case '28P01': // invalid_password
    case '28000': // invalid_authorization_specification
    case '3D000': // invalid_catalog_name: the database does not exist
      return warehouseErrors.authentication(url, message);
    case '42P01': // undefined_table
      return warehouseErrors.tableMissing(err.table ?? message, url);
    case '42501': // insufficient_privilege
      if (/temporary tables/i.test(message)) return warehouseErrors.tempDenied(url, /database "((?:[^"]|"")*)"/.exec(message)?.[1] ?? 'analytics', loginOf(url), message);
      return warehouseErrors.permissionDenied(err.table ?? 'a table', url, message);
    default:
      // The driver's own errors carry no code: a login that needs a password none was given for
      // (SCRAM; pg says "client password must be a string"), and sslmode=require to a server without SSL.
      if (err.code === undefined && /client password must be a string/i.test(message)) return warehouseErrors.passwordMissing(url);
      if (err.code === undefined && /does not support SSL/i.test(message)) return warehouseErrors.sslRefused(url);
      if (/timeout|terminated/i.test(message) && err.code === undefined) return warehouseErrors.unreachable(url, message);
      return warehouseErrors.queryFailed(url, message, err.code);
  }
}

/** The user a (shown) URL logs in as, for hints; `segmint` when it names none. */
function loginOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || 'segmint';
  } catch {
    return 'segmint';
  }
}

function describeNetwork(code: string, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return message;
  }
}
