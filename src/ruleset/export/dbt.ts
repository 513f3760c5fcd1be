/**
 * `rules export --to dbt`: one versioned model per promoted segment (`<model>_v<N>.sql`, the
 * segment's SELECT for the dialect) and a `schema.yml` with the model's versions, an enforced
 * contract on `user_id` (not null), `not_null` / `unique` tests and `meta` (owner, key, version,
 * content hash, run id).
 *
 * dbt renders every model and every description as a Jinja template, so data in them (an event
 * name `{{ run_query(…) }}`, a segment named `{# draft`) would be code at `dbt compile`. Every
 * file is therefore made Jinja-inert (`jinjaInert`): it compiles to exactly the SQL and text
 * segmint wrote.
 */
import { stringify } from 'yaml';
import type { SqlDialect } from '../dialect.js';
import type { PromotedSegment } from '../schema.js';
import { segmentSelect, type TableNames } from './sql.js';

const TEXT: Readonly<Record<SqlDialect, string>> = { duckdb: 'varchar', postgres: 'text', bigquery: 'string', snowflake: 'varchar', clickhouse: 'String' };

/** dbt model names are identifiers: the key with dashes as underscores. */
export const dbtModelName = (key: string) => `segment_${key.replace(/-/g, '_')}`;

/**
 * `text` with every `{` that would open a Jinja tag (`{{`, `{%`, `{#`) written as the expression
 * `{{ '{' }}`, which renders as `{`: Jinja (and so dbt) turns the result back into `text` exactly,
 * and nothing in it runs. Quoting inside SQL does not help — Jinja reads the file before SQL does.
 * A stray comment end `#}` is spelled the same way (`#{{ '}' }}`): Jinja reads it as text anyway,
 * stricter readers of the same syntax (nunjucks) refuse it.
 *
 * @example
 * jinjaInert("event = '{{ 7*7 }}'"); // "event = '{{ '{' }}{ 7*7 }}'"  (dbt compiles it to the original)
 */
export function jinjaInert(text: string): string {
  return text.replace(/\{(?=[{%#])|(?<=#)\}/g, (brace) => `{{ '${brace}' }}`);
}

export function dbtProject(docs: readonly PromotedSegment[], dialect: SqlDialect, asOf: string | null, names: TableNames): { name: string; content: string }[] {
  const files = docs.map((doc) => ({
    name: `${dbtModelName(doc.key)}_v${doc.version}.sql`,
    content: jinjaInert(`-- segmint promoted segment ${doc.key} v${doc.version} (${doc.content_hash})\n${segmentSelect(doc, dialect, asOf, names, { ordered: false })}\n`),
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
  return [...files, { name: 'schema.yml', content: stringify(inertStrings(schema), { lineWidth: 0 }) }];
}

/** Every string in a YAML document made Jinja-inert before it is written (dbt renders descriptions, meta included). */
function inertStrings(value: unknown): unknown {
  if (typeof value === 'string') return jinjaInert(value);
  if (Array.isArray(value)) return value.map(inertStrings);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inertStrings(v)]));
  return value;
}
