/**
 * Events from a vendor export read with its preset: files → canonical rows (presets module) →
 * the judge's staging table. The canonical table stays behind for the user and account
 * properties the events carry (`eventAttributes.ts`); the caller drops it.
 *
 * Event cases and value features name keys of the event properties here (`props`), e.g.
 * `value` or `revenue` on a purchase event, since vendor events carry their numbers there.
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Db } from '../../core/duckdb.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import {
  commonChecks,
  futureLimit,
  MAX_NAME_CHARS,
  NON_FINITE,
  nonFiniteReason,
  OLDEST_PLAUSIBLE,
  problemSql,
  STAGING,
  type Check,
} from './judge.js';
import { jsonPath, loadPresetEvents, type Preset } from './presets/index.js';
import { MAX_VALUE_CHARS, type MalformedRow } from './read.js';
import { eventCaseSql } from './plain.js';
import type { EventColumnMapping } from './types.js';
import { cleanText } from './values.js';

/** The canonical table a preset run leaves for attribute extraction. */
export const CANONICAL = 'ingest_canon_events';

export interface VendorStaged {
  readonly mapping: EventColumnMapping;
  /** Rows read from all files, malformed lines included. */
  readonly read: number;
  /** Per file, the lines that are not a JSON object (JSON lines exports only). */
  readonly malformed: readonly (readonly MalformedRow[])[];
  reasonFor(fileIdx: number, problem: string): string;
  /**
   * A view of the canonical rows fit to take properties from: a user id, a plausible time, no
   * problem.
   */
  readonly propertiesSource: string;
  /** Drop the canonical table and its view. */
  drop(): Promise<void>;
}

/**
 * Read `files` with `preset` and stage the rows for judging.
 *
 * @example
 * const staged = await stageVendor(db, getPreset('segment'), ['/exports/segment.jsonl'], config, [], new Date());
 * staged.mapping.userId; // 'userId or anonymousId'
 */
export async function stageVendor(
  db: Db,
  preset: Preset,
  files: readonly string[],
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
  /** Per file, the lines before its first row and the data lines holding no row (see `LoadOptions`). */
  lines: { readonly skipped?: readonly (readonly number[])[]; readonly headerLines?: readonly number[]; readonly objectPerLine?: readonly boolean[] } = {},
): Promise<VendorStaged> {
  const summary = await loadPresetEvents(db, preset, files, CANONICAL, {
    keepRaw: true,
    skippedLines: lines.skipped,
    headerLines: lines.headerLines,
    objectPerLine: lines.objectPerLine,
  });
  const raw = `${CANONICAL}__raw`;
  const prop = (key: string) => cleanText(`json_extract_string(props, ${jsonPath(key)})`);
  const cases = config.inputs.events!.eventCases;
  const ev = eventCaseSql('event', cases, (i) => prop(cases[i].column));

  const checks: Check[] = [
    // The preset's own verdict first (no user, no event name, no or bad time).
    { when: 'problem IS NOT NULL', code: 'problem', raw: `CASE WHEN problem = 'ts_bad' THEN ts_raw END` },
    ...commonChecks(
      {
        uid: 'user_id',
        uidRaw: 'user_id',
        ev: 'ev',
        evRaw: 'ev',
        ts: 'ts',
        tsRaw: 'ts_raw',
        values: valueColumns.map((c) => ({ txt: prop(c), raw: `json_extract_string(props, ${jsonPath(c)})` })),
      },
      now,
    ),
  ];
  const { problem, value } = problemSql(checks);
  const vals = valueColumns.map((c, k) => `, TRY_CAST(${prop(c)} AS DOUBLE) AS v${k}`).join('');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGING} AS SELECT file_idx, line, user_id AS uid, ev, ts, insert_id AS dedupe_id, ` +
      `internal, vendor_event, ${problem} AS problem, ${value} AS value${vals} ` +
      `FROM (SELECT *, ${ev} AS ev FROM ${quoteIdent(CANONICAL)})`,
  );
  // A row without a user or an event name is best quoted whole: the raw JSON says what it was.
  await db.run(
    `UPDATE ${STAGING} SET value = left(CAST(r.j AS VARCHAR), ${MAX_VALUE_CHARS + 1}) FROM ${quoteIdent(raw)} r ` +
      `WHERE ${STAGING}.problem IN ('user', 'event') AND r.file_idx = ${STAGING}.file_idx AND r.line = ${STAGING}.line`,
  );
  await db.run(`DROP TABLE IF EXISTS ${quoteIdent(raw)}`);

  const view = `${CANONICAL}_props`;
  const future = new Date(now.getTime() + 86_400_000).toISOString();
  await db.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM ${quoteIdent(CANONICAL)} WHERE problem IS NULL ` +
      `AND ts >= TIMESTAMP '${OLDEST_PLAUSIBLE}' AND ts <= CAST(${quoteLiteral(future)} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ` +
      `AND length(user_id) <= ${MAX_NAME_CHARS}`,
  );

  const f = preset.fields;
  const reasonFor = (_fileIdx: number, code: string): string => {
    switch (code) {
      case 'user':
      case 'user_long':
        return code === 'user' ? `missing user id (no ${f.userId})` : `user id longer than ${MAX_NAME_CHARS} characters (${f.userId})`;
      case 'event':
        return `missing event name (no ${f.event})`;
      case 'event_long':
        return `event name longer than ${MAX_NAME_CHARS} characters (${f.event})`;
      case 'ts_missing':
        return `missing timestamp (no ${f.timestamp})`;
      case 'ts_bad':
        return `unparseable timestamp (${f.timestamp})`;
      case 'ts_old':
        return `implausible timestamp before ${OLDEST_PLAUSIBLE} (${f.timestamp})`;
      case 'ts_future':
        return `timestamp in the future, after ${futureLimit(now)} (${f.timestamp})`;
      default: {
        if (code.startsWith(NON_FINITE)) {
          return nonFiniteReason(`event property ${JSON.stringify(valueColumns[Number(code.slice(NON_FINITE.length))] ?? '?')}`);
        }
        const k = Number(code.replace(/^value_/, ''));
        return `non-numeric value (event property ${JSON.stringify(valueColumns[k] ?? '?')}, used by a value feature)`;
      }
    }
  };

  return {
    mapping: {
      userId: f.userId,
      event: f.event,
      timestamp: f.timestamp,
      timestampFormat: f.timestampFormat,
      preset: preset.name,
      eventId: f.eventId,
    },
    read: summary.rows + summary.malformed.reduce((n, m) => n + m.length, 0),
    malformed: summary.malformed,
    reasonFor,
    propertiesSource: view,
    drop: async () => {
      await db.run(`DROP VIEW IF EXISTS ${quoteIdent(view)}`);
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(CANONICAL)}`);
    },
  };
}
