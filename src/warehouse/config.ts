/**
 * The `inputs.warehouse` block of a pipeline YAML, and the `--warehouse` flags over it:
 *
 *   inputs:
 *     warehouse:
 *       url: postgres://segmint@db.internal:5432/analytics   # password: SEGMINT_WAREHOUSE_PASSWORD
 *       events: analytics.events                              # or { table, columns: { user_id, event, timestamp, event_id } }
 *       users: { table: analytics.users, key: auto, account_key: auto, exclude: [] }
 *       accounts: { table: analytics.accounts, key: auto, exclude: [name] }
 *       write_assignments: analytics.segmint_assignments      # optional
 */
import type { WarehouseInput } from '../config/types.js';
import type { PresetName } from '../core/presets.js';
import { join, type Obj, type Reader } from '../config/validate.js';
import { warehouseErrors } from '../core/messages.js';
import { checkWarehouseUrl } from './url.js';

/** Command-line flags of a warehouse run; they win over the file. */
export interface WarehouseOverrides {
  readonly url?: string;
  readonly eventsTable?: string;
  readonly usersTable?: string;
  readonly accountsTable?: string;
  readonly writeAssignments?: string;
}

/**
 * A table name as parts: `analytics.events` → ['analytics', 'events'], at most schema.table (or
 * `maxParts`: an exported statement may name database.schema.table, as BigQuery and Snowflake do); a
 * part may be double-quoted to hold a dot or other characters (`"my.schema".events`). Anything
 * else is no name (an empty list): three parts (`odd.schema.events`, a dotted schema left
 * unquoted, or another database's table), or an unquoted part holding a space, `;`, a quote, a
 * bracket or a comma (`analytics.ev; DROP …`), which reads as SQL rather than as a name.
 */
export function tableParts(name: string, maxParts = 2): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < name.length && (m = re.exec(name)) !== null) {
    if (m[2] !== undefined && UNQUOTED_ODD.test(m[2].trim())) return [];
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].trim());
    at = re.lastIndex;
    if (m[3] === '') break;
  }
  if (at !== name.length || parts.length === 0 || parts.length > maxParts || parts.some((p) => p === '')) return [];
  return parts;
}

/** Characters an unquoted part of a table name may not hold (quote the part to use them). */
const UNQUOTED_ODD = /[\s;'`\\()[\],=*:]/;

/** What a table name must look like, in config and flag errors. */
const TABLE_NAME = 'a table name like analytics.events (schema.table; double-quote a part holding a dot, a space or a ;, as in "my.schema".events)';

/** `inputs.warehouse` (absent ⇒ null unless `--warehouse` is given). */
export function readWarehouse(r: Reader, value: unknown, overrides: WarehouseOverrides, preset: PresetName | null = null): WarehouseInput | null {
  const path = 'inputs.warehouse';
  const o = r.object(value, path, ['url', 'events', 'users', 'accounts', 'write_assignments']);
  const url = overrides.url ?? (o.url === undefined ? null : r.string(o, path, 'url', ''));
  if (url === null) {
    if (Object.keys(o).length > 0) r.fail(join(path, 'url'), 'a warehouse URL like postgres://user@host:5432/database', o.url);
    const flag = overrides.eventsTable !== undefined ? 'events-table' : overrides.usersTable !== undefined ? 'users-table' : overrides.accountsTable !== undefined ? 'accounts-table' : overrides.writeAssignments !== undefined ? 'write-assignments' : null;
    if (flag) throw warehouseErrors.tableWithoutWarehouse(flag);
    return null;
  }
  checkWarehouseUrl(url);
  const table = (p: string, name: unknown): string[] => {
    const parts = typeof name === 'string' ? tableParts(name) : [];
    if (parts.length === 0) r.fail(p, TABLE_NAME, name);
    return parts;
  };
  const block = (key: string, allowed: readonly string[], override: string | undefined): { o: Obj; table: string[] } | null => {
    const raw = o[key];
    const obj = typeof raw === 'string' ? { table: raw } : r.object(raw, join(path, key), allowed);
    const name = override ?? obj.table;
    if (name === undefined) {
      if (Object.keys(obj).length > 0) r.fail(join(path, `${key}.table`), TABLE_NAME, undefined);
      return null;
    }
    return { o: obj, table: table(override !== undefined ? `--${key}-table` : join(path, `${key}.table`), name) };
  };

  const events = block('events', ['table', 'columns'], overrides.eventsTable);
  if (!events) r.fail(join(path, 'events'), 'the events table (--events-table analytics.events)', undefined);
  const cp = join(path, 'events.columns');
  const columns = r.object(events.o.columns, cp, ['user_id', 'event', 'timestamp', 'event_id']);
  const users = block('users', ['table', 'key', 'account_key', 'exclude'], overrides.usersTable);
  const accounts = block('accounts', ['table', 'key', 'exclude'], overrides.accountsTable);
  // Accounts reach users only through the users table's account column, as for files.
  if (accounts && !users) r.fail(join(path, 'users'), 'a users table beside the accounts table (accounts join users through their account column): --users-table', undefined);
  const write = overrides.writeAssignments ?? (o.write_assignments === undefined ? null : r.string(o, path, 'write_assignments', ''));
  return {
    url,
    events: {
      table: events.table,
      columns: {
        userId: r.stringOrAuto(columns, cp, 'user_id'),
        event: r.stringOrAuto(columns, cp, 'event'),
        timestamp: r.stringOrAuto(columns, cp, 'timestamp'),
        eventId: r.stringOrAuto(columns, cp, 'event_id'),
      },
      preset,
    },
    users: users && {
      table: users.table,
      key: r.stringOrAuto(users.o, join(path, 'users'), 'key'),
      accountKey: r.stringOrAuto(users.o, join(path, 'users'), 'account_key'),
      exclude: r.stringList(users.o, join(path, 'users'), 'exclude'),
    },
    accounts: accounts && {
      table: accounts.table,
      key: r.stringOrAuto(accounts.o, join(path, 'accounts'), 'key'),
      exclude: r.stringList(accounts.o, join(path, 'accounts'), 'exclude'),
    },
    writeAssignments: write === null ? null : table(overrides.writeAssignments !== undefined ? '--write-assignments' : join(path, 'write_assignments'), write),
  };
}
