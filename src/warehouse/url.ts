/**
 * Warehouse URLs: `postgres://user@host:port/database[?sslmode=require]`. A password never rides
 * in the URL (it would land in shell history, process lists and the run's manifest): it comes
 * from SEGMINT_WAREHOUSE_PASSWORD, else PGPASSWORD, when connecting.
 */
import { warehouseErrors } from '../core/messages.js';

export interface WarehouseTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly database: string | undefined;
  readonly ssl: boolean;
}

const SCHEMES = ['postgres:', 'postgresql:'];

/** The URL with any password replaced by `***` (for messages; never the real one). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/**
 * Check a warehouse URL as given in the config or on the command line.
 * @example checkWarehouseUrl('postgres://segmint@db:5432/analytics'); // the same string
 */
export function checkWarehouseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw warehouseErrors.unsupportedUrl(redactUrl(url));
  }
  if (!SCHEMES.includes(u.protocol) || u.hostname === '') throw warehouseErrors.unsupportedUrl(redactUrl(url));
  if (u.password) throw warehouseErrors.passwordInUrl(redactUrl(url));
  return url;
}

/**
 * Where to connect.
 * @example parseWarehouseUrl('postgres://segmint@127.0.0.1:5433/analytics'); // { host: '127.0.0.1', port: 5433, user: 'segmint', database: 'analytics', ssl: false }
 */
export function parseWarehouseUrl(url: string): WarehouseTarget {
  const u = new URL(checkWarehouseUrl(url));
  const sslmode = u.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')),
    port: u.port ? Number(u.port) : 5432,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
    ssl: sslmode === 'require' || sslmode === 'verify-ca' || sslmode === 'verify-full',
  };
}

/** The password to connect with, from the environment only. */
export function warehousePassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SEGMINT_WAREHOUSE_PASSWORD ?? env.PGPASSWORD ?? undefined;
}
