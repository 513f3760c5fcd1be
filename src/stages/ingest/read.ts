/**
 * Reading one input file into a DuckDB temp table, with SQL to read any column as text and the
 * row's line in its file. Typing and validation happen later in SQL, where a bad value can be
 * reported with its line instead of failing the whole read.
 */
import { stat } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteIdent, quoteLiteral } from '../../core/sql.js';
import { ENCODING_NAMES, isUtf16, sniffEncoding } from './encoding.js';
import { formatOf } from './files.js';
import { MAX_LINE_BYTES, MAX_VALUE_CHARS } from './limits.js';
import { createLineShift } from './lines.js';
import { locateRecords } from './locate.js';
import { LONG_LINE_REASON, linesLeftEmpty, textCopy, type TextCopy } from './repair.js';
import { longLineAmongFirst, type TextFacts } from './scan.js';
import { checkWidth } from './width.js';

export { MAX_LINE_BYTES, MAX_VALUE_CHARS };

/** Rows DuckDB's CSV sniffer samples (its `sample_size` default). */
export const SNIFF_LINES = 20_480;

/** Line column added to a file's table when rows do not sit one per line from the top. */
const LINE = '__segmint_line';

/**
 * DuckDB's CSV buffer per thread. Its default is 16 × max_line_size (512 MB here), which alone
 * could exhaust memory; twice the longest line is enough to hold one.
 */
export const CSV_BUFFER_BYTES = 2 * MAX_LINE_BYTES;

/** A row the file reader itself could not parse (wrong number of fields and the like). */
export interface MalformedRow {
  readonly line: number;
  readonly value: string;
  readonly reason: string;
}

export interface RawTable {
  readonly file: string;
  /** Temp table holding the file as read. Select from it as `FROM <table> r`. */
  readonly table: string;
  /** The file's own column names, in file order. */
  readonly columns: readonly string[];
  /** DuckDB type of each column as stored in the file (VARCHAR for CSV, JSON for JSON). */
  readonly sourceTypes: ReadonlyMap<string, string>;
  /**
   * SQL (over alias `r`) for the row's line in its file as an editor shows it (1-based; a CSV
   * header is line 1, so its first row is line 2). JSON lines and header-less CSV start at 1.
   */
  readonly lineSql: string;
  /** SQL (over alias `r`) for a column's value as text. */
  textSql(column: string): string;
  /** Rows that made it into the table. */
  readonly rows: number;
  /** The table's rows are in file order (rowid order): no line table was joined in. */
  readonly inFileOrder: boolean;
  /** Rows the reader rejected, with their line as an editor shows it (as `lineSql`). */
  readonly malformed: readonly MalformedRow[];
  /** Drop the temp tables behind this file. */
  drop(): Promise<void>;
}

/**
 * Load `file` into the temp table `table`: CSV/TSV with every column as VARCHAR, JSON with every
 * top-level field as JSON text, Parquet with its own types (`textSql` casts them to text).
 * `facts` (from `scanFile`) lets line numbers skip blank lines and span multi-line records.
 *
 * CSV: delimiter, quoting and header are sniffed by DuckDB. When a single unbalanced quote makes
 * the sniffer give up on quoting altogether (it then keeps the quotes in every value and splits
 * quoted commas), the file is read again with `"` as the quote, so only the broken record is
 * rejected. Rows the reader rejects are listed with their line and the reader's reason.
 *
 * Row numbers: DuckDB keeps insertion order for CREATE TABLE AS (preserve_insertion_order is on
 * by default), so `rowid` is the order of rows in the file. Lines the table does not hold (blank
 * lines, rejected records) are added back, and so are the header and any blank lines before it,
 * so line numbers are the lines an editor shows (the header is line 1).
 *
 * @example
 * const raw = await loadRaw(db, '/data/events.csv', 'ingest_raw_events_0');
 * raw.columns; // ['user_id', 'event', 'timestamp']
 */
