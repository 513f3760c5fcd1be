/**
 * The few things SQL engines spell differently, as one table of functions per dialect. Feature
 * definitions (definitions.ts) are written once against these operations; each dialect only
 * says how to spell "exact microseconds between two timestamps", "count the rows where …", etc.
 *
 * Timestamps are UTC TIMESTAMP values without a time zone (DuckDB TIMESTAMP, PostgreSQL
 * `timestamp`, BigQuery TIMESTAMP, Snowflake TIMESTAMP_NTZ, ClickHouse DateTime64 — a point in
 * time, read here at UTC whatever time zone the column displays in).
 *
 * DuckDB and PostgreSQL renderings are executed in the tests; BigQuery, Snowflake and ClickHouse
 * are golden files checked by a SQL parser (test/ruleset/dialects.test.ts).
 */
import { assertUnreachable } from '../core/errors.js';
import { sqlIdent, sqlLiteral } from '../core/sql.js';

/** Dialects promoted rules are rendered for; CLI choices derive from this list. */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'clickhouse'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface DialectOps {
  readonly dialect: SqlDialect;
  ident(name: string): string;
  literal(value: string): string;
  /** A qualified table name from its parts (`analytics.events` → two quoted parts). */
  table(parts: readonly string[]): string;
  /**
   * A category attribute as compared with a text literal (`plan = 'pro'`, `channel = '1'`): a
   * column of codes may be an integer in the warehouse, which all but BigQuery compare with
   * text as the number it spells.
   */
  category(x: string): string;
  /** CAST(x AS <double>). */
  double(x: string): string;
  /** CAST(x AS <64-bit integer>). */
  bigint(x: string): string;
  /** Exact whole microseconds from timestamp `from` to timestamp `to` (an integer expression). */
  micros(from: string, to: string): string;
  /** The UTC calendar day of a timestamp. */
  date(ts: string): string;
  /** A date attribute column (a date, or a date-time or ISO date text) as a date. */
  dateValue(x: string): string;
  /** Whole days from date `from` to date `to` (an integer). */
  daysBetween(from: string, to: string): string;
  /** The number of rows for which `cond` is true (an aggregate; 0 when none). */
  countIf(cond: string): string;
  /** The value of `x` on the previous row of the window (NULL on the first row), as standard `lag`. */
  previous(x: string, partitionBy: string, orderBy: string): string;
  /** The UTC hour 0–23. */
  hour(ts: string): string;
  /** True on Saturday and Sunday. */
  weekend(ts: string): string;
  /** `ts` minus a whole number of days (exact: 86,400 s each). */
  minusDays(ts: string, days: number): string;
  /** `ts` plus a whole number of days (exact: 86,400 s each). */
  plusDays(ts: string, days: number): string;
  /** The time the statement runs, as a UTC timestamp of the same kind as the events' (whatever the session's time zone). */
  now(): string;
  /** A timestamp literal from `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). */
  timestamp(text: string): string;
  /**
   * A whole statement from a query: what the engine needs said for the query to mean what the
   * definitions mean (ClickHouse: `SETTINGS …`); the query itself elsewhere.
   */
  statement(query: string): string;
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
    previous: (x: string, partitionBy: string, orderBy: string) => `lag(${x}) OVER (PARTITION BY ${partitionBy} ORDER BY ${orderBy})`,
    category: (x: string) => x,
    statement: (query: string) => query,
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
        dateValue: (x) => `CAST(${x} AS DATE)`,
        daysBetween: (from, to) => `date_diff('day', ${from}, ${to})`,
        countIf: (cond) => `count_if(${cond})`,
        weekend: (ts) => `dayofweek(${ts}) IN (0, 6)`,
        minusDays: (ts, days) => `(${ts} - to_microseconds(CAST(${intDays(days) * 86_400_000_000} AS BIGINT)))`,
        plusDays: (ts, days) => `(${ts} + to_microseconds(CAST(${intDays(days) * 86_400_000_000} AS BIGINT)))`,
        // current_timestamp is a TIMESTAMPTZ; its epoch is the instant, so this is UTC without
        // the ICU extension (AT TIME ZONE needs it) and whatever the session's TimeZone.
        now: () => 'make_timestamp(epoch_us(current_timestamp))',
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
        dateValue: (x) => `CAST(${x} AS DATE)`,
        daysBetween: (from, to) => `(${to} - ${from})`,
        countIf: (cond) => `count(*) FILTER (WHERE ${cond})`,
        weekend: (ts) => `EXTRACT(DOW FROM ${ts}) IN (0, 6)`,
        minusDays: (ts, days) => `(${ts} - INTERVAL '${intDays(days)} days')`,
        // On a timestamp without time zone a day is always 24 hours.
        plusDays: (ts, days) => `(${ts} + INTERVAL '${intDays(days)} days')`,
        now: () => `(current_timestamp AT TIME ZONE 'UTC')`,
        timestamp: (text) => `CAST(${sqlLiteral(text, dialect)} AS TIMESTAMP)`,
      };
    case 'bigquery':
      return {
        ...common,
        double: (x) => `CAST(${x} AS FLOAT64)`,
        bigint: (x) => `CAST(${x} AS INT64)`,
        // BigQuery has no INT64 = STRING comparison ("No matching signature"), and an INT64
        // column as text is the code's digits (outside check: channel = '1' against INT64).
        category: (x) => `CAST(${x} AS STRING)`,
        micros: (from, to) => `TIMESTAMP_DIFF(${to}, ${from}, MICROSECOND)`,
        date: (ts) => `DATE(${ts})`,
        // DATE() takes a TIMESTAMP or DATETIME but not a DATE or a STRING; CAST takes all four.
        dateValue: (x) => `CAST(${x} AS DATE)`,
        daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
        countIf: (cond) => `COUNTIF(${cond})`,
        // BigQuery numbers days 1 (Sunday) to 7 (Saturday).
        weekend: (ts) => `EXTRACT(DAYOFWEEK FROM ${ts}) IN (1, 7)`,
        minusDays: (ts, days) => `TIMESTAMP_SUB(${ts}, INTERVAL ${intDays(days)} DAY)`,
        plusDays: (ts, days) => `TIMESTAMP_ADD(${ts}, INTERVAL ${intDays(days)} DAY)`,
        now: () => 'CURRENT_TIMESTAMP()',
        timestamp: (text) => `TIMESTAMP ${sqlLiteral(text, dialect)}`,
      };
    case 'snowflake':
      return {
        ...common,
        double: (x) => `CAST(${x} AS DOUBLE)`,
        bigint: (x) => `CAST(${x} AS BIGINT)`,
        micros: (from, to) => `DATEDIFF(microsecond, ${from}, ${to})`,
        date: (ts) => `CAST(${ts} AS DATE)`,
        dateValue: (x) => `CAST(${x} AS DATE)`,
        daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
        countIf: (cond) => `COUNT_IF(${cond})`,
        // DAYOFWEEKISO does not depend on the session's WEEK_START: 6 = Saturday, 7 = Sunday.
        weekend: (ts) => `DAYOFWEEKISO(${ts}) IN (6, 7)`,
        minusDays: (ts, days) => `DATEADD(day, -${intDays(days)}, ${ts})`,
        plusDays: (ts, days) => `DATEADD(day, ${intDays(days)}, ${ts})`,
        // The UTC time as TIMESTAMP_NTZ (CURRENT_TIMESTAMP is TIMESTAMP_LTZ, in the session's zone).
        now: () => 'SYSDATE()',
        timestamp: (text) => `CAST(${sqlLiteral(text, dialect)} AS TIMESTAMP_NTZ)`,
      };
    case 'clickhouse':
      // ClickHouse differs from the others in ways the definitions depend on:
      // - a LEFT JOIN without a match fills the right side's columns with their type's default
      //   (0, '') rather than NULL unless join_use_nulls = 1, and a missing user or account row
      //   must be a missing attribute (NULL satisfies no condition): statement() sets it;
      // - CAST(x AS Float64) fails on a NULL (columns are non-Nullable by default, a NULL needs
      //   Nullable(…)); toFloat64 / toInt64 keep a Nullable argument's NULLs;
      // - standard lag() is missing from older servers and lagInFrame respects the frame and gives
      //   the type's default on the first row: over the whole partition, on a Nullable copy, it
      //   is lag;
      // - date parts take the time zone as an argument, so a DateTime64 displayed in another zone
      //   is still read at UTC; `- INTERVAL n DAY` is a calendar day in the column's zone, so the
      //   window moves by exact seconds;
      // - an aggregate over no rows gives the type's default (0, nan) rather than NULL; the
      //   definitions aggregate only within GROUP BY groups (never empty), and a value's sum,
      //   mean and max spell out what they are when no event has a value (coalesce, CASE);
      // - an alias stands for its expression anywhere in the SELECT, even where a column of the
      //   same name is meant (the old analyzer also drops qualifiers it finds unambiguous): a
      //   feature named like a column the same SELECT reads (`e`, `sessions`) would capture it.
      //   prefer_column_name_to_alias = 1 gives the standard reading, a name is the column.
      return {
        ...common,
        hour: (ts) => `toHour(${ts}, 'UTC')`,
        previous: (x, partitionBy, orderBy) =>
          `lagInFrame(toNullable(${x})) OVER (PARTITION BY ${partitionBy} ORDER BY ${orderBy} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
        double: (x) => `toFloat64(${x})`,
        bigint: (x) => `toInt64(${x})`,
        micros: (from, to) => `dateDiff('microsecond', ${from}, ${to})`,
        date: (ts) => `toDate(${ts}, 'UTC')`,
        dateValue: (x) => `toDate(${x})`,
        daysBetween: (from, to) => `dateDiff('day', ${from}, ${to})`,
        countIf: (cond) => `countIf(${cond})`,
        // Mode 0: Monday = 1 … Sunday = 7.
        weekend: (ts) => `toDayOfWeek(${ts}, 0, 'UTC') IN (6, 7)`,
        minusDays: (ts, days) => `(${ts} - INTERVAL ${intDays(days) * 86_400} SECOND)`,
        plusDays: (ts, days) => `(${ts} + INTERVAL ${intDays(days) * 86_400} SECOND)`,
        now: () => `now64(6, 'UTC')`,
        timestamp: (text) => `toDateTime64(${sqlLiteral(text, dialect)}, 6, 'UTC')`,
        statement: (query) => `${query} SETTINGS join_use_nulls = 1, prefer_column_name_to_alias = 1`,
      };
    default:
      return assertUnreachable(dialect);
  }
}
