/**
 * Per-user features computed in the warehouse: the same columns — names, meanings, order and
 * metadata — as the features stage builds from files (stages/features/build.ts), rendered as SQL
 * for the warehouse's dialect from their meanings by the rule promotion's definitions
 * (ruleset/definitions.ts `featureRelation`): one definition, many renderings.
 *
 * Only one row per user comes back, read through a cursor in batches straight into typed columns.
 * The table is then written into the run's DuckDB as `features` (and the known user ids as
 * `users`), where the rules stage verifies its SQL exactly as in a file run.
 */
import type { ResolvedConfig } from '../config/types.js';
import { compareUtf8 } from '../core/bytes.js';
import type { RunContext } from '../core/context.js';
import type { Db } from '../core/duckdb.js';
import { errors } from '../core/messages.js';
import { familyOf, labelOf, type EventSelector, type FeatureMeaning } from '../core/meaning.js';
import { quoteIdent } from '../core/sql.js';
import { warnings } from '../core/warnings.js';
import { featureRelation, peakDaysQuery, windowEndLiteral, type FeatureRelation, type Frame, type NamedMeaning, type RawTables } from '../ruleset/definitions.js';
import { opsFor } from '../ruleset/dialect.js';
import { leadingSpecs, trailingSpecs } from '../stages/features/behaviour.js';
import { createNamer, sanitizeName, type Namer } from '../stages/features/names.js';
import { OF_EVENTS, type FeatureSpec } from '../stages/features/spec.js';
import type { Feature, FeatureTable } from '../stages/features/types.js';
import type { AnalysisWindow } from '../stages/ingest/types.js';
import { valueSpecs } from '../stages/features/values.js';
import type { Warehouse } from './connection.js';
import { EVENTS_TEMP, type WarehouseEvents } from './events.js';
import { byteOrder } from './pgsql.js';
import { ACCOUNTS_TEMP, USERS_TEMP, type WarehouseAttributeTable } from './tables.js';

/** The temporary table of features kept for the write-back's pushdown (write-back.ts). */
export const FEATURES_TEMP = 'segmint_features';

/** Rows read from the cursor at a time. */
const BATCH = 10_000;

/** The temporary tables ingest left in the warehouse, as the definitions' raw tables. */
const TEMP_TABLES: RawTables = {
  events: { table: [EVENTS_TEMP], userId: 'user_id', event: 'event', timestamp: 'ts', judged: true },
  users: { table: [USERS_TEMP], key: 'user_id', accountKey: 'account_id' },
  accounts: { table: [ACCOUNTS_TEMP], key: 'account_id' },
};

/** What ingest found in the warehouse, as the features need it. */
export interface WarehouseInputs {
  readonly events: WarehouseEvents;
  readonly users: WarehouseAttributeTable | null;
  readonly accounts: WarehouseAttributeTable | null;
}

/**
 * The feature columns a file run would build over the same data, in its order: behaviour, event
 * mix (top types by count, ties in byte order), breadth / time / trend, values, attributes.
 */
export async function planFeatures(wh: Warehouse, inputs: WarehouseInputs, config: ResolvedConfig): Promise<{ specs: FeatureSpec[]; peakDays: string[] }> {
  const namer = createNamer(['user_id']);
  // The specs' SQL is DuckDB's and never used here: only their names, meanings and metadata.
  const leading = leadingSpecs('NULL', config.features.sessionGapMinutes);
  const peak = await wh.query<{ d: string }>(`SELECT to_char(d, 'YYYY-MM-DD') AS d FROM (${peakDaysQuery(frameOf(inputs.events.window))}) p ORDER BY d`);
  const peakDays = peak.map((r) => r.d);
  const trailing = trailingSpecs(config, peakDays.length > 0);
  for (const s of [...leading, ...trailing]) namer.reserve(s.name);
  const counts = await wh.query<{ event: string; n: string }>(`SELECT event, count(*) AS n FROM ${EVENTS_TEMP} GROUP BY event`);
  const byCount = counts
    .map((r) => ({ event: r.event, n: Number(r.n) }))
    .sort((a, b) => b.n - a.n || compareUtf8(a.event, b.event));
  const top = byCount.slice(0, Math.max(0, Math.floor(config.features.topEvents))).map((r) => r.event);
  const mix = eventMixSpecs(top, byCount.length > top.length, namer);
  const values = valueSpecs(config.features.values, namer).specs;
  const attributes = [
    ...(inputs.users ? attributeSpecs(inputs.users, 'users', namer) : []),
    ...(inputs.users && inputs.accounts ? attributeSpecs(inputs.accounts, 'accounts', namer) : []),
  ];
  return { specs: [...leading, ...mix, ...trailing, ...values, ...attributes], peakDays };
}

