/**
 * SQL snippets the presets share: reading values out of JSON documents, parsing the vendors'
 * timestamp spellings, and assembling the canonical row. Every key and name is a constant of
 * this module or quoted; nothing from the data is spliced into SQL text.
 */
import { quoteIdent, quoteLiteral } from '../../../core/sql.js';
import { CANONICAL_COLUMNS, type CanonicalColumn } from './types.js';

/**
 * A JSONPath literal for nested keys, each key quoted so `$insert_id` or `a.b` stay one key.
 *
 * @example
 * jsonPath('properties', '$insert_id'); // '$."properties"."$insert_id"'
 */
export function jsonPath(...keys: readonly string[]): string {
  return quoteLiteral('$' + keys.map((k) => `."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(''));
}

/**
 * JSON value at `keys` inside the JSON expression `doc` (SQL NULL when absent).
 *
 * @example
 * at('j', 'context', 'os', 'name'); // json_extract(j, '$."context"."os"."name"')
 */
export function at(doc: string, ...keys: readonly string[]): string {
  return `json_extract(${doc}, ${jsonPath(...keys)})`;
}

/**
 * Text of a JSON value: strings unquoted, numbers and booleans as written, JSON null, empty and
 * blank strings as SQL NULL (vendors write all of these for "no value").
 *
 * @example
 * text('"uid"'); // NULLIF(trim("uid" ->> '$'), '')
 */
export function text(json: string): string {
  return `NULLIF(trim(${json} ->> '$'), '')`;
}

/**
 * A JSON object from a value that is either an object or a JSON-encoded string holding one
 * (PostHog's Parquet export and CSV cells encode `properties` as text); anything else is NULL.
 *
 * @example
 * object('"properties"'); // CASE json_type("properties") WHEN 'OBJECT' THEN … END
 */
export function object(json: string): string {
  const inner = `TRY_CAST(${json} ->> '$' AS JSON)`;
  return (
    `(CASE json_type(${json}) WHEN 'OBJECT' THEN ${json} ` +
    `WHEN 'VARCHAR' THEN (CASE WHEN json_type(${inner}) = 'OBJECT' THEN ${inner} END) END)`
  );
}

/**
 * The JSON value, or SQL NULL for a JSON null (so COALESCE skips it).
 *
 * @example
 * notNull("e -> '$.value.int_value'"); // (CASE WHEN json_type(…) <> 'NULL' THEN … END)
 */
export function notNull(json: string): string {
  return `(CASE WHEN json_type(${json}) <> 'NULL' THEN ${json} END)`;
}

/** A time followed by an explicit UTC offset (+02:00, -0500, +00). `Z` casts directly. */
const OFFSET = `'[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]+)?)?\\s*[+-][0-9][0-9](:?[0-9][0-9])?$'`;

/**
 * ISO 8601 / SQL-style text → TIMESTAMP in UTC, NULL when it does not parse.
 * DuckDB's cast to TIMESTAMP drops an explicit offset instead of applying it, so values with one
 * go through TIMESTAMPTZ; `AT TIME ZONE 'UTC'` makes that independent of the session time zone.
 *
 * @example
 * isoTimestamp("'2024-05-01T11:15:00+02:00'"); // → TIMESTAMP 2024-05-01 09:15:00
 */
export function isoTimestamp(txt: string): string {
  return (
    `(CASE WHEN regexp_matches(${txt}, ${OFFSET}) ` +
    `THEN TRY_CAST(${txt} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE TRY_CAST(${txt} AS TIMESTAMP) END)`
  );
}

/**
 * Epoch text → TIMESTAMP, the unit read from each value's magnitude (exports that mix seconds
 * and milliseconds exist: Mixpanel's `time_in_ms`): below 1e11 seconds, below 1e14
 * milliseconds, else microseconds. Fractions are rounded to the microsecond.
 *
 * @example
 * epochTimestamp("'1714554005250'"); // → TIMESTAMP 2024-05-01 09:00:05.25
 */
export function epochTimestamp(txt: string): string {
  const d = `TRY_CAST(${txt} AS DOUBLE)`;
  return (
    `make_timestamp(TRY_CAST(round(${d} * ` +
    `(CASE WHEN abs(${d}) < 1e11 THEN 1000000 WHEN abs(${d}) < 1e14 THEN 1000 ELSE 1 END)) AS BIGINT))`
  );
}

/**
 * Integer microseconds since the epoch (GA4's event_timestamp) → TIMESTAMP, exactly.
 *
 * @example
 * microsTimestamp("'1714554005250123'"); // → TIMESTAMP 2024-05-01 09:00:05.250123
 */
export function microsTimestamp(txt: string): string {
  return `make_timestamp(TRY_CAST(${txt} AS BIGINT))`;
}

/**
 * `expr IN (…)` over string constants; FALSE for an empty list.
 *
 * @example
 * inList('vendor_event', ['$identify']); // (vendor_event IN ('$identify'))
 */
export function inList(expr: string, values: readonly string[]): string {
  return values.length === 0 ? 'FALSE' : `(${expr} IN (${values.map(quoteLiteral).join(', ')}))`;
}

/**
 * CASE mapping some names to others, leaving the rest as they are.
 *
 * @example
 * renameCase('ev', { $pageview: 'page_viewed' }); // (CASE ev WHEN '$pageview' THEN 'page_viewed' ELSE ev END)
 */
export function renameCase(expr: string, renames: Readonly<Record<string, string>>): string {
  const whens = Object.entries(renames).map(([from, to]) => `WHEN ${quoteLiteral(from)} THEN ${quoteLiteral(to)}`);
  return whens.length === 0 ? expr : `(CASE ${expr} ${whens.join(' ')} ELSE ${expr} END)`;
}

/**
 * Merge JSON objects left to right (later keys win), skipping NULLs; NULL when nothing is left.
 * JSON nulls inside the objects delete keys (RFC 7386 merge-patch), which is also how
 * environment properties that are absent on a row stay absent.
 *
 * @example
 * mergeObjects('"person_props"', '"set"'); // NULLIF(json_merge_patch(json_merge_patch('{}', …), …), '{}')
 */
export function mergeObjects(...objects: readonly string[]): string {
  const merged = objects.reduce((acc, o) => `json_merge_patch(${acc}, COALESCE(${o}, '{}'::JSON))`, `'{}'::JSON`);
  return `NULLIF(${merged}, '{}'::JSON)`;
}

/**
 * A JSON object of environment properties (country, OS) from text expressions; absent values
 * are dropped (by `mergeObjects`). Named `geo_country` / `device_os` so they never overwrite a
 * user trait.
 *
 * @example
 * environment({ geo_country: text('"country"') }); // json_object('geo_country', …)
 */
export function environment(entries: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(entries).map(([k, v]) => `${quoteLiteral(k)}, ${v}`);
  return `json_object(${pairs.join(', ')})`;
}

/**
 * The first value of a `{group type: id}` object (Amplitude `groups`, PostHog `$groups`), by
 * group type in sorted order so the choice is deterministic; an array of ids gives its first.
 *
 * @example
 * firstGroupId(`'{"company": "acme"}'::JSON`); // → 'acme'
 */
export function firstGroupId(groups: string): string {
  // The key goes into a quoted JSONPath so group types like `$org` or `a/b` stay one key.
  const key = `list_sort(json_keys(${groups}))[1]`;
  // `||` (not concat) so an empty object gives a NULL path rather than the invalid `$.""`.
  const first = `json_extract(${groups}, '$."' || replace(replace(${key}, '\\', '\\\\'), '"', '\\"') || '"')`;
  return `(CASE WHEN json_type(${groups}) = 'OBJECT' AND json_array_length(json_keys(${groups})) > 0 THEN ${text(
    `(CASE WHEN json_type(${first}) = 'ARRAY' THEN ${first} -> 0 ELSE ${first} END)`,
  )} END)`;
}

/** SQL for each canonical column, over whatever relation the preset prepared. */
export type CanonicalExprs = Omit<Record<CanonicalColumn, string>, 'file_idx' | 'line' | 'problem' | 'internal'> & {
  /**
   * Extra condition (over the prepared relation, like the other expressions) making a row
   * internal besides its kind and the internal event list.
   */
  readonly internalWhen?: string;
};

/**
 * The final SELECT: canonical columns in CANONICAL_COLUMNS order, typed, with `internal` and
 * `problem` derived the same way for every vendor. `from` must expose `file_idx` and `line`.
 *
 * @example
 * canonicalSelect(from, { user_id: text(f.uid), … }, ['$identify']); // SELECT file_idx, line, user_id, …
 */
export function canonicalSelect(from: string, exprs: CanonicalExprs, internalEvents: readonly string[]): string {
  const typed = (name: CanonicalColumn, type: string) => `CAST(${exprs[name as keyof CanonicalExprs]} AS ${type}) AS ${name}`;
  const inner = [
    'file_idx',
    'line',
    ...CANONICAL_COLUMNS.filter(([n]) => !['file_idx', 'line', 'internal', 'problem'].includes(n)).map(([n, t]) =>
      typed(n, t),
    ),
    `(${exprs.internalWhen ?? 'FALSE'}) AS internal_extra`,
  ];
  const internal = `(c.row_kind <> 'event' OR ${inList('c.vendor_event', internalEvents)} OR c.internal_extra) IS TRUE`;
  const problem =
    `CASE WHEN c.user_id IS NULL THEN 'user' WHEN c.event IS NULL THEN 'event' ` +
    `WHEN c.ts_raw IS NULL THEN 'ts_missing' WHEN c.ts IS NULL THEN 'ts_bad' END`;
  const cols = CANONICAL_COLUMNS.map(([n]) => {
    if (n === 'internal') return `${internal} AS internal`;
    if (n === 'problem') return `CAST(${problem} AS VARCHAR) AS problem`;
    if (n === 'file_idx') return 'CAST(c.file_idx AS INTEGER) AS file_idx';
    if (n === 'line') return 'CAST(c.line AS BIGINT) AS line';
    return `c.${quoteIdent(n)}`;
  });
  return `SELECT ${cols.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${from}) c`;
}

/**
 * A relation over the raw table with one JSON column per named path, all read in a single parse
 * of each row (json_extract with a list of paths), plus `file_idx` and `line`. Returns the
 * relation and each field's quoted column reference.
 *
 * @example
 * const { from, f } = extractFields('raw', { uid: ['userId'], country: ['context', 'location', 'country'] });
 * text(f.uid); // NULLIF(trim("uid" ->> '$'), '')
 */
export function extractFields<K extends string>(
  rawTable: string,
  fields: Readonly<Record<K, readonly string[]>>,
): { from: string; f: Record<K, string> } {
  const names = Object.keys(fields) as K[];
  const paths = names.map((n) => jsonPath(...fields[n]));
  const cols = names.map((n, i) => `x[${i + 1}] AS ${quoteIdent(n)}`);
  const f = Object.fromEntries(names.map((n) => [n, quoteIdent(n)])) as Record<K, string>;
  const from =
    `(SELECT file_idx, line, ${cols.join(', ')} FROM ` +
    `(SELECT file_idx, line, json_extract(j, [${paths.join(', ')}]) AS x FROM ${quoteIdent(rawTable)}))`;
  return { from, f };
}

/**
 * Like `extractFields`, for values inside an already-computed JSON object column `doc` of
 * `relation`: one parse of `doc` for all paths. Returns the relation (all columns of `relation`
 * plus one per field) and the fields' quoted references.
 *
 * @example
 * const { from, f } = extractNested('(SELECT *, properties AS p FROM raw)', 'p', { time: ['time'] });
 */
export function extractNested<K extends string>(
  relation: string,
  doc: string,
  fields: Readonly<Record<K, readonly string[]>>,
): { from: string; f: Record<K, string> } {
  const names = Object.keys(fields) as K[];
  const paths = names.map((n) => jsonPath(...fields[n]));
  const cols = names.map((n, i) => `nx[${i + 1}] AS ${quoteIdent(n)}`);
  const f = Object.fromEntries(names.map((n) => [n, quoteIdent(n)])) as Record<K, string>;
  const from =
    `(SELECT * EXCLUDE (nx), ${cols.join(', ')} FROM ` +
    `(SELECT *, json_extract(${doc}, [${paths.join(', ')}]) AS nx FROM ${relation}))`;
  return { from, f };
}
