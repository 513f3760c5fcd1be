/**
 * The rule of the no-events group (core/groups.ts): known users — a row in the users table — who
 * are not in the run's feature table, i.e. have no event in the analysis window. It is exact by
 * construction, and still checked in DuckDB like every other rule.
 */
import type { Db } from '../../core/duckdb.js';
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import { quoteIdent } from '../../core/sql.js';
import type { FeatureTable } from '../features/types.js';
import type { NoEventsRule } from './types.js';
import { compareSqlSelection } from './verify.js';

/** null when every known user has events in the window (or there is no users table). */
export async function noEventsRule(db: Db, features: FeatureTable): Promise<NoEventsRule | null> {
  const users = features.usersWithoutEvents;
  if (users.length === 0 || features.usersTable === null) return null;
  const id = quoteIdent('user_id');
  const sql = `SELECT ${id} FROM ${quoteIdent(features.usersTable)} WHERE ${id} NOT IN (SELECT ${id} FROM ${quoteIdent(features.table)}) ORDER BY ${id}`;
  const check = await compareSqlSelection(db, sql, users, new Uint8Array(users.length).fill(1));
  if (!check.identical) throw new Error(`rules: the no-events rule returned ${check.returned} rows for ${check.expected} users without events: ${sql}`);
  return {
    segment: NO_EVENTS_GROUP.segment,
    segmentName: NO_EVENTS_GROUP.name,
    text: 'in the users table, no events in the window',
    users: users.length,
    sql,
    verified: true,
  };
}
