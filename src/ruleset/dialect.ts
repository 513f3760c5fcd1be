/**
 * The few things SQL engines spell differently, as one table of functions per dialect. Feature
 * definitions (definitions.ts) are written once against these operations; each dialect only
 * says how to spell "exact microseconds between two timestamps", "count the rows where …", etc.
 *
 * Timestamps are UTC TIMESTAMP values without a time zone (DuckDB TIMESTAMP, PostgreSQL
 * `timestamp`, BigQuery TIMESTAMP, Snowflake TIMESTAMP_NTZ).
 */
import { assertUnreachable } from '../core/errors.js';
import { sqlIdent, sqlLiteral } from '../core/sql.js';

/** Dialects promoted rules are rendered for; CLI choices derive from this list. */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface DialectOps {
  readonly dialect: SqlDialect;
  ident(name: string): string;
  literal(value: string): string;
  /** A qualified table name from its parts (`analytics.events` → two quoted parts). */
  table(parts: readonly string[]): string;
  /** CAST(x AS <double>). */
  double(x: string): string;
  /** CAST(x AS <64-bit integer>). */
  bigint(x: string): string;
  /** Exact whole microseconds from timestamp `from` to timestamp `to` (an integer expression). */
  micros(from: string, to: string): string;
  /** The UTC calendar day of a timestamp. */
  date(ts: string): string;
  /** Whole days from date `from` to date `to` (an integer). */
  daysBetween(from: string, to: string): string;
  /** The number of rows for which `cond` is true (an aggregate; 0 when none). */
  countIf(cond: string): string;
  /** The UTC hour 0–23. */
  hour(ts: string): string;
  /** True on Saturday and Sunday. */
  weekend(ts: string): string;
  /** `ts` minus a whole number of days (exact: 86,400 s each). */
  minusDays(ts: string, days: number): string;
  /** A timestamp literal from `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). */
  timestamp(text: string): string;
}

const intDays = (days: number): number => {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`whole days expected, got ${days}`);
  return days;
};

/** The operations of one dialect. */
export function opsFor(dialect: SqlDialect): DialectOps {
  const ident = (name: string) => sqlIdent(name, dialect);
  const common = {
    dialect,
    ident,
    literal: (value: string) => sqlLiteral(value, dialect),
    table: (parts: readonly string[]) => parts.map(ident).join('.'),
    hour: (ts: string) => `EXTRACT(HOUR FROM ${ts})`,
  };
  switch (dialect) {
    case 'duckdb':
      // The features stage's own spelling (behaviour.ts), so the two agree to the bit.
      return {
        ...common,
        double: (x) => `CAST(${x} AS DOUBLE)`,
        bigint: (x) => `CAST(${x} AS BIGINT)`,
        micros: (from, to) => `(epoch_us(${to}) - epoch_us(${from}))`,
        date: (ts) => `CAST(${ts} AS DATE)`,
        daysBetween: (from, to) => `date_diff('day', ${from}, ${to})`,
        countIf: (cond) => `count_if(${cond})`,
        weekend: (ts) => `dayofweek(${ts}) IN (0, 6)`,
        minusDays: (ts, days) => `(${ts} - to_microseconds(CAST(${intDays(days) * 86_400_000_000} AS BIGINT)))`,
        timestamp: (text) => `CAST(${sqlLiteral(text, dialect)} AS TIMESTAMP)`,
      };
    case 'postgres':
      return {
        ...common,
        double: (x) => `CAST(${x} AS DOUBLE PRECISION)`,
        bigint: (x) => `CAST(${x} AS BIGINT)`,
        // EXTRACT(EPOCH FROM interval) is an exact numeric (PostgreSQL 14+).
        micros: (from, to) => `CAST(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000000 AS BIGINT)`,
        date: (ts) => `CAST(${ts} AS DATE)`,
        daysBetween: (from, to) => `(${to} - ${from})`,
        countIf: (cond) => `count(*) FILTER (WHERE ${cond})`,
        weekend: (ts) => `EXTRACT(DOW FROM ${ts}) IN (0, 6)`,
        minusDays: (ts, days) => `(${ts} - INTERVAL '${intDays(days)} days')`,
        timestamp: (text) => `CAST(${sqlLiteral(text, dialect)} AS TIMESTAMP)`,
      };
    case 'bigquery':
      return {
        ...common,
        double: (x) => `CAST(${x} AS FLOAT64)`,
        bigint: (x) => `CAST(${x} AS INT64)`,
        micros: (from, to) => `TIMESTAMP_DIFF(${to}, ${from}, MICROSECOND)`,
        date: (ts) => `DATE(${ts})`,
        daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
        countIf: (cond) => `COUNTIF(${cond})`,
        // BigQuery numbers days 1 (Sunday) to 7 (Saturday).
        weekend: (ts) => `EXTRACT(DAYOFWEEK FROM ${ts}) IN (1, 7)`,
        minusDays: (ts, days) => `TIMESTAMP_SUB(${ts}, INTERVAL ${intDays(days)} DAY)`,
        timestamp: (text) => `TIMESTAMP ${sqlLiteral(text, dialect)}`,
      };
    case 'snowflake':
      return {
        ...common,
        double: (x) => `CAST(${x} AS DOUBLE)`,
        bigint: (x) => `CAST(${x} AS BIGINT)`,
        micros: (from, to) => `DATEDIFF(microsecond, ${from}, ${to})`,
        date: (ts) => `CAST(${ts} AS DATE)`,
        daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
        countIf: (cond) => `COUNT_IF(${cond})`,
        // DAYOFWEEKISO does not depend on the session's WEEK_START: 6 = Saturday, 7 = Sunday.
        weekend: (ts) => `DAYOFWEEKISO(${ts}) IN (6, 7)`,
        minusDays: (ts, days) => `DATEADD(day, -${intDays(days)}, ${ts})`,
        timestamp: (text) => `CAST(${sqlLiteral(text, dialect)} AS TIMESTAMP_NTZ)`,
      };
    default:
      return assertUnreachable(dialect);
  }
}
