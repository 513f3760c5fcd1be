/**
 * Attributes carried by vendor events (Segment identify traits, Amplitude/PostHog user
 * properties, GA4 user_properties, group traits), for runs given no users or accounts table:
 * the latest value of each property per user (or account) becomes a typed attribute column, so
 * segments from a vendor export alone are still described by plan, role, country, ….
 *
 * Typing and exclusions are those of attribute tables (`attributes.ts`): identifiers and
 * personal data never become attributes.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';
import { typeAttributes, typedValueSql } from './attributes.js';
import { latestAccountProperties, latestUserAccounts, latestUserProperties } from './presets/index.js';
import type { AttributeColumn, ExcludedColumn } from './types.js';

export interface DerivedTable {
  readonly rows: number;
  readonly attributes: readonly AttributeColumn[];
  readonly excluded: readonly ExcludedColumn[];
}

const USER_PROPS = 'ingest_event_user_props';
const USER_ACCOUNTS = 'ingest_event_user_accounts';
const ACCOUNT_PROPS = 'ingest_event_account_props';

/**
 * Create `users(user_id, account_id, <attributes>)` from the properties in `source` (a canonical
 * table or view), or nothing when the events carry no user properties or accounts.
 *
 * @example
 * const users = await usersFromEvents(db, 'ingest_canon_events_props');
 * users?.attributes; // [{ column: 'plan', type: 'VARCHAR' }, { column: 'seats', type: 'DOUBLE' }, …]
 */
export async function usersFromEvents(db: Db, source: string): Promise<DerivedTable | null> {
  const props = await latestUserProperties(db, source, USER_PROPS);
  const withAccounts = await latestUserAccounts(db, source, USER_ACCOUNTS);
  try {
    if (props.rows === 0 && withAccounts === 0) return null;
    const { attributes, excluded } = await typeAttributes(db, USER_PROPS, 'TRUE', props.columns.map((c) => c.column), new Map());
    const typed = attributes.map((a) => `, ${typedValueSql(a.column, a.type)} AS ${quoteIdent(a.column)}`).join('');
    // Users with properties, users with an account, or both.
    await db.run(
      `CREATE OR REPLACE TABLE users AS SELECT coalesce(p.__uid, a.user_id) AS user_id, a.account_id AS account_id${typed} ` +
        `FROM (SELECT *, user_id AS __uid FROM ${USER_PROPS}) p FULL OUTER JOIN ${USER_ACCOUNTS} a ON a.user_id = p.__uid ` +
        `ORDER BY 1`,
    );
    const [{ n }] = await db.all<{ n: number }>('SELECT count(*) AS n FROM users');
    return { rows: Number(n), attributes, excluded };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${USER_PROPS}`);
    await db.run(`DROP TABLE IF EXISTS ${USER_ACCOUNTS}`);
  }
}

/**
 * Create `accounts(account_id, <attributes>)` from group traits in `source`, or nothing when
 * there are none.
 *
 * @example
 * await accountsFromEvents(db, 'ingest_canon_events_props'); // accounts: acme → industry retail, employees 40
 */
export async function accountsFromEvents(db: Db, source: string): Promise<DerivedTable | null> {
  const props = await latestAccountProperties(db, source, ACCOUNT_PROPS);
  try {
    if (props.rows === 0) return null;
    const { attributes, excluded } = await typeAttributes(db, ACCOUNT_PROPS, 'TRUE', props.columns.map((c) => c.column), new Map());
    const typed = attributes.map((a) => `, ${typedValueSql(a.column, a.type)} AS ${quoteIdent(a.column)}`).join('');
    await db.run(`CREATE OR REPLACE TABLE accounts AS SELECT account_id${typed} FROM ${ACCOUNT_PROPS} ORDER BY account_id`);
    return { rows: props.rows, attributes, excluded };
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${ACCOUNT_PROPS}`);
  }
}
