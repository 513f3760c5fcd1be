/**
 * The events input: raw files → staging (plain columns or a vendor preset) → each row judged
 * (rejected, duplicate, set aside, out of window, used) in SQL → the `events` table. Every row
 * read ends in exactly one of those outcomes, so the accounting always adds up.
 *
 * A vendor preset is used when configured, or when no columns are configured and every file's
 * first row has a vendor's shape (`detectPreset` only recognises keys plain extracts never have).
 */
import Papa from 'papaparse';
import type { ResolvedConfig } from '../../config/types.js';
import type { RunContext } from '../../core/context.js';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteLiteral } from '../../core/sql.js';
import { judgeEvents, STAGING } from './judge.js';
import { STAGED_VIEW, stagePlain } from './plain.js';
import { containerOf, detectPreset, getPreset, sampleKeys, type Preset } from './presets/index.js';
import { formatOf } from './files.js';
import { firstDataLine } from './read.js';
import { readHead, type TextFacts } from './scan.js';
import type { JudgedEvents } from './types.js';
import { stageVendor } from './vendor.js';

export interface EventsOutcome extends JudgedEvents {
  /**
   * With a preset: a view of the canonical rows to take user and account properties from; call
   * `dropCanonical` when done with it.
   */
  readonly propertiesSource: string | null;
  dropCanonical(): Promise<void>;
}

/**
 * Load, validate, deduplicate and window the event files; leaves the `events` table behind.
 *
 * @example
 * const out = await ingestEvents(db, ['/data/events.csv'], [scanFile('/data/events.csv', 'csv').then((s) => s.text)], config, ctx, new Date());
 * out.mapping; // { userId: 'user_id', event: 'event', timestamp: 'timestamp', timestampFormat: 'iso', eventId: null }
 */
export async function ingestEvents(
  db: Db,
  files: readonly string[],
  /** Each file's scan, possibly still running: awaited before its rows are trusted. */
  scans: readonly Promise<TextFacts | null>[],
  config: ResolvedConfig,
  ctx: RunContext,
  now: Date,
): Promise<EventsOutcome> {
  const valueColumns = valueColumnsOf(config);
  const preset = await choosePreset(db, files, config, ctx);

  if (preset) return ingestVendor(db, preset, files, scans, config, valueColumns, now);

  const staged = await stagePlain(db, files, scans, config, valueColumns, now);
  try {
    if (staged.read === 0) throw errors.emptyInput(files.join(', '), 'events');
    const judged = await judgeEvents(
      db,
      {
        staging: STAGED_VIEW,
        files,
        malformed: staged.malformed,
        read: staged.read,
        valueColumns,
        includeInternal: true,
        vendor: false,
        dedupe: staged.dedupe,
        inFileOrder: staged.inFileOrder,
        reasonFor: staged.reasonFor,
        lineOf: staged.lineOf,
        dropStaging: staged.drop,
      },
      config,
    );
    return { ...judged, mapping: staged.mapping, valueColumns, propertiesSource: null, dropCanonical: async () => {} };
  } catch (e) {
    await staged.drop();
    throw e;
  }
}

async function ingestVendor(
  db: Db,
  preset: Preset,
  files: readonly string[],
  scans: readonly Promise<TextFacts | null>[],
  config: ResolvedConfig,
  valueColumns: readonly string[],
  now: Date,
): Promise<EventsOutcome> {
  // The scans first: DuckDB reads a cut-short gzip without a word, and blank lines (which it
  // skips) are needed for line numbers.
  const facts = await Promise.all(scans);
  // CSV exports have a header line (after any blank lines); JSON lines are numbered from the
  // first line. Lines are reported as an editor shows them, so the header is line 1.
  const headerLines = facts.map((f, i) => {
    const container = containerOf(files[i]);
    return container !== 'csv' && container !== 'tsv' ? 0 : f === null ? 1 : firstDataLine(f);
  });
  const skipped = facts.map((f, i) => {
    if (f === null || f.firstChar === '[') return [];
    const header = headerLines[i];
    return f.blankLines.filter((l) => l > header).map((l) => l - header);
  });
  // JSON lines (not an array): a line that is not a JSON object is one malformed row.
  const objectPerLine = facts.map((f, i) => f !== null && f.firstChar !== '[' && ['jsonl', 'json'].includes(containerOf(files[i])));
  const staged = await stageVendor(db, preset, files, config, valueColumns, now, { skipped, headerLines, objectPerLine });
  try {
    if (staged.read === 0) throw errors.emptyInput(files.join(', '), 'events');
    const judged = await judgeEvents(
      db,
      {
        staging: STAGING,
        files,
        malformed: staged.malformed,
        read: staged.read,
        valueColumns,
        includeInternal: config.features.includeInternalEvents,
        vendor: true,
        dedupe: true,
        inFileOrder: false,
        reasonFor: staged.reasonFor,
        // The vendor staging table stores each row's line.
        lineOf: (_fileIdx, line) => line,
        dropStaging: () => db.run(`DROP TABLE IF EXISTS ${STAGING}`),
      },
      config,
    );
    return { ...judged, mapping: staged.mapping, valueColumns, propertiesSource: staged.propertiesSource, dropCanonical: staged.drop };
  } catch (e) {
    await staged.drop();
    throw e;
  }
}

