/** What ingestion leaves in the database and reports about the rows it read. */
import type { PresetName } from '../../core/presets.js';

/**
 * Which input column plays which role. `auto` in config resolves to one of these names. With a
 * vendor preset the names describe the vendor's fields (e.g. `userId or anonymousId`); with a
 * constant event name, `event` reads `(constant "purchase")`.
 */
export interface EventColumnMapping {
  readonly userId: string;
  readonly event: string;
  readonly timestamp: string;
  /** How the raw timestamp column was interpreted. */
  readonly timestampFormat: 'timestamp' | 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'yyyymmdd';
  /** Optional: the vendor preset the events were read with (configured or recognised). */
  readonly preset?: PresetName;
  /** Optional: the column (or preset key) used to drop duplicate deliveries, when there is one. */
  readonly eventId?: string | null;
  /**
   * Only when the files were not all read alike (one daily export in epoch milliseconds among ISO
   * ones, a renamed column): each file's own columns and format. The fields above are the first
   * file's.
   */
  readonly byFile?: readonly FileColumnMapping[];
}

/** How one file's columns were read, when the files of one input differ (`byFile`). */
export interface FileColumnMapping {
  readonly file: string;
  readonly userId: string;
  readonly event: string;
  readonly timestamp: string;
  readonly timestampFormat: EventColumnMapping['timestampFormat'];
  readonly eventId: string | null;
}

/**
 * Row accounting for one input role:
 * read = used + outOfWindow + duplicates + rejected + (setAside ?? 0).
 */
export interface RowAccounting {
  readonly role: 'events' | 'users' | 'accounts';
  readonly files: readonly string[];
  readonly read: number;
  readonly used: number;
  readonly outOfWindow: number;
  /**
   * Events only: users with no valid event in the window and some before it (so they are in no
   * segment; a wider window would hold them). Users whose events all come after an as-of end are
   * not counted: they had not started by then.
   */
  readonly usersOutOfWindow?: number;
  readonly duplicates: number;
  readonly rejected: number;
  /**
   * Optional: vendor-internal events ($identify, session_start, …) deliberately not counted as
   * behaviour (present when a vendor preset was used; see `features.include_internal_events`).
   */
  readonly setAside?: number;
}

export interface RejectedRow {
  readonly file: string;
  /**
   * The line an editor shows (1-based; a CSV header is line 1, so a CSV's first row is line 2),
   * or the element's number in a JSON array or the row's in a Parquet file.
   */
  readonly line: number;
  /** The offending value as read (at most 1,000 characters, longer ones cut with `…`). */
  readonly value: string;
  readonly reason: string;
}

/** Rows of one vendor event name set aside as vendor bookkeeping (not behaviour). */
export interface SetAsideEvent {
  readonly event: string;
  readonly rows: number;
}

/**
 * What judging a source's events leaves, the same for files (ingest/events.ts) and warehouse
 * tables (warehouse/events.ts): how columns were read, the window, every row accounted for.
 */
export interface JudgedEvents {
  readonly mapping: EventColumnMapping;
  readonly window: AnalysisWindow;
  readonly accounting: RowAccounting;
  readonly rejects: readonly RejectedRow[];
  /** Value-feature columns carried into the events, in order. */
  readonly valueColumns: readonly string[];
  /** Rows set aside per vendor event name, most first (only with a preset). */
  readonly setAside: readonly SetAsideEvent[];
}

export interface InputFingerprint {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * The analysis window. Attribute-only runs have no events to window; theirs ends at
 * `window.end`, else the latest date in the attribute tables, else the start of the run's day,
 * and only dates (turned into ages) refer to it.
 */
export interface AnalysisWindow {
  /** ISO timestamps, inclusive start, inclusive end. */
  readonly start: string;
  readonly end: string;
  readonly days: number;
  /**
   * The earliest event used (ISO), when the log begins after the window's start: a 60-day log
   * in a 90-day window (the report says so beside the window's dates). Absent otherwise.
   */
  readonly firstEvent?: string;
}

/** How an attribute column is typed in the `users` / `accounts` table. */
export type AttributeType = 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'VARCHAR';

/** An attribute column of the `users` or `accounts` table (named as in the input file). */
export interface AttributeColumn {
  readonly column: string;
  readonly type: AttributeType;
}

/** An input column that was deliberately not made an attribute, and why. */
export interface ExcludedColumn {
  readonly column: string;
  readonly reason: string;
  /** The analyst's config left it out (`exclude`, a declared `id` or `ignore` type), so there is nothing to tell them. */
  readonly chosen?: true;
}

/**
 * Tables ingestion creates in the run's DuckDB database:
 *   events(user_id VARCHAR, event VARCHAR, ts TIMESTAMP, <value columns DOUBLE>) -- in window, deduplicated
 *   users(user_id VARCHAR, account_id VARCHAR?, <attribute columns>) -- when a users table is given,
 *                                                                      or user properties carried by events
 *   accounts(account_id VARCHAR, <attribute columns>)               -- likewise for accounts
 */
export interface IngestResult {
  /** null for an attribute-only run (no events input). */
  readonly events: {
    readonly table: 'events';
    readonly rows: number;
    readonly mapping: EventColumnMapping;
    /** Optional: numeric columns carried into `events` for value features (named as in the input, DOUBLE). */
    readonly valueColumns?: readonly string[];
  } | null;
  readonly users: {
    readonly table: 'users';
    readonly rows: number;
    readonly key: string;
    readonly accountKey: string | null;
    /** Optional: where the attributes came from: a users table (default) or properties carried by events. */
    readonly source?: 'table' | 'events';
    /** Optional: the attribute columns, in table order (added by ingest; absent = read the table). */
    readonly attributes?: readonly AttributeColumn[];
    /** Optional: input columns left out of the attributes, with the reason. */
    readonly excluded?: readonly ExcludedColumn[];
  } | null;
  readonly accounts: {
    readonly table: 'accounts';
    readonly rows: number;
    readonly key: string;
    /** Optional: where the attributes came from: an accounts table (default) or group calls in the events. */
    readonly source?: 'table' | 'events';
    /** Optional: the attribute columns, in table order. */
    readonly attributes?: readonly AttributeColumn[];
    /** Optional: input columns left out of the attributes, with the reason. */
    readonly excluded?: readonly ExcludedColumn[];
  } | null;
  readonly window: AnalysisWindow;
  readonly accounting: readonly RowAccounting[];
  readonly rejects: readonly RejectedRow[];
  readonly fingerprints: readonly InputFingerprint[];
  /**
   * Optional: outcome columns (`inputs.users.outcomes`), kept out of `users` / `accounts` in tables
   * of their own, `<table>(user_id | account_id, <column>)`, so no stage can cluster on them.
   */
  readonly outcomes?: readonly OutcomeColumn[];
}

/** An outcome column as ingest typed it, and the engine table holding it. */
export interface OutcomeColumn {
  readonly source: 'users' | 'accounts';
  readonly table: string;
  readonly column: string;
  readonly type: AttributeType;
}