/**
 * Count and share per top event type and "other", named as the features stage names them
 * (stages/features/eventMix.ts, whose naming reads the types from DuckDB; here they come from
 * the warehouse).
 */
function eventMixSpecs(top: readonly string[], hasOther: boolean, namer: Namer): FeatureSpec[] {
  if (hasOther) {
    namer.reserve('count__other');
    namer.reserve('share__other');
  }
  const specs: FeatureSpec[] = [];
  const pair = (count: string, share: string, events: EventSelector) =>
    specs.push(
      { name: count, meaning: { kind: 'eventCount', events }, kind: 'numeric', integer: true, sql: '', describeOnly: true },
      { name: share, meaning: { kind: 'eventShare', events }, kind: 'numeric', integer: false, sql: '', evidence: OF_EVENTS },
    );
  for (const event of top) {
    const count = namer.unique(`count__${sanitizeName(event, 'event')}`);
    pair(count, namer.unique(`share__${count.slice('count__'.length)}`), { type: 'event', event });
  }
  if (hasOther) pair('count__other', 'share__other', { type: 'other', except: [...top] });
  return specs;
}

/** Relationship-start dates (signup, created, first seen): their age is tenure (as features/attributes.ts). */
const STARTS_RELATIONSHIP = /sign.?up|signed|created|registered|joined|start|first/i;

/** Attribute columns as the features stage names and types them (stages/features/attributes.ts). */
function attributeSpecs(t: WarehouseAttributeTable, source: 'users' | 'accounts', namer: Namer): FeatureSpec[] {
  const prefix = source === 'users' ? 'attr_' : 'attr_account_';
  return t.attributes.map(({ column, type }): FeatureSpec => {
    const base = `${prefix}${sanitizeName(column)}`;
    const attribute = (kind: 'number' | 'boolean' | 'category'): FeatureMeaning => ({ kind: 'attribute', source, column, type: kind });
    switch (type) {
      case 'BOOLEAN':
        return { name: namer.unique(base), meaning: attribute('boolean'), kind: 'boolean', integer: false, sql: '' };
      case 'DATE':
        return {
          name: namer.unique(`${base}_age_days`),
          meaning: { kind: 'attributeAge', source, column, tenure: STARTS_RELATIONSHIP.test(column) },
          kind: 'numeric',
          integer: true,
          sql: '',
        };
      case 'DOUBLE':
        return { name: namer.unique(base), meaning: attribute('number'), kind: 'numeric', integer: t.integral.has(column), sql: '' };
      case 'VARCHAR':
        return { name: namer.unique(base), meaning: attribute('category'), kind: 'categorical', integer: false, sql: '' };
    }
  });
}

/**
 * The features relation over ingest's temporary tables: CTEs and a SELECT of `user_id` and one
 * column per feature, as of the window's end. The same text serves the read-back and the
 * model's pushdown (pushdown.ts), so both see the same numbers.
 */
export function featuresRelation(features: readonly NamedMeaning[], window: AnalysisWindow): FeatureRelation {
  const named = features.map((f) => ({ name: f.name, meaning: f.meaning }));
  return featureRelation(named, frameOf(window));
}