/** Every column the value features multiply, once each, in order of first use. */
export function valueColumnsOf(config: ResolvedConfig): string[] {
  const out: string[] = [];
  for (const v of config.features.values) for (const c of v.columns) if (!out.includes(c)) out.push(c);
  const reserved = ['user_id', 'event', 'ts'];
  out.forEach((c) => {
    if (reserved.includes(c.toLowerCase())) {
      const i = config.features.values.findIndex((v) => v.columns.includes(c));
      throw errors.configInvalid(config.source ?? 'config', `features.values[${i}].columns`, 'numeric event columns (not user_id, event or ts)', c);
    }
  });
  return out;
}

/** The configured preset; else the vendor all files look like, when no columns are configured. */
async function choosePreset(db: Db, files: readonly string[], config: ResolvedConfig, ctx: RunContext): Promise<Preset | null> {
  const input = config.inputs.events!;
  if (input.preset) return getPreset(input.preset);
  const c = input.columns;
  if (c.userId !== null || c.event !== null || c.timestamp !== null || c.eventId !== null || input.eventName !== null) return null;
  const found = new Set<string | null>();
  for (let i = 0; i < files.length; i++) {
    // A file that cannot even be sampled is left to the plain reader, which reports it properly.
    const keys = await peekKeys(db, files[i]);
    if (keys === null) return null;
    if (keys.length > 0) found.add(detectPreset(keys));
  }
  const [only] = [...found];
  if (found.size !== 1 || only === null || only === undefined) return null;
  ctx.log.info(`events: recognised the ${only} export shape, reading them with the ${only} preset (set source.preset: ${only} to say so)`);
  return getPreset(only);
}

/**
 * The top-level keys of a file's first row: from its first line (a CSV header, a JSON line)
 * when that says, else by asking DuckDB; null when the file cannot be sampled. Reading only the
 * first line, a malformed row further on (which ingest rejects with its line) cannot fail it, as
 * DuckDB's CSV sniffer does on one extra field after 2,048 rows. `segmint init` uses it too.
 */
export async function peekKeys(db: Db, file: string): Promise<string[] | null> {
  const format = formatOf(file) ?? 'csv';
  if (format !== 'parquet') {
    const first = await readHead(file);
    if (first === null) return format === 'json' ? sampleKeys(db, file).catch(() => null) : [];
    if (format === 'csv' || format === 'tsv') {
      const parsed = Papa.parse<string[]>(first, { delimiter: format === 'tsv' ? '\t' : '' });
      return parsed.data[0] ?? [];
    }
    try {
      const row: unknown = JSON.parse(first);
      if (row !== null && typeof row === 'object' && !Array.isArray(row)) return Object.keys(row);
    } catch {
      // Not one object per line (a pretty-printed array, say): let DuckDB look.
    }
  }
  if (format === 'parquet') return parquetColumns(db, file);
  return sampleKeys(db, file).catch(() => null);
}

/**
 * A Parquet file's top-level columns, from its schema: every row has the same keys, and turning
 * the first row into JSON to list them read a whole row group (35 ms of a 1M-row file).
 */
async function parquetColumns(db: Db, file: string): Promise<string[] | null> {
  try {
    const rows = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`);
    return rows.map((r) => r.column_name);
  } catch {
    return null;
  }
}
