/**
 * Attribute features from the `users` table and, through `users.account_id`, the `accounts`
 * table. Named `attr_<column>` (users) and `attr_account_<column>` (accounts). DATE and
 * TIMESTAMP columns become ages in whole days at the window end (`…_age_days`): a signup date
 * becomes tenure, which clusters and reads far better than a date.
 */
import type { Db } from '../../core/duckdb.js';
import { quoteIdent } from '../../core/sql.js';
import type { IngestResult } from '../ingest/types.js';
import { sanitizeName, type Namer } from './names.js';
import type { FeatureMeaning } from '../../core/meaning.js';
import type { FeatureSpec } from './spec.js';

const NUMERIC_TYPES = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/;
const DATE_TYPES = /^(DATE|TIMESTAMP.*)$/;
/**
 * A date column whose name says it dates the start of the relationship (signup_date, created_at,
 * first_seen): its age is the user's tenure. Read from the data's column name, once, here.
 */
const STARTS_RELATIONSHIP = /sign.?up|signed|created|registered|joined|start|first/i;

interface Source {
  /** The role (and the meaning's source); `name` is the engine table ingest left for it. */
  readonly table: 'users' | 'accounts';
  readonly name: string;
  readonly alias: 'u' | 'a';
  readonly key: string;
  readonly prefix: string;
}

/** The JOIN clause the attribute specs expect after relation `b`. */
export function attributeJoins(ingest: IngestResult): string {
  if (!ingest.users) return '';
  const users = ` LEFT JOIN ${quoteIdent(ingest.users.table)} u ON u.user_id = b.user_id`;
  return ingest.accounts ? `${users} LEFT JOIN ${quoteIdent(ingest.accounts.table)} a ON a.account_id = u.account_id` : users;
}

/**
 * One spec per attribute column, users first, then accounts, each in table order.
 *
 * @example
 * const specs = await attributeSpecs(db, ingestResult, "CAST('2024-06-30T00:00:00Z' AS TIMESTAMP)", namer);
 * specs.map((s) => s.name); // ['attr_plan', 'attr_seats', 'attr_signup_date_age_days', 'attr_account_industry']
 */
export async function attributeSpecs(db: Db, ingest: IngestResult, end: string, namer: Namer): Promise<FeatureSpec[]> {
  const sources: Source[] = [];
  if (ingest.users) sources.push({ table: 'users', name: ingest.users.table, alias: 'u', key: 'user_id', prefix: 'attr_' });
  // Accounts can only reach a user through users.account_id.
  if (ingest.users && ingest.accounts) {
    sources.push({ table: 'accounts', name: ingest.accounts.table, alias: 'a', key: 'account_id', prefix: 'attr_account_' });
  }
  const specs: FeatureSpec[] = [];
  for (const src of sources) specs.push(...(await sourceSpecs(db, src, end, namer)));
  return specs;
}

async function sourceSpecs(db: Db, src: Source, end: string, namer: Namer): Promise<FeatureSpec[]> {
  const described = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${quoteIdent(src.name)}`);
  const columns = described.filter((d) => d.column_name !== src.key && !(src.table === 'users' && d.column_name === 'account_id'));

  const numeric = columns.filter((c) => NUMERIC_TYPES.test(c.column_type));
  const integral = new Map<string, boolean>();
  if (numeric.length > 0) {
    const checks = numeric.map((c, i) => {
      const v = `CAST(${quoteIdent(c.column_name)} AS DOUBLE)`;
      return `coalesce(bool_and(${v} = floor(${v})), false) AS i${i}`;
    });
    const [row] = await db.all<Record<string, boolean>>(`SELECT ${checks.join(', ')} FROM ${quoteIdent(src.name)}`);
    numeric.forEach((c, i) => integral.set(c.column_name, row[`i${i}`] === true));
  }

  const specs: FeatureSpec[] = [];
  for (const { column_name: col, column_type: type } of columns) {
    const ref = `${src.alias}.${quoteIdent(col)}`;
    const base = `${src.prefix}${sanitizeName(col)}`;
    const attribute = (type: 'number' | 'boolean' | 'category'): FeatureMeaning => ({ kind: 'attribute', source: src.table, column: col, type });
    if (type === 'BOOLEAN') {
      specs.push({ name: namer.unique(base), meaning: attribute('boolean'), kind: 'boolean', integer: false, sql: ref });
    } else if (DATE_TYPES.test(type)) {
      specs.push({
        name: namer.unique(`${base}_age_days`),
        meaning: { kind: 'attributeAge', source: src.table, column: col, tenure: STARTS_RELATIONSHIP.test(col) },
        kind: 'numeric',
        integer: true,
        sql: `date_diff('day', CAST(${ref} AS DATE), CAST(${end} AS DATE))`,
      });
    } else if (NUMERIC_TYPES.test(type)) {
      specs.push({
        name: namer.unique(base),
        meaning: attribute('number'),
        kind: 'numeric',
        integer: integral.get(col) ?? false,
        sql: `CAST(${ref} AS DOUBLE)`,
      });
    } else if (type === 'VARCHAR') {
      specs.push({ name: namer.unique(base), meaning: attribute('category'), kind: 'categorical', integer: false, sql: ref });
    }
    // Other types (lists, structs) cannot be compared across users; they are left out.
  }
  return specs;
}