/** Ingest's temporary tables in PostgreSQL, as of the window's end. */
function frameOf(window: AnalysisWindow): Frame {
  return { ops: opsFor('postgres'), tables: TEMP_TABLES, windowDays: window.days, asOf: windowEndLiteral(window) };
}

/**
 * Compute the features in the warehouse and read them back, one row per user in byte order of
 * user id; write them into `db` for the rules stage.
 */
export async function warehouseFeatures(wh: Warehouse, db: Db, inputs: WarehouseInputs, config: ResolvedConfig, ctx: RunContext): Promise<FeatureTable> {
  const [{ users }] = await wh.query<{ users: string }>(`SELECT count(DISTINCT user_id) AS users FROM ${EVENTS_TEMP}`);
  const n = Number(users);
  if (n === 0) throw errors.noUsers();
  const { specs, peakDays } = await planFeatures(wh, inputs, config);

  // 1. One statement, rendered from the meanings for PostgreSQL, over the temporary tables.
  //    With --write-assignments its rows are kept in a temporary table too: the model's pushdown
  //    reads exactly the numbers it was fitted on, without computing the features twice.
  const { ctes, select } = featuresRelation(specs, inputs.events.window);
  let sql = `WITH ${ctes.join(', ')}, f AS (${select}) SELECT * FROM f ORDER BY ${byteOrder('user_id')}`;
  if (config.inputs.warehouse?.writeAssignments) {
    await wh.run(`CREATE TEMPORARY TABLE ${FEATURES_TEMP} AS WITH ${ctes.join(', ')}, f AS (${select}) SELECT * FROM f`);
    sql = `SELECT * FROM ${FEATURES_TEMP} ORDER BY ${byteOrder('user_id')}`;
  }

  // 2. Streamed into typed columns.
  const userIds: string[] = new Array(n);
  const numeric = specs.map((s) => (s.kind === 'categorical' ? null : new Float64Array(n)));
  const text = specs.map((s) => (s.kind === 'categorical' ? new Array<string | null>(n).fill(null) : null));
  let row = 0;
  let previous: string | null = null;
  await wh.stream(sql, BATCH, (rows) => {
    for (const r of rows) {
      if (row >= n) throw new Error(`warehouse features: more rows than the ${n} users counted`);
      const id = String(r[0]);
      if (previous !== null && compareUtf8(previous, id) >= 0) throw new Error(`warehouse features: user ids out of byte order at ${JSON.stringify(id)}`);
      previous = id;
      userIds[row] = id;
      for (let j = 0; j < specs.length; j++) {
        const v = r[j + 1];
        const nums = numeric[j];
        if (nums) nums[row] = v === null || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
        else text[j]![row] = v === null || v === undefined ? null : String(v);
      }
      row++;
    }
  });
  if (row !== n) throw new Error(`warehouse features: ${row} rows for ${n} users`);

  const columns: Feature[] = specs.map((f, j) => {
    const meta = { name: f.name, meaning: f.meaning, family: familyOf(f.meaning), label: labelOf(f.meaning), ...(f.describeOnly ? { describeOnly: true } : {}) };
    if (f.kind === 'categorical') return { ...meta, kind: 'categorical', values: text[j]! };
    if (f.kind === 'boolean') return { ...meta, kind: 'boolean', values: numeric[j]! };
    return { ...meta, kind: 'numeric', values: numeric[j]!, integer: f.integer, ...(f.evidence ? { evidence: f.evidence } : {}) };
  });

  // 3. Known users without events, and users whose attribute rows are missing.
  const usersWithoutEvents = inputs.users ? await withoutEvents(wh) : [];
  if (inputs.users) await warnUnmatched(wh, inputs.accounts !== null, ctx);

  const table: FeatureTable = { table: 'features', userIds, usersWithoutEvents, usersTable: inputs.users ? 'users' : null, columns, ...(peakDays.length > 0 ? { peakDays } : {}) };
  await writeLocal(db, table, inputs.users !== null);
  return table;
}