export async function loadRaw(
  db: Db,
  file: string,
  table: string,
  facts: TextFacts | null | Promise<TextFacts | null> = null,
): Promise<RawTable> {
  const format = formatOf(file) ?? 'csv';
  // The scan may still be running (it overlaps DuckDB's read); a rejected one is the real error.
  const known = Promise.resolve(facts);
  known.catch(() => {});
  // A file with no bytes has no header either; DuckDB would invent a `column0`.
  if ((await stat(file)).size === 0) return emptyTable(file, table);
  const encoding = format === 'parquet' ? 'utf8' : await sniffEncoding(file);
  if (encoding === 'utf32le' || encoding === 'utf32be') throw errors.unsupportedEncoding(file, ENCODING_NAMES[encoding]);
  // Before DuckDB reads anything: a very wide file exhausts its memory in the read itself.
  await checkWidth(db, file, format);
  if (format === 'parquet') {
    await known;
    return finish(db, file, table, { source: `read_parquet(${quoteLiteral(file)})`, malformed: [], skipped: [], headerLines: 0 });
  }
  if (format === 'csv' || format === 'tsv') return loadCsv(db, file, table, format, known, isUtf16(encoding));
  return loadJson(db, file, table, format, await known);
}

interface Loaded {
  readonly malformed: MalformedRow[];
  /** Data lines (1-based, counted after `headerLines`) the table holds no row for. */
  readonly skipped: readonly number[];
  /** Physical lines up to and including the header (0 without one): added to data lines for reports. */
  readonly headerLines: number;
  /** Physical lines of the file, when known, to notice records spanning lines. */
  readonly lines?: number;
}

/** The scan found something DuckDB's CSV reader cannot take as it is (see repair.ts). */
const needsRepair = (facts: TextFacts | null): boolean =>
  facts !== null && (isUtf16(facts.encoding) || facts.mixedLineEnds || facts.longLines > 0);

