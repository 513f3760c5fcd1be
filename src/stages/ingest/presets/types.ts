/**
 * Vendor presets: how one analytics vendor's raw export maps onto segmint's canonical event rows.
 *
 * The pipeline is the same for every vendor:
 *   files ──readSql──▶ raw table (file_idx, line, j JSON) ──canonicalSql──▶ canonical rows
 * Every raw row becomes exactly one canonical row (nothing is filtered here), so the caller can
 * account for each: behaviour, internal, duplicate (same `insert_id`), or rejected (`problem`).
 */

import type { PresetName } from '../../../core/presets.js';

export type { PresetName };

/**
 * What a canonical row carries:
 *  - `event`: behaviour or vendor telemetry (sessions, heartbeats): see `internal`;
 *  - `identify`: sets user attributes (Segment identify, Amplitude/PostHog `$identify`, PostHog `$set`);
 *  - `group`: sets account attributes or membership (Segment group, `$groupidentify`);
 *  - `alias`: links two identities (Segment alias, Mixpanel `$identify`/`$create_alias`/`$merge`).
 */
export type RowKind = 'event' | 'identify' | 'group' | 'alias';

/** Why a canonical row cannot be used; the same codes the generic loader uses. */
export type RowProblem = 'user' | 'event' | 'ts_missing' | 'ts_bad';

/**
 * The columns of the relation `canonicalSql` returns, in order, with their DuckDB types.
 * JSON columns hold objects (or NULL), never JSON-encoded strings.
 */
export const CANONICAL_COLUMNS = [
  ['file_idx', 'INTEGER'], // index of the file in the list given to the loader
  ['line', 'BIGINT'], // the line an editor shows (a CSV header is line 1); a row's number for JSON arrays and Parquet
  ['user_id', 'VARCHAR'], // the vendor's user id, or its anonymous/device id when there is none
  ['event', 'VARCHAR'], // canonical event name (page/screen views unified, see the README)
  ['vendor_event', 'VARCHAR'], // the name exactly as the export spells it (or the message type)
  ['ts', 'TIMESTAMP'], // UTC; NULL when missing or unparseable (see `problem`)
  ['ts_raw', 'VARCHAR'], // the timestamp as written, for reject messages
  ['insert_id', 'VARCHAR'], // deduplication key: rows sharing one, a user, an event and a time are the same event delivered twice
  ['internal', 'BOOLEAN'], // true for vendor bookkeeping (identify, sessions, heartbeats, …)
  ['row_kind', 'VARCHAR'], // RowKind
  ['user_props', 'JSON'], // user properties this row sets (overwrite semantics), or NULL
  ['user_props_once', 'JSON'], // user properties set only if never set ($set_once / $setOnce)
  ['account_id', 'VARCHAR'], // the account (group) the user belongs to, when the row says
  ['account_props', 'JSON'], // account properties this row sets (group rows), or NULL
  ['props', 'JSON'], // event properties as an object (GA4 event_params flattened)
  ['problem', 'VARCHAR'], // RowProblem, or NULL for a usable row
] as const;

export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number][0];

export interface Preset {
  readonly name: PresetName;
  /** One line for help texts and the config reference. */
  readonly description: string;
  /**
   * DuckDB SELECT reading `files` into `(file_idx INTEGER, filename VARCHAR, j JSON)`, one
   * JSON object per input row. JSON lines / JSON (optionally .gz) are read as they are; CSV and
   * Parquet rows become objects keyed by column name (JSON-encoded cells are parsed later).
   * Row order within a file is only guaranteed once materialised: use `loadPresetRaw`.
   */
  readSql(files: readonly string[]): string;
  /**
   * SQL over the table `rawTable` (columns file_idx, line, j JSON, as `loadPresetRaw` makes it)
   * giving one canonical row per raw row, with the columns of CANONICAL_COLUMNS.
   */
  canonicalSql(rawTable: string): string;
  /** Vendor event names (as exported) that are bookkeeping, not user behaviour. */
  readonly internalEvents: readonly string[];
  /** Vendor event names renamed to a canonical one (page and screen views). */
  readonly renamedEvents: Readonly<Record<string, string>>;
  /**
   * Top-level keys a row of this export must have: every group needs at least one of its keys.
   * Used to tell a user that the file is not what the preset expects.
   */
  readonly shape: readonly (readonly string[])[];
  /** Where each canonical field comes from, in words, for the run's column mapping and reject reasons. */
  readonly fields: PresetFields;
}

export interface PresetFields {
  readonly userId: string;
  readonly event: string;
  readonly timestamp: string;
  /** How the timestamp is written (Mixpanel's seconds/milliseconds are told apart per row). */
  readonly timestampFormat: 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us';
  /** What identifies a delivery, for deduplication. */
  readonly eventId: string;
}