/** Users in the users table with no event in the window, in byte order. */
async function withoutEvents(wh: Warehouse): Promise<string[]> {
  const rows = await wh.query<{ user_id: string }>(
    `SELECT u.user_id FROM ${USERS_TEMP} u WHERE NOT EXISTS (SELECT 1 FROM ${EVENTS_TEMP} e WHERE e.user_id = u.user_id) ORDER BY ${byteOrder('u.user_id')}`,
  );
  return rows.map((r) => r.user_id);
}

async function warnUnmatched(wh: Warehouse, accounts: boolean, ctx: RunContext): Promise<void> {
  const [row] = await wh.query<{ total: string; no_user: string; no_account: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE u.user_id IS NULL) AS no_user, ` +
      (accounts
        ? `count(*) FILTER (WHERE u.account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ACCOUNTS_TEMP} a WHERE a.account_id = u.account_id)) AS no_account `
        : '0 AS no_account ') +
      `FROM (SELECT DISTINCT user_id FROM ${EVENTS_TEMP}) f LEFT JOIN ${USERS_TEMP} u ON u.user_id = f.user_id`,
  );
  const total = Number(row.total);
  if (Number(row.no_user) > 0) {
    // Ids that differ only in case are the likeliest cause, and one a run cannot see otherwise.
    const [caseOnly] = await wh.query<{ n: string; events: string | null; users: string | null }>(
      `SELECT count(*) AS n, min(${byteOrder('f.user_id')}) AS events FROM (SELECT DISTINCT user_id FROM ${EVENTS_TEMP}) f ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${USERS_TEMP} u WHERE u.user_id = f.user_id) AND EXISTS (SELECT 1 FROM ${USERS_TEMP} u WHERE lower(u.user_id) = lower(f.user_id))`,
    );
    let found = null;
    if (Number(caseOnly.n) > 0 && caseOnly.events !== null) {
      const [match] = await wh.query<{ users: string }>(`SELECT min(${byteOrder('user_id')}) AS users FROM ${USERS_TEMP} WHERE lower(user_id) = lower($1)`, [caseOnly.events]);
      found = { count: Number(caseOnly.n), events: caseOnly.events, users: match?.users ?? '' };
    }
    ctx.warn(warnings.usersWithoutRow(Number(row.no_user), total, found));
  }
  if (Number(row.no_account) > 0) ctx.warn(warnings.usersWithoutAccount(Number(row.no_account), total));
}

/**
 * The feature table in DuckDB (`features`, typed like the features stage's table) and, with a
 * users table, the known user ids (`users(user_id)`: every user with features or without events),
 * which is all the rules stage reads.
 */
async function writeLocal(db: Db, table: FeatureTable, withUsers: boolean): Promise<void> {
  const type = (c: Feature) => (c.kind === 'categorical' ? 'VARCHAR' : c.kind === 'boolean' ? 'BOOLEAN' : 'DOUBLE');
  await db.run(`CREATE OR REPLACE TABLE features (user_id VARCHAR, ${table.columns.map((c) => `${quoteIdent(c.name)} ${type(c)}`).join(', ')})`);
  const appender = await db.connection.createAppender('features');
  for (let i = 0; i < table.userIds.length; i++) {
    appender.appendVarchar(table.userIds[i]);
    for (const c of table.columns) {
      if (c.kind === 'categorical') {
        const v = c.values[i];
        if (v === null) appender.appendNull();
        else appender.appendVarchar(v);
      } else {
        const v = c.values[i];
        if (Number.isNaN(v)) appender.appendNull();
        else if (c.kind === 'boolean') appender.appendBoolean(v === 1);
        else appender.appendDouble(v);
      }
    }
    appender.endRow();
  }
  appender.closeSync();
  if (!withUsers) return;
  await db.run('CREATE OR REPLACE TABLE users (user_id VARCHAR)');
  const users = await db.connection.createAppender('users');
  for (const id of [...table.userIds, ...table.usersWithoutEvents]) {
    users.appendVarchar(id);
    users.endRow();
  }
  users.closeSync();
}

