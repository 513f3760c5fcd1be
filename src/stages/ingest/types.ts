/** What ingestion leaves in the database and reports about the rows it read. */

/** Which input column plays which role. `auto` in config resolves to one of these names. */
export interface EventColumnMapping {
  readonly userId: string;
  readonly event: string;
  readonly timestamp: string;
  /** How the raw timestamp column was interpreted. */
  readonly timestampFormat: 'timestamp' | 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us';
}

/** Row accounting for one input role: read = used + outOfWindow + duplicates + rejected. */
export interface RowAccounting {
  readonly role: 'events' | 'users' | 'accounts';
  readonly files: readonly string[];
  readonly read: number;
  readonly used: number;
  readonly outOfWindow: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface RejectedRow {
  readonly file: string;
  /** 1-based data line (header excluded) or row number within the file. */
  readonly line: number;
  readonly value: string;
  readonly reason: string;
}

export interface InputFingerprint {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface AnalysisWindow {
  /** ISO timestamps, inclusive start, inclusive end. */
  readonly start: string;
  readonly end: string;
  readonly days: number;
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
}

/**
 * Tables ingestion creates in the run's DuckDB database:
 *   events(user_id VARCHAR, event VARCHAR, ts TIMESTAMP)            -- in window, deduplicated
 *   users(user_id VARCHAR, account_id VARCHAR?, <attribute columns>) -- when a users table is given
 *   accounts(account_id VARCHAR, <attribute columns>)               -- when an accounts table is given
 */
export interface IngestResult {
  readonly events: { readonly table: 'events'; readonly rows: number; readonly mapping: EventColumnMapping };
  readonly users: {
    readonly table: 'users';
    readonly rows: number;
    readonly key: string;
    readonly accountKey: string | null;
    /** Optional: the attribute columns, in table order (added by ingest; absent = read the table). */
    readonly attributes?: readonly AttributeColumn[];
    /** Optional: input columns left out of the attributes, with the reason. */
    readonly excluded?: readonly ExcludedColumn[];
  } | null;
  readonly accounts: {
    readonly table: 'accounts';
    readonly rows: number;
    readonly key: string;
    /** Optional: the attribute columns, in table order. */
    readonly attributes?: readonly AttributeColumn[];
    /** Optional: input columns left out of the attributes, with the reason. */
    readonly excluded?: readonly ExcludedColumn[];
  } | null;
  readonly window: AnalysisWindow;
  readonly accounting: readonly RowAccounting[];
  readonly rejects: readonly RejectedRow[];
  readonly fingerprints: readonly InputFingerprint[];
}