async function loadCsv(
  db: Db,
  file: string,
  table: string,
  format: 'csv' | 'tsv',
  scan: Promise<TextFacts | null>,
  utf16: boolean,
): Promise<RawTable> {
  const rejects = `${table}_rejects`;
  const common =
    `all_varchar = true, store_rejects = true, rejects_table = ${quoteLiteral(rejects)}, ` +
    `rejects_scan = ${quoteLiteral(`${table}_rejscan`)}, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${CSV_BUFFER_BYTES}`;
  const readCsv = (path: string) => `read_csv(${quoteLiteral(path)}, ${common}${format === 'tsv' ? `, delim = '\\t'` : ''})`;
  // Ordinary files are read in place while the scan runs. A file the scan finds DuckDB cannot
  // read as it is (UTF-16, an over-long line, mixed line ends) is read again from a repaired copy.
  // DuckDB's sniffer takes minutes to give up on a line over its limit among the rows it samples
  // (measured: ~2 min for one 33 MB line; it does not heed an interrupt meanwhile), so the
  // sampled lines are checked first; UTF-16 is known from its first bytes.
  let copy: TextCopy | null = null;
  try {
    let read: unknown = null;
    if (!utf16 && !(await longLineAmongFirst(file, SNIFF_LINES))) {
      try {
        await create(db, file, table, readCsv(file));
      } catch (e) {
        read = e;
      }
    }
    const facts = await scan; // a truncated gzip explains DuckDB's error better than DuckDB does
    // A file of blank lines has no header either; DuckDB invents a `column0` for it.
    if (facts !== null && facts.blankLines.length >= facts.lines) {
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`);
      return emptyTable(file, table);
    }
    if (needsRepair(facts)) {
      copy = await textCopy(file, { lines: true });
      if (copy.longLines[0]?.line === firstDataLine(facts!)) throw errors.unreadableFile(file, headerTooLong());
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`);
      await create(db, file, table, readCsv(copy.file));
    } else if (read !== null) {
      throw read;
    }
    const source = copy?.file ?? file;

    let columns = await describe(db, table);
    // DuckDB names the columns of a file without a header column0, column1, …
    const hasHeader = !columns.every((c) => /^column\d+$/.test(c.name));
    // Lines up to and including the header: blank lines before it are skipped like any other.
    const headerLines = hasHeader ? (facts ? firstDataLine(facts) : 1) : 0;

    if (facts?.hasQuote && (await quotesKept(db, table, columns.map((c) => c.name)))) {
      const delim = format === 'tsv' ? '\t' : delimiterOf(facts.firstLine, columns.length);
      const names = columns.map((c) => unquote(c.name));
      const spec = names.map((n) => `${quoteLiteral(n)}: 'VARCHAR'`).join(', ');
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`);
      await create(
        db,
        file,
        table,
        `read_csv(${quoteLiteral(source)}, ${common}, auto_detect = false, delim = ${quoteLiteral(delim)}, ` +
          `quote = '"', escape = '"', header = ${hasHeader}, columns = {${spec}})`,
      );
      columns = await describe(db, table);
    }

    const shape: RowShape = { fields: columns.length, delimiter: format === 'tsv' ? '\t' : delimiterOf(facts?.firstLine ?? null, columns.length), header: hasHeader };
    const malformed = await readRejects(db, rejects, headerLines, shape, async (found) => {
      // DuckDB leaves the newlines inside quoted values out of its line numbers: after such a
      // value (in a row read or a record rejected before the last), look the records up in the file.
      const shifted = found.slice(0, -1).some((r) => r.extra > 0) || (facts?.hasQuote && (await anyNewline(db, table, columns)));
      if (!shifted) return found.map((r) => r.line);
      const located = await locateRecords(source, found.map((r) => ({ byte: r.byte, head: r.head, within: r.lead + 2 })));
      return located.map((line, k) => line ?? found[k].line);
    });
    await db.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`);
    // Over-long lines: empty in the copy, so DuckDB skipped them like blank lines.
    const long: RejectRecord[] = (copy?.longLines ?? []).map((l) => ({
      line: l.line - headerLines,
      value: l.value,
      reason: LONG_LINE_REASON,
      extraLines: 0,
    }));
    const all = [...malformed.rows, ...long].sort((x, y) => x.line - y.line);
    const skipped = new Set<number>();
    for (const m of all) for (let l = m.line; l <= m.line + m.extraLines; l++) skipped.add(l);
    for (const b of facts?.blankLines ?? []) if (b > headerLines) skipped.add(b - headerLines);
    return await finish(db, file, table, {
      source: null,
      malformed: all.map(({ line, value, reason }) => ({ line, value, reason })),
      skipped: [...skipped].sort((x, y) => x - y),
      headerLines,
      lines: facts?.lines,
    });
  } finally {
    await copy?.cleanup();
  }
}

/** The first physical line that is not blank: the header, when the file has one. */
export function firstDataLine(facts: TextFacts): number {
  let line = 1;
  for (const b of facts.blankLines) {
    if (b !== line) break;
    line++;
  }
  return line;
}

const headerTooLong = () => `its first line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, the most segmint reads in one line`;

async function loadJson(db: Db, file: string, table: string, format: 'json' | 'jsonl', facts: TextFacts | null): Promise<RawTable> {
  // JSON does not allow a byte-order mark and DuckDB's JSON reader knows only UTF-8: a file with
  // a BOM or in UTF-16 is read from a plain UTF-8 copy (repair.ts).
  const copy = facts?.bom || (facts !== null && isUtf16(facts.encoding)) ? await textCopy(file, { lines: false }) : null;
  // maximum_depth = 1 keeps each top-level field as JSON, so no type guessing happens here;
  // `->> '$'` (in asText) turns scalars into their plain text.
  const readJson = (path: string, lines: boolean) =>
    `read_json(${quoteLiteral(path)}, format = ${quoteLiteral(lines ? 'newline_delimited' : 'auto')}, maximum_depth = 1, maximum_object_size = ${MAX_LINE_BYTES})`;
  // A JSON array's rows are its elements (numbered in order); JSON lines are numbered by line.
  const byLine = facts !== null && facts.firstChar !== '[';
  try {
    await create(db, file, table, readJson(copy?.file ?? file, format === 'jsonl'));
  } catch (e) {
    // One line that is not a JSON object fails DuckDB's whole read. Lines can be judged one by
    // one (an array is one document, and stays an error): the copy leaves them empty, and they
    // come back as malformed rows with their line and why, like a malformed CSV record.
    if (!byLine) throw e;
    return loadJsonLines(db, file, table, facts, e);
  } finally {
    await copy?.cleanup();
  }
  return finish(db, file, table, { source: null, malformed: [], skipped: byLine ? facts.blankLines : [], headerLines: 0 });

  async function loadJsonLines(db: Db, file: string, table: string, facts: TextFacts, failure: unknown): Promise<RawTable> {
    const lines = await textCopy(file, { lines: true, jsonObjects: true });
    try {
      const bad = linesLeftEmpty(lines);
      // Nothing to set aside: the file fails for another reason, which DuckDB's message gives.
      if (bad.length === 0) throw failure;
      await create(db, file, table, readJson(lines.file, true));
      const skipped = [...new Set([...facts.blankLines, ...bad.map((b) => b.line)])].sort((x, y) => x - y);
      return await finish(db, file, table, { source: null, malformed: bad, skipped, headerLines: 0 });
    } finally {
      await lines.cleanup();
    }
  }
}

