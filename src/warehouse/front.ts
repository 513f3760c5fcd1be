/**
 * The warehouse front of a run: stages 1–2 (ingest, features) done in the warehouse, over one
 * connection whose temporary tables vanish with it. Everything after the feature table —
 * transform, reduce, cluster, profile, rules, report — is the file run's, unchanged.
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig, WarehouseInput } from '../config/types.js';
import type { RunContext } from '../core/context.js';
import type { Db } from '../core/duckdb.js';
import type { StageRunner } from '../core/stage.js';
import { warehouseErrors } from '../core/messages.js';
import { unsaidExclusions } from '../stages/ingest/attributes.js';
import { warnings } from '../core/warnings.js';
import { checkUserCount } from '../stages/cluster/index.js';
import type { FeatureTable } from '../stages/features/types.js';
import type { IngestResult, InputFingerprint } from '../stages/ingest/types.js';
import { connectWarehouse, type Warehouse } from './connection.js';
import { judgeWarehouseEvents } from './events.js';
import { warehouseFeatures, type WarehouseInputs } from './features.js';
import { loadAttributeTable, type WarehouseAttributeTable } from './tables.js';
import { holdSession } from './session.js';
import { checkWriteTarget } from './write-back.js';

export interface Front {
  readonly ingested: IngestResult;
  readonly features: FeatureTable;
}

/**
 * Ingest and features in the warehouse `config.inputs.warehouse` names.
 * @example const { ingested, features } = await fromWarehouse(db, config, ctx, stage);
 */
export async function fromWarehouse(db: Db, config: ResolvedConfig, ctx: RunContext, stage: StageRunner, now: Date = new Date()): Promise<Front> {
  const input = config.inputs.warehouse!;
  const wh = await connectWarehouse(input.url);
  // With --write-assignments the connection (and its temporary tables) stays open for the
  // model's pushdown after the clustering (session.ts); otherwise it closes here.
  let keep = false;
  try {
    if (input.writeAssignments) await checkWriteTarget(wh, input.writeAssignments);
    let inputs: WarehouseInputs | null = null;
    const ingested = await stage(
      'ingest',
      async () => {
        inputs = await ingestWarehouse(wh, input, config, now);
        return toIngestResult(wh, inputs, ctx);
      },
      (r) => `${(r.events?.rows ?? 0).toLocaleString('en-US')} events in window (in the warehouse)`,
    );
    // Too few users for k stops before the features are computed in the warehouse (as validate does).
    checkUserCount(inputs!.events.users, config.cluster);
    const m = ingested.events!.mapping;
    ctx.log.info(`columns   user_id <- ${m.userId}, event <- ${m.event}, timestamp <- ${m.timestamp} (${m.timestampFormat}, in ${wh.url})`);
    const features = await stage('features', () => warehouseFeatures(wh, db, inputs!, config, ctx), (f) => `${f.userIds.length.toLocaleString('en-US')} users × ${f.columns.length} features (from the warehouse)`);
    if (input.writeAssignments) {
      holdSession(features, wh);
      keep = true;
    }
    return { ingested, features };
  } finally {
    if (!keep) await wh.close();
  }
}

/**
 * `segmint validate --warehouse …`: connect, check the write target, find the tables and
 * columns and account for every row — the run's ingest, in the warehouse — without features
 * or clustering; the connection and its temporary tables are gone when it returns.
 * `users`: the users with an event in the window, counted in the same pass as the rows.
 * @example const { ingested, users } = await checkWarehouse(config, ctx); // ingested.accounting
 */
export async function checkWarehouse(config: ResolvedConfig, ctx: RunContext, now: Date = new Date()): Promise<{ ingested: IngestResult; users: number }> {
  const input = config.inputs.warehouse!;
  const wh = await connectWarehouse(input.url);
  try {
    if (input.writeAssignments) await checkWriteTarget(wh, input.writeAssignments);
    const inputs = await ingestWarehouse(wh, input, config, now);
    return { ingested: toIngestResult(wh, inputs, ctx), users: inputs.events.users };
  } finally {
    await wh.close();
  }
}

