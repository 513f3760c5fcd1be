/**
 * Warehouse URLs: `postgres://user@host:port/database[?sslmode=require]`. A password never rides
 * in the URL (it would land in shell history, process lists and the run's manifest) — neither as
 * `user:password@` nor as a query parameter (`?password=`, `?passfile=`, `?sslpassword=`, …): it
 * comes from SEGMINT_WAREHOUSE_PASSWORD, else PGPASSWORD, when connecting (and, as libpq does,
 * from ~/.pgpass or PGPASSFILE when neither is set: the pg driver reads that file itself).
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

/**
 * Query parameters that carry a secret or point at one: libpq's `password`, `passfile`,
 * `sslpassword`, `sslkey`, and anything else named like a password, key, token or secret.
 */
const CREDENTIAL_PARAM = /pass|pwd|secret|token|key|credential/i;

const decodeName = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * The URL with everything from the first credential's value on (the rest of the query and any
 * fragment) as `***`: a password holding `&` or `#` would otherwise show its tail.
 */
function maskQueryCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const param = /([?&])([^=&#]*)=/g;
  param.lastIndex = q;
  for (let m = param.exec(url); m !== null; m = param.exec(url)) {
    if (CREDENTIAL_PARAM.test(decodeName(m[2]))) return `${url.slice(0, m.index + m[0].length)}***`;
  }
  return url;
}

/**
 * The URL with any password — `user:password@` or a credential in the query string — replaced by
 * `***` (for messages; never the real one).
 * @example redactUrl('postgres://u@h/db?sslmode=require&password=x'); // 'postgres://u@h/db?sslmode=require&password=***'
 */
export function redactUrl(url: string): string {
  let shown: string;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    shown = u.toString();
  } catch {
    shown = url.replace(/\/\/([^:/@?#]*):[^@/?#]*@/, '//$1:***@');
  }
  return maskQueryCredentials(shown);
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
  if (u.password || maskQueryCredentials(url) !== url) throw warehouseErrors.passwordInUrl(redactUrl(url));
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

/**
 * Which database a URL names, without user or credentials: lower-case host, port (5432 when
 * absent) and database. Never throws (a run's recorded URL is read back with it); a URL that
 * does not parse is kept whole, credentials masked.
 * @example warehouseLocation('postgres://segmint@DB:5432/analytics?sslmode=require'); // { host: 'db', port: 5432, database: 'analytics' }
 */
export function warehouseLocation(url: string): { readonly host: string; readonly port: number; readonly database: string } | { readonly url: string } {
  try {
    const u = new URL(url);
    return {
      host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')).toLowerCase(),
      port: u.port ? Number(u.port) : 5432,
      database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : '',
    };
  } catch {
    return { url: redactUrl(url) };
  }
}

/** The password to connect with, from the environment only. */
export function warehousePassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SEGMINT_WAREHOUSE_PASSWORD ?? env.PGPASSWORD ?? undefined;
}
