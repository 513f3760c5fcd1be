/**
 * Test helpers: a FeatureTable from plain data, and the matching DuckDB `features` table
 * (user_id + one column per feature, values appended through DuckDB's appender — bound, never
 * spliced into SQL text). Missing values (NaN / null) become SQL NULL, as the features stage
 * stores them.
 */
import type { Db } from '../../src/core/duckdb.js';
import { quoteIdent } from '../../src/core/sql.js';
import { familyOf, type FeatureMeaning } from '../../src/core/meaning.js';
import type { Feature, FeatureFamily, FeatureTable } from '../../src/stages/features/types.js';
import { meaningFor } from './meanings.js';
import { segmentationOf, withNames, type NamedSegmentation } from '../../src/stages/cluster/segmentation.js';

interface ColumnBase {
  readonly name: string;
  /** Defaults to the name. */
  readonly label?: string;
  /** Defaults to 'attribute', or the meaning's family. */
  readonly family?: FeatureFamily;
  /** Defaults to a representative meaning of the family (see helpers/meanings.ts). */
  readonly meaning?: FeatureMeaning;
}

export type ColumnSpec =
  | (ColumnBase & { readonly kind: 'numeric'; readonly values: readonly (number | null)[]; readonly integer?: boolean })
  | (ColumnBase & { readonly kind: 'boolean'; readonly values: readonly (boolean | 0 | 1 | null)[] })
  | (ColumnBase & { readonly kind: 'categorical'; readonly values: readonly (string | null)[] });

/** UTF-8 byte order, the order FeatureTable.userIds are sorted in. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Ids that sort in byte order as they are numbered: u000, u001, … */
export function defaultUserIds(n: number): string[] {
  const width = Math.max(3, String(Math.max(0, n - 1)).length);
  return Array.from({ length: n }, (_, i) => `u${String(i).padStart(width, '0')}`);
}

/**
 * A FeatureTable from plain columns. `userIds` must be unique and in byte order (default
 * u000, u001, …); every column must have one value per user.
 *
 * @example
 * const table = makeFeatureTable([
 *   { name: 'events', kind: 'numeric', integer: true, values: [3, 10, null] },
 *   { name: 'plan', kind: 'categorical', values: ['free', 'pro', null] },
 * ]);
 */
export function makeFeatureTable(columns: readonly ColumnSpec[], userIds?: readonly string[]): FeatureTable {
  const n = userIds?.length ?? columns[0]?.values.length ?? 0;
  const ids = userIds ? [...userIds] : defaultUserIds(n);
  for (let i = 1; i < ids.length; i++) {
    if (byteOrder(ids[i - 1], ids[i]) >= 0) throw new Error(`user ids must be unique and in byte order: ${JSON.stringify(ids[i - 1])}, ${JSON.stringify(ids[i])}`);
  }
  const out: Feature[] = columns.map((spec) => {
    if (spec.values.length !== n) throw new Error(`column ${JSON.stringify(spec.name)} has ${spec.values.length} values for ${n} users`);
    const family = spec.family ?? (spec.meaning ? familyOf(spec.meaning) : 'attribute');
    const meaning = spec.meaning ?? meaningFor(family, spec.kind, spec.name);
    const base = { name: spec.name, meaning, label: spec.label ?? spec.name, family };
    switch (spec.kind) {
      case 'numeric':
        return { ...base, kind: 'numeric', integer: spec.integer ?? false, values: Float64Array.from(spec.values, (v) => (v === null ? NaN : v)) };
      case 'boolean':
        return { ...base, kind: 'boolean', values: Float64Array.from(spec.values, (v) => (v === null ? NaN : v ? 1 : 0)) };
      case 'categorical':
        return { ...base, kind: 'categorical', values: [...spec.values] };
    }
  });
  return { table: 'features', userIds: ids, columns: out, usersWithoutEvents: [], usersTable: null };
}

export interface LoadOptions {
  /** Table name (default the FeatureTable's, `features`). */
  readonly name?: string;
  /** SQL type for integer numeric features (default DOUBLE); BIGINT mimics count columns. */
  readonly integerType?: 'DOUBLE' | 'BIGINT';
}

/**
 * Creates (or replaces) the DuckDB table for `table`: `user_id VARCHAR` + one column per feature
 * (numeric → DOUBLE or BIGINT, boolean → BOOLEAN, categorical → VARCHAR).
 *
 * @example
 * const db = await openDb();
 * await loadFeatureTableIntoDuckDb(db, table);
 */
export async function loadFeatureTableIntoDuckDb(db: Db, table: FeatureTable, options: LoadOptions = {}): Promise<void> {
  const name = options.name ?? table.table;
  const typeOf = (f: Feature): string =>
    f.kind === 'numeric' ? (f.integer && options.integerType === 'BIGINT' ? 'BIGINT' : 'DOUBLE') : f.kind === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
  const columns = [`${quoteIdent('user_id')} VARCHAR`, ...table.columns.map((f) => `${quoteIdent(f.name)} ${typeOf(f)}`)];
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${columns.join(', ')})`);

  const appender = await db.connection.createAppender(name);
  try {
    for (let i = 0; i < table.userIds.length; i++) {
      appender.appendVarchar(table.userIds[i]);
      for (const f of table.columns) {
        if (f.kind === 'categorical') {
          const v = f.values[i];
          if (v === null) appender.appendNull();
          else appender.appendVarchar(v);
          continue;
        }
        const v = f.values[i];
        if (Number.isNaN(v)) appender.appendNull();
        else if (f.kind === 'boolean') appender.appendBoolean(v === 1);
        else if (typeOf(f) === 'BIGINT') appender.appendBigInt(BigInt(v));
        else appender.appendDouble(v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Labels and names as the pipeline hands them to rules (checked once, like the real thing). */
export function namedSegmentation(table: FeatureTable, labels: Int32Array, names: readonly string[]): NamedSegmentation {
  return withNames(segmentationOf(table, labels, names.length), names);
}
