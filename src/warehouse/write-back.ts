/**
 * `--write-assignments TABLE`: every user's segment written into the warehouse, so a dashboard
 * or a reverse-ETL job can join on it without a file in between.
 *
 * The model is pushed down (pushdown.ts): one `INSERT … SELECT` that PostgreSQL runs over the
 * features the run was fitted on, kept in a temporary table of the run's own connection
 * (features.ts), so no user row comes back here. The rows are
 * assignments.csv's (user_id, segment, segment_name, distance, confidence), users without events
 * in the window as segment -1. Everything happens in one transaction — drop the old table,
 * create, fill, check the row count, commit — so readers see the old table or the new one and a
 * failure leaves no partial table. A table of that name that segmint did not write is never
 * replaced.
 */
import type { WarehouseInput } from '../config/types.js';
import { warehouseErrors } from '../core/messages.js';
import type { Analysis } from '../run/documents.js';
import { quotedTable } from './catalog.js';
import type { Warehouse } from './connection.js';
import { EVENTS_TEMP } from './events.js';
import { FEATURES_TEMP } from './features.js';
import { writeBackErrors } from './messages.js';
import { ident, literal } from './pgsql.js';
import { ASSIGNMENT_COLUMNS, modelCtes, noEventsSelect } from './pushdown.js';
import { takeSession } from './session.js';
import { USERS_TEMP } from './tables.js';

/** The comment segmint puts on tables it writes: only those may be replaced. */
const MARKER = 'segmint assignments';

type Fitted = Pick<Analysis, 'features' | 'transform' | 'reduce' | 'cluster' | 'profiles'>;

/**
 * The whole statement: the kept features → model → assignments, plus the no-events group.
 * @example await wh.run(`INSERT INTO t ${assignmentsSql(analysis)}`);
 */
export function assignmentsSql(a: Fitted): string {
  const model = modelCtes(FEATURES_TEMP, {
    transform: a.transform.model,
    pca: a.reduce.model,
    kmeans: a.cluster.model,
    features: a.features.columns,
    names: a.profiles.map((p) => p.name),
  });
  const clustered = `SELECT ${ASSIGNMENT_COLUMNS.join(', ')} FROM assigned`;
  const noEvents = a.features.usersTable !== null ? ` UNION ALL ${noEventsSelect(USERS_TEMP, EVENTS_TEMP)}` : '';
  return `WITH ${model.join(', ')} ${clustered}${noEvents}`;
}

/**
 * Write the run's assignments into `input.writeAssignments`, computed in the warehouse over the
 * connection the run's features came from; the number of rows written.
 * @example await writeBack(config.inputs.warehouse!, analysis); // 5000
 */
export async function writeBack(input: WarehouseInput, a: Fitted): Promise<number> {
  const target = input.writeAssignments!;
  const wh = takeSession(a.features);
  // A bug, not a user's problem: only a warehouse run's features have a session held for them.
  if (wh === null) throw new Error('write-back: no warehouse connection holds the features of this run');
  const table = quotedTable(target);
  const expected = a.features.userIds.length + a.features.usersWithoutEvents.length;
  try {
    const sql = assignmentsSql(a);
    await checkWriteTarget(wh, target);
    await wh.run('BEGIN');
    try {
      // LLVM compiling the model's long expressions costs seconds and saves nothing on one row per user.
      await wh.run('SET LOCAL jit = off');
      await wh.run(`DROP TABLE IF EXISTS ${table}`);
      await wh.run(
        `CREATE TABLE ${table} (user_id TEXT NOT NULL PRIMARY KEY, segment INTEGER NOT NULL, segment_name TEXT NOT NULL, distance DOUBLE PRECISION, confidence DOUBLE PRECISION)`,
      );
      await wh.run(`COMMENT ON TABLE ${table} IS ${literal(MARKER)}`);
      const written = await wh.run(`INSERT INTO ${table} (${ASSIGNMENT_COLUMNS.map(ident).join(', ')}) ${sql}`);
      if (written !== expected) throw new Error(`write-back: the warehouse computed ${written} assignments for the run's ${expected} users`);
      await wh.run('COMMIT');
      return written;
    } catch (e) {
      await wh.run('ROLLBACK').catch(() => {});
      throw e;
    }
  } finally {
    await wh.close();
  }
}

/**
 * Check, before any work (first thing in a warehouse run, and again before writing), that the
 * target can be written: its schema exists and may be created in, and a table already there was
 * written by segmint (marked with a table comment) and may be dropped by this user.
 */
export async function checkWriteTarget(wh: Warehouse, target: readonly string[]): Promise<void> {
  const name = target.join('.');
  const schema = target.length > 1 ? target[target.length - 2] : null;
  const [ns] = await wh.query<{ name: string | null; usage: boolean | null; can_create: boolean | null }>(
    `SELECT n.nspname AS name, has_schema_privilege(n.oid, 'USAGE') AS usage, has_schema_privilege(n.oid, 'CREATE') AS can_create ` +
      `FROM (SELECT ${schema === null ? 'current_schema()' : '$1::text'} AS s) w LEFT JOIN pg_namespace n ON n.nspname = w.s`,
    schema === null ? [] : [schema],
  );
  if (!ns || ns.name === null) throw writeBackErrors.schemaMissing(name, schema, wh.url);
  if (!ns.usage) throw writeBackErrors.writeDenied(name, wh.url, `no USAGE on schema ${ns.name}`);
  if (!ns.can_create) throw writeBackErrors.writeDenied(name, wh.url, `no CREATE on schema ${ns.name}`);
  const [existing] = await wh.query<{ comment: string | null; owner: boolean }>(
    `SELECT obj_description(c.oid, 'pg_class') AS comment, pg_has_role(c.relowner, 'USAGE') AS owner FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [quotedTable(target)],
  );
  if (!existing) return;
  if (existing.comment !== MARKER) throw warehouseErrors.notOurTable(name, wh.url);
  if (!existing.owner) throw writeBackErrors.writeDenied(name, wh.url, `${name} belongs to another user, who alone may replace it`);
}
