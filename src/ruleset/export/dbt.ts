/**
 * `rules export --to dbt`: one versioned model per promoted segment (`<model>_v<N>.sql`, the
 * segment's SELECT for the dialect) and a `schema.yml` with the model's versions, an enforced
 * contract on `user_id` (not null), `not_null` / `unique` tests and `meta` (owner, key, version,
 * content hash, run id).
 *
 * dbt renders every model and every description as a Jinja template, so data in them (an event
 * name `{{ run_query(…) }}`, a segment named `{# draft`) would be code at `dbt compile`. Every
 * file is therefore made Jinja-inert (`jinjaInert`): it compiles to exactly the SQL and text
 * segmint wrote. The one Jinja segmint writes itself is a table given as a dbt relation
 * (`--events-table source:segment.tracks`, `ref:stg_events`), so the models sit in the project's
 * lineage.
 */
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { errors } from '../../core/messages.js';
import { opsFor, type SqlDialect } from '../dialect.js';
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

/** A table the models read through dbt: a source the project declares, or one of its models. */
export type DbtRelation = { readonly kind: 'source'; readonly source: string; readonly table: string } | { readonly kind: 'ref'; readonly model: string };

/** What dbt names a source, a source's table or a model here: a plain identifier, so the Jinja call needs no quoting. */
const DBT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `source:NAME.TABLE` or `ref:MODEL` as a relation; null for a plain table name. A malformed one
 * stops the export.
 *
 * @example
 * dbtRelation('source:segment.tracks', 'events-table'); // { kind: 'source', source: 'segment', table: 'tracks' }
 * dbtRelation('analytics.events', 'events-table');      // null
 */
export function dbtRelation(name: string, flag: `${keyof TableNames}-table`): DbtRelation | null {
  const m = /^\s*(source|ref):(.*)$/is.exec(name);
  if (!m) return null;
  const kind = m[1].toLowerCase();
  const parts = m[2].trim().split('.');
  if (parts.every((p) => DBT_NAME.test(p))) {
    if (kind === 'source' && parts.length === 2) return { kind: 'source', source: parts[0], table: parts[1] };
    if (kind === 'ref' && parts.length === 1) return { kind: 'ref', model: parts[0] };
  }
  throw errors.badFlagValue(flag, name, 'source:NAME.TABLE (a source the dbt project declares) or ref:MODEL, each name letters, digits and _');
}

const relationJinja = (r: DbtRelation) => (r.kind === 'source' ? `{{ source('${r.source}', '${r.table}') }}` : `{{ ref('${r.model}') }}`);

/**
 * The table names segmentSelect renders, with each dbt relation replaced by a stand-in table, and
 * the stand-ins' renderings to swap for the relations' Jinja once the model is made inert. A
 * stand-in holds a random nonce drawn after the data was read, so no text from the data can be one.
 */
function standIns(names: TableNames, dialect: SqlDialect): { names: TableNames; swaps: [string, string][] } {
  const nonce = randomBytes(8).toString('hex');
  const plain: { -readonly [T in keyof TableNames]: string } = {};
  const swaps: [string, string][] = [];
  for (const t of ['events', 'users', 'accounts'] as const) {
    const given = names[t];
    if (given === undefined) continue;
    const relation = dbtRelation(given, `${t}-table`);
    if (relation === null) {
      plain[t] = given;
      continue;
    }
    plain[t] = `segmint_${nonce}_${t}`;
    swaps.push([opsFor(dialect).table([plain[t]]), relationJinja(relation)]);
  }
  return { names: plain, swaps };
}

export function dbtProject(docs: readonly PromotedSegment[], dialect: SqlDialect, asOf: string | null, names: TableNames): { name: string; content: string }[] {
  const tables = standIns(names, dialect);
  const model = (text: string) => tables.swaps.reduce((out, [standIn, jinja]) => out.split(standIn).join(jinja), jinjaInert(text));
  const files = docs.map((doc) => ({
    name: `${dbtModelName(doc.key)}_v${doc.version}.sql`,
    content: model(`-- segmint promoted segment ${doc.key} v${doc.version} (${doc.content_hash})\n${segmentSelect(doc, dialect, asOf, tables.names, { ordered: false })}\n`),
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
