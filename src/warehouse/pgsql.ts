/**
 * The few SQL spellings the warehouse front needs beyond the feature definitions' dialect
 * operations (ruleset/dialect.ts): reading text, null spellings, ISO text timestamps, byte-order
 * sorting, timestamps as ISO text. PostgreSQL is the warehouse segmint connects to; these are
 * its spellings.
 */
import { sqlIdent, sqlLiteral } from '../core/sql.js';
import { NULL_TOKENS } from '../stages/ingest/values.js';

export const ident = (name: string): string => sqlIdent(name, 'postgres');
export const literal = (value: string): string => sqlLiteral(value, 'postgres');

/** Any value as text. */
export const asText = (x: string): string => `CAST(${x} AS TEXT)`;

/** Text trimmed, with the null spellings exports use (NA, null, …) as NULL — as ingest's cleanText. */
export const cleanText = (x: string): string =>
  `CASE WHEN lower(trim(${x})) IN (${NULL_TOKENS.map((t) => `'${t}'`).join(', ')}) THEN NULL ELSE trim(${x}) END`;

/** ISO 8601 dates and date-times, with an optional zone (Z, +02, +0200, +02:00). */
const ISO = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?[ ]*([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$'`;
/** A plain decimal number (what a value column may hold as text). */
const NUMBER = `'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'`;

/** Cleaned ISO text → UTC TIMESTAMP, NULL when not ISO-shaped (no zone = UTC: the session is UTC). */
export const isoTimestamp = (text: string): string => `(CASE WHEN ${text} ~ ${ISO} THEN CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' END)`;

/** Epoch number → UTC TIMESTAMP, exact to the microsecond (as ingest's make_timestamp). */
export const epochTimestamp = (x: string, microsPerUnit: number): string =>
  `(TIMESTAMP '1970-01-01 00:00:00' + CAST(round(CAST(${x} AS NUMERIC) * ${microsPerUnit}) AS DOUBLE PRECISION) * INTERVAL '1 microsecond')`;

/** Whether cleaned text is a plain number. */
export const isNumberText = (text: string): string => `${text} ~ ${NUMBER}`;

/** An expression ordered by bytes (as DuckDB orders text), whatever the database's collation. */
export const byteOrder = (x: string): string => `${x} COLLATE "C"`;

/** A TIMESTAMP as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export const isoText = (ts: string): string => `to_char(${ts}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `ts` minus whole days (exact: 86,400 s each; TIMESTAMP has no zone and so no DST). */
export const minusDays = (ts: string, days: number): string => `(${ts} - INTERVAL '${Math.round(days)} days')`;

/** A TIMESTAMP literal from `…T…Z` ISO text. */
export const timestampLiteral = (iso: string): string => `CAST(${literal(iso.replace('T', ' ').replace(/Z$/, ''))} AS TIMESTAMP)`;
