/**
 * Proof that a rule's SQL means what its metrics say: run the statement in DuckDB and compare the
 * users it returns with the JavaScript evaluation, user for user.
 */
import type { Db } from '../../core/duckdb.js';

export interface SqlCheck {
  readonly identical: boolean;
  /** Rows DuckDB returned (duplicates and unknown ids included). */
  readonly returned: number;
  /** Users the JavaScript evaluation selected. */
  readonly expected: number;
}

/**
 * Runs `sql` (which must return a `user_id` column) and compares its rows with the users marked
 * in `expected` (aligned with `userIds`). Identical means: same users, each exactly once.
 *
 * @example
 * const check = await compareSqlSelection(db, rule.sql, table.userIds, evaluateRule(table, rule.conditions));
 */
export async function compareSqlSelection(db: Db, sql: string, userIds: readonly string[], expected: Uint8Array): Promise<SqlCheck> {
  // Read as one column (row objects for 1M users cost more than the query).
  const rows = (await db.columns(sql)).get('user_id') ?? [];
  let expectedCount = 0;
  for (let i = 0; i < expected.length; i++) expectedCount += expected[i];
  const index = positionsOf(userIds);
  const seen = new Uint8Array(userIds.length);
  let identical = rows.length === expectedCount;
  for (const value of rows) {
    if (!identical) break;
    // The features table may key users by a number; the FeatureTable always holds strings.
    const i = value === null || value === undefined ? undefined : index.get(String(value));
    if (i === undefined || seen[i] === 1 || expected[i] === 0) identical = false;
    else seen[i] = 1;
  }
  return { identical, returned: rows.length, expected: expectedCount };
}

/** Each user's position, built once per feature table: every rule is checked against the same ids. */
const positions = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function positionsOf(userIds: readonly string[]): ReadonlyMap<string, number> {
  let index = positions.get(userIds);
  if (index === undefined) {
    const built = new Map<string, number>();
    userIds.forEach((id, i) => built.set(id, i));
    positions.set(userIds, built);
    index = built;
  }
  return index;
}