/** Judge the events and load the attribute tables into temporary tables (accounts first: users join to its key). */
export async function ingestWarehouse(wh: Warehouse, input: WarehouseInput, config: ResolvedConfig, now: Date): Promise<WarehouseInputs> {
  await checkTempPrivilege(wh);
  const events = await judgeWarehouseEvents(wh, input.events, config, now);
  const accounts = input.accounts ? await loadAttributeTable(wh, 'accounts', input.accounts, null) : null;
  const users = input.users ? await loadAttributeTable(wh, 'users', input.users, accounts?.key ?? null) : null;
  return { events, users, accounts };
}

/**
 * The run keeps its rows in temporary tables: a user without TEMP on the database is told so
 * before the first pass over the events, not after it.
 */
async function checkTempPrivilege(wh: Warehouse): Promise<void> {
  const [row] = await wh.query<{ db: string; usr: string; temp: boolean }>(
    "SELECT current_database() AS db, current_user AS usr, has_database_privilege(current_database(), 'TEMP') AS temp",
  );
  if (row && !row.temp) throw warehouseErrors.tempDenied(wh.url, row.db, row.usr, `no TEMP on database ${row.db}`);
}

/** The ingest stage's result for a warehouse run, with its warnings. */
function toIngestResult(wh: Warehouse, inputs: WarehouseInputs, ctx: RunContext): IngestResult {
  const { events, users, accounts } = inputs;
  const accounting = [events.accounting, ...(users ? [users.accounting] : []), ...(accounts ? [accounts.accounting] : [])];
  for (const a of accounting) {
    if (a.rejected > 0 && a.role === 'events') ctx.warn(warnings.rejectedRows(a.role, a.rejected, a.read, events.rejects[0]));
  }
  const ev = events.accounting;
  if (ev.duplicates > 0) ctx.warn(warnings.duplicateEvents(ev.duplicates, ev.read));
  if (ev.outOfWindow > 0) ctx.warn(warnings.outOfWindow(ev.outOfWindow, ev.read, events.window, ev.usersOutOfWindow));
  if ((ev.setAside ?? 0) > 0) ctx.warn(warnings.setAside(ev.setAside ?? 0, ev.read, events.setAside));
  for (const [role, words, t] of [['users', 'user id', users], ['accounts', 'account id', accounts]] as const) {
    if (t && t.duplicateKeys.count > 0) ctx.warn(warnings.duplicateKeys(t.duplicateKeys.count, role, words, t.duplicateKeys.example));
    if (t && t.unreadable.length > 0) ctx.warn(warnings.unreadableColumns(role, t.unreadable));
    const unsaid = t ? unsaidExclusions(t.excluded, new Set(t.unreadable.map((u) => u.column))) : [];
    if (unsaid.length > 0) ctx.warn(warnings.columnsLeftOut(role, unsaid, 'warehouse'));
    for (const { column, count, value } of t?.nonFinite ?? []) ctx.warn(warnings.nonFiniteValues(count, role, column, { file: t!.table.name, line: null, value }));
  }
  const table = (t: WarehouseAttributeTable) => ({ rows: t.rows, key: t.key, source: 'table' as const, attributes: t.attributes, excluded: t.excluded });
  return {
    events: { table: 'events', rows: ev.used, mapping: events.mapping, valueColumns: events.valueColumns },
    users: users ? { table: 'users', ...table(users), accountKey: users.accountKey } : null,
    accounts: accounts ? { table: 'accounts', ...table(accounts) } : null,
    window: events.window,
    accounting,
    rejects: events.rejects,
    fingerprints: [
      fingerprint(wh, events.table.name, events.table.bytes, events.table.columns, ev.read),
      ...(users ? [fingerprint(wh, users.table.name, users.table.bytes, users.table.columns, users.accounting.read)] : []),
      ...(accounts ? [fingerprint(wh, accounts.table.name, accounts.table.bytes, accounts.table.columns, accounts.accounting.read)] : []),
    ],
  };
}

/**
 * A warehouse table's fingerprint: where it is, its size on disk, and a hash of its columns and
 * row count — not of its content, which would cost a full read of every row.
 */
function fingerprint(wh: Warehouse, name: string, bytes: number, columns: readonly { name: string; type: string }[], rows: number): InputFingerprint {
  const sha256 = createHash('sha256').update(JSON.stringify({ columns, rows })).digest('hex');
  return { path: `${wh.url}#${name}`, bytes, sha256 };
}