async function create(db: Db, file: string, table: string, source: string): Promise<void> {
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT * FROM ${source}`);
  } catch (e) {
    throw errors.unreadableFile(file, duckdbReason(e));
  }
  await db.run(`DROP TABLE IF EXISTS ${quoteIdent(`${table}_rejscan`)}`);
}

async function describe(db: Db, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${quoteIdent(table)}`);
  return rows.map((d) => ({ name: d.column_name, type: d.column_type }));
}

/** True when some value holds a newline (a quoted value over several lines). */
async function anyNewline(db: Db, table: string, columns: readonly { name: string }[]): Promise<boolean> {
  if (columns.length === 0) return false;
  const test = columns.map((c) => `contains(${quoteIdent(c.name)}, chr(10))`).join(' OR ');
  const rows = await db.all(`SELECT 1 FROM ${quoteIdent(table)} WHERE ${test} LIMIT 1`);
  return rows.length > 0;
}

/** True when values (or names) start with a double quote: the sniffer read the file without quoting. */
async function quotesKept(db: Db, table: string, columns: readonly string[]): Promise<boolean> {
  if (columns.some((c) => c.startsWith('"'))) return true;
  const test = columns.map((c) => `starts_with(${quoteIdent(c)}, '"')`).join(' OR ');
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM ${quoteIdent(table)} WHERE ${test} LIMIT 1)`);
  return Number(n) > 0;
}

/** The delimiter that splits the first line into as many fields as the first read found (`,` when unsure). */
function delimiterOf(firstLine: string | null, fields: number): string {
  if (firstLine === null || fields < 2) return ',';
  return [',', '\t', ';', '|'].find((d) => firstLine.split(d).length === fields) ?? ',';
}

function unquote(name: string): string {
  const m = /^"(.*)"$/.exec(name);
  return m ? m[1].replace(/""/g, '"') : name;
}

async function finish(
  db: Db,
  file: string,
  table: string,
  loaded: Loaded & { source: string | null },
): Promise<RawTable> {
  const name = quoteIdent(table);
  if (loaded.source !== null) await create(db, file, table, loaded.source);
  const described = await describe(db, table);
  const columns = described.map((d) => d.name);
  const sourceTypes = new Map(described.map((d) => [d.name, d.type]));
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
  const rows = Number(n);
  // Records spanning several lines (a quoted value with newlines) show as more lines than rows.
  const dataLines = loaded.lines === undefined ? null : loaded.lines - loaded.headerLines;
  const multiLine = dataLines !== null && dataLines > rows + loaded.skipped.length;
  const lined = loaded.skipped.length > 0 || multiLine ? await addLines(db, table, loaded.skipped, multiLine ? columns : null) : null;
  if (lined) await db.run(`DROP TABLE ${name}`);
  return {
    file,
    table: lined ?? table,
    columns,
    sourceTypes,
    // Data lines are counted after the header; reports give the line an editor shows (header = 1).
    lineSql: `(${lined ? `r.${quoteIdent(LINE)}` : '(r.rowid + 1)'} + ${loaded.headerLines})`,
    textSql: (column) => asText(column, sourceTypes.get(column) ?? 'VARCHAR'),
    rows,
    inFileOrder: lined === null,
    malformed: loaded.malformed.map((m) => ({ ...m, line: m.line + loaded.headerLines })),
    drop: async () => {
      await db.run(`DROP TABLE IF EXISTS ${quoteIdent(lined ?? table)}`);
    },
  };
}

/** SQL (over alias `r`) for `column`, of DuckDB type `type`, as text. */
export function asText(column: string, type: string): string {
  const c = `r.${quoteIdent(column)}`;
  if (type === 'JSON') return `(${c} ->> '$')`;
  if (type === 'VARCHAR') return c;
  return `CAST(${c} AS VARCHAR)`;
}

const ERROR_WORDS: Readonly<Record<string, string>> = {
  'MISSING COLUMNS': 'too few columns',
  'TOO MANY COLUMNS': 'too many columns',
  'UNQUOTED VALUE': 'unterminated quote',
  'INVALID ENCODING': 'invalid UTF-8',
  'INVALID UNICODE': 'invalid UTF-8',
  'LINE SIZE OVER MAXIMUM': 'line too long',
};

interface RejectRecord extends MalformedRow {
  /** Lines after the first that the rejected record spans (an unterminated quote runs on). */
  readonly extraLines: number;
}

/** A record DuckDB rejected, as its rejects table has it. */
interface FoundReject {
  /** DuckDB's line: physical, except that newlines inside quoted values are not counted. */
  readonly line: number;
  /** DuckDB's `line_byte_position`, at or shortly before the record (see locate.ts). */
  readonly byte: number;
  /** The start of the record's first line. */
  readonly head: string;
  /** Newlines DuckDB quoted before the record (blank lines before it). */
  readonly lead: number;
  /** Lines after the first that the record spans. */
  readonly extra: number;
}

/** What a well-formed row of a CSV file looks like: how many fields, split by what. */
interface RowShape {
  readonly fields: number;
  readonly delimiter: string;
  /** Whether the field count comes from a header (else from the first row). */
  readonly header: boolean;
}

/**
 * The reason for a row with the wrong number of fields, counted in the row itself: DuckDB's own
 * message stops counting one field past the expected number ("Found: 4" for a row of 6).
 */
export function fieldCountReason(value: string, cut: boolean, shape: RowShape): string {
  const firstRecord = Papa.parse<string[]>(value, { delimiter: shape.delimiter, quoteChar: '"', escapeChar: '"' }).data[0] ?? [];
  const found = firstRecord.length;
  const what = shape.header ? 'the header has' : 'the first row has';
  return `${cut ? 'at least ' : ''}${found} field${found === 1 ? '' : 's'} where ${what} ${shape.fields}`;
}

/**
 * The records DuckDB rejected, on data lines (`headerLines` taken off). `physical` turns DuckDB's
 * lines into the file's (see locate.ts).
 */
async function readRejects(
  db: Db,
  rejects: string,
  headerLines: number,
  shape: RowShape,
  physical: (found: readonly FoundReject[]) => Promise<number[]>,
): Promise<{ rows: RejectRecord[] }> {
  const exists = await db.all(`SELECT 1 FROM duckdb_tables() WHERE table_name = $1`, [rejects]);
  if (exists.length === 0) return { rows: [] };
  // DuckDB prefixes a rejected line with the blank lines before it; those are not part of it.
  const nl = `chr(10) || chr(13)`;
  const rows = await db.all<{
    line: number;
    byte: number;
    kinds: string[];
    message: string;
    value: string | null;
    cut: boolean;
    extra: number;
    head: string | null;
    lead: number;
  }>(
    `WITH g AS (SELECT line, min(line_byte_position) AS byte, list_sort(list_distinct(list(error_type))) AS kinds, ` +
      `min(error_message) AS message, min(csv_line) AS raw FROM ${quoteIdent(rejects)} GROUP BY line), ` +
      `h AS (SELECT *, rtrim(ltrim(raw, ${nl}), ${nl}) AS v, left(raw, length(raw) - length(ltrim(raw, ${nl}))) AS before FROM g) ` +
      `SELECT line, byte, kinds, message, left(v, ${MAX_VALUE_CHARS}) AS value, length(v) > ${MAX_VALUE_CHARS} AS cut, ` +
      `length(v) - length(replace(v, chr(10), '')) AS extra, left(rtrim(split_part(v, chr(10), 1), chr(13)), 256) AS head, ` +
      `length(before) - length(replace(before, chr(10), '')) AS lead FROM h ORDER BY line`,
  );
  const found = rows.map((r) => ({
    line: Number(r.line),
    byte: Number(r.byte),
    head: r.head ?? '',
    lead: Number(r.lead),
    extra: Number(r.extra),
  }));
  const lines = found.length > 0 ? await physical(found) : [];
  // Data lines until `finish` adds the header back; the span is said in the file's lines.
  return {
    rows: rows.map((r, k) => {
      const line = lines[k] - headerLines;
      const extra = found[k].extra;
      // A quote left open swallows the lines after it: say which, so none goes unnoticed.
      const span = extra > 0 ? `; the record runs over lines ${lines[k]}–${lines[k] + extra}` : '';
      const wrongWidth = r.kinds.length === 1 && (r.kinds[0] === 'TOO MANY COLUMNS' || r.kinds[0] === 'MISSING COLUMNS');
      const detail = wrongWidth ? fieldCountReason(r.value ?? '', r.cut, shape) : r.message;
      return {
        line,
        value: (r.value ?? '') + (r.cut ? '…' : ''),
        reason: `malformed CSV row: ${r.kinds.map((k) => ERROR_WORDS[k] ?? String(k).toLowerCase()).join(', ')} (${detail})${span}`,
        extraLines: extra,
      };
    }),
  };
}

/**
 * Give every row its data line when the table does not hold one row per line (see lines.ts);
 * `multiLineColumns` (when rows may span lines) count the newlines inside earlier rows' values
 * into each row's position. Returns the name of a new table: the file's columns plus
 * `__segmint_line`.
 */
async function addLines(db: Db, table: string, skipped: readonly number[], multiLineColumns: readonly string[] | null): Promise<string> {
  const shift = quoteIdent(`${table}_shift`);
  const lined = `${table}_lined`;
  await createLineShift(db, `${table}_shift`, skipped);
  const newlines = multiLineColumns
    ? multiLineColumns.map((c) => `coalesce(length(${quoteIdent(c)}) - length(replace(${quoteIdent(c)}, chr(10), '')), 0)`).join(' + ')
    : null;
  const position = newlines
    ? `r.rowid + 1 + coalesce(sum(${newlines}) OVER (ORDER BY r.rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)`
    : 'r.rowid + 1';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(lined)} AS ` +
      `WITH p AS (SELECT r.*, ${position} AS __segmint_pos FROM ${quoteIdent(table)} r) ` +
      `SELECT p.* EXCLUDE (__segmint_pos), p.__segmint_pos + coalesce(s.c, 0) AS ${quoteIdent(LINE)} ` +
      `FROM p ASOF LEFT JOIN ${shift} s ON p.__segmint_pos > s.k`,
  );
  await db.run(`DROP TABLE ${shift}`);
  return lined;
}

function emptyTable(file: string, table: string): RawTable {
  return { file, table, columns: [], sourceTypes: new Map(), lineSql: '0', textSql: () => 'NULL', rows: 0, inFileOrder: true, malformed: [], drop: async () => {} };
}

/** DuckDB's first line, or the line that says what actually went wrong when there is one. */
export function duckdbReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const lines = m.split('\n').map((l) => l.trim()).filter(Boolean);
  const size = lines.find((l) => /^Maximum line size/i.test(l));
  if (size) return `a line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, the most segmint reads (${size})`;
  return lines[0] ?? m;
}
