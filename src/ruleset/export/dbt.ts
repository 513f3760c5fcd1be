/**
 * `rules export --to dbt`: one versioned model per promoted segment (`<model>_v<N>.sql`, the
 * segment's SELECT for the dialect) and a `schema.yml` with the model's versions, an enforced
 * contract on `user_id` (not null), `not_null` / `unique` tests and `meta` (owner, key, version,
 * content hash, run id).
 */
import { stringify } from 'yaml';
import type { SqlDialect } from '../dialect.js';
import type { PromotedSegment } from '../schema.js';
import { segmentSelect, type TableNames } from './sql.js';

const TEXT: Readonly<Record<SqlDialect, string>> = { duckdb: 'varchar', postgres: 'text', bigquery: 'string', snowflake: 'varchar', clickhouse: 'String' };

/** dbt model names are identifiers: the key with dashes as underscores. */
export const dbtModelName = (key: string) => `segment_${key.replace(/-/g, '_')}`;

export function dbtProject(docs: readonly PromotedSegment[], dialect: SqlDialect, asOf: string | null, names: TableNames): { name: string; content: string }[] {
  const files = docs.map((doc) => ({
    name: `${dbtModelName(doc.key)}_v${doc.version}.sql`,
    content: `-- segmint promoted segment ${doc.key} v${doc.version} (${doc.content_hash})\n${segmentSelect(doc, dialect, asOf, names, { ordered: false })}\n`,
  }));
  const schema = {
    version: 2,
    models: docs.map((doc) => ({
      name: dbtModelName(doc.key),
      description: `${doc.name}: ${doc.rule.text}`,
      latest_version: doc.version,
      versions: [{ v: doc.version }],
      config: { materialized: 'table', contract: { enforced: true }, meta: { owner: doc.owner, key: doc.key, version: doc.version, content_hash: doc.content_hash, run_id: doc.created_from.run_id } },
      columns: [{ name: 'user_id', data_type: TEXT[dialect], constraints: [{ type: 'not_null' }], data_tests: ['not_null', 'unique'] }],
    })),
  };
  return [...files, { name: 'schema.yml', content: stringify(schema, { lineWidth: 0 }) }];
}
