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

/**
 * ISO 8601 dates and date-times, with an optional zone (Z, +02, +0200, +02:00), every field in
 * range: PostgreSQL has no TRY_CAST, and one `2026-13-45` or `+25:00` cast as it stands fails
 * the whole query. Month, day ≤ 31, hour (24:00 alone past 23:59, as DuckDB reads it), minute,
 * second < 60 and an offset up to ±14:00 (MAX_OFFSET_MINUTES) are checked here; the day against
 * its month's length in `isoTimestamp`.
 */
const YEAR = '([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])';
const DATE = `${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])`;
const TIME = '[Tt ](([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?|24:00(:00([.]0+)?)?)';
const ZONE = '([Zz]|UTC|[+-](0[0-9]|1[0-3])(:?[0-5][0-9])?|[+-]14(:?00)?)';
const ISO = `'^${DATE}(${TIME})?[ ]*${ZONE}?$'`;
/** A date-time whose offset is beyond ±14:00 (what ingest rejects as `ts_offset`). */
const FAR_OFFSET = `'[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?[ ]*[+-]((1[4-9]|[2-9][0-9])(:?[0-9]{2})?)$'`;
const OFFSET_14 = `'[+-]14(:?00)?$'`;
/** A plain decimal number (what a value column may hold as text). */
const NUMBER = `'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'`;

/**
 * Cleaned ISO text → UTC TIMESTAMP, NULL when it is not a valid ISO date-time (no zone = UTC: the
 * session is UTC). Never raises: the cast runs only on text whose every field is in range — the
 * 29th to 31st checked against the month (positions are fixed once the pattern matched).
 */
export const isoTimestamp = (text: string): string => {
  const part = (from: number, chars: number) => `CAST(substr(${text}, ${from}, ${chars}) AS INTEGER)`;
  const [year, month, day] = [part(1, 4), part(6, 2), part(9, 2)];
  const leap = `((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
  const monthDays = `(CASE WHEN ${month} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
  const cast = `CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC'`;
  // CASE, not AND: PostgreSQL may evaluate AND's operands in either order.
  return `(CASE WHEN ${text} ~ ${ISO} THEN CASE WHEN substr(${text}, 9, 2) < '29' OR ${day} <= ${monthDays} THEN ${cast} END END)`;
};

/** Cleaned text that is a date-time with an offset beyond ±14:00, which no time zone has. */
export const farOffset = (text: string): string => `coalesce(${text} ~ ${FAR_OFFSET} AND NOT ${text} ~ ${OFFSET_14}, FALSE)`;

/** Epoch number → UTC TIMESTAMP, exact to the microsecond (as ingest's make_timestamp). */
export const epochTimestamp = (x: string, microsPerUnit: number): string => {
  const micros = `round(CAST(${x} AS NUMERIC) * ${microsPerUnit})`;
  // Beyond ±EPOCH_MICROS_LIMIT the interval overflows and fails the query: such a value is no
  // time at all, and is NULL (rejected as unparseable) like a value ingest cannot read.
  return `(CASE WHEN abs(${micros}) < ${EPOCH_MICROS_LIMIT} THEN TIMESTAMP '1970-01-01 00:00:00' + CAST(${micros} AS DOUBLE PRECISION) * INTERVAL '1 microsecond' END)`;
};

/** Microseconds from 1970 to past 9999-12-31 (2.5e17 µs ≈ 7,900 years): every plausible time and then some. */
const EPOCH_MICROS_LIMIT = '250000000000000000';

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
