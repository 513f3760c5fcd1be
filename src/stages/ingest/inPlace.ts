/**
 * Reading an events file in place: the staging query selects from DuckDB's reader directly, so
 * the file's rows are never copied into a table of text first. That copy, with the reader's
 * reject bookkeeping, was most of ingest (1M-row CSV: raw copy 0.95 s + staging 0.75 s, against
 * 0.7 s for staging straight from the reader without it).
 *
 * It is the fast path, not the only one. A file is read in place when nothing known before the
 * read says otherwise, strictly (one malformed record fails the read instead of being set aside),
 * and its rows are only trusted once the file's scan agrees with what the reader returned:
 * every physical line is a row, the header or a blank line. Anything else — a malformed record,
 * a quoted value over several lines, quotes the sniffer did not take for quoting, an encoding or
 * line ends DuckDB cannot read as they are — sends the file to `loadRaw`, which reads it the
 * careful way and reports every rejected record with its line. A file is then read twice; that
 * costs only the files that need the care.
 */
import { open, stat } from 'node:fs/promises';
import type { Db } from '../../core/duckdb.js';
import { quoteLiteral } from '../../core/sql.js';
import { sniffEncoding } from './encoding.js';
import { formatOf } from './files.js';
import { asText, firstDataLine, SNIFF_LINES } from './read.js';
import { longLineAmongFirst, type TextFacts } from './scan.js';
import { checkWidth } from './width.js';

/**
 * The longest CSV line or JSON object read in place: DuckDB's CSV default, whose default buffers
 * (16 lines of it) read big files fastest (the JSON reader's buffers grow with it too). A longer
 * one fails the read, and `loadRaw` (32 MB) reads the file.
 */
const IN_PLACE_LINE_BYTES = 2 * 1024 * 1024;

/** Buffer for sniffing and for reading a file's first rows (its first buffer is filled in full). */
const SAMPLE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Bytes at the start of a CSV file looked at for a double quote the sniffer did not take as one. */
const QUOTE_PEEK_BYTES = 64 * 1024;

/** An events file the staging query reads straight from DuckDB's reader. */
export interface InPlaceSource {
  readonly file: string;
  /** The reader call: select from it as `FROM <from> r`. */
  readonly from: string;
  /** The same reader for reading only the first rows (smaller buffers). */
  readonly sample: string;
  /** The file's own column names, in file order. */
  readonly columns: readonly string[];
  /** DuckDB type of each column as read: VARCHAR from CSV and JSON, Parquet's own types. */
  readonly sourceTypes: ReadonlyMap<string, string>;
  /** SQL (over alias `r`) for a column's value as text. */
  textSql(column: string): string;
  /**
   * Once the staging query has read `rows` rows in file order: the line (as an editor shows it)
   * of the row at 1-based position p, or null when the rows cannot be trusted as read and the
   * file must be read with `loadRaw`. Throws what the file's scan found wrong (a cut-short gzip).
   */
  settle(rows: number): Promise<((position: number) => number) | null>;
}

/**
 * The in-place reader for `file`, or null when it is known before reading that the file needs
 * `loadRaw` (an empty file, UTF-16/32, a line over DuckDB's limit among the sniffed ones, a CSV
 * with a double quote near its start).
 *
 * @example
 * const source = await openInPlace(db, '/data/events.csv', scanOf('/data/events.csv'));
 * source?.from; // "read_csv('/data/events.csv', all_varchar = true, …)"
 */
export async function openInPlace(db: Db, file: string, scan: Promise<TextFacts | null>): Promise<InPlaceSource | null> {
  const format = formatOf(file) ?? 'csv';
  if ((await stat(file)).size === 0) return null;
  if (format !== 'parquet' && (await sniffEncoding(file)) !== 'utf8') return null;
  await checkWidth(db, file, format);

  let from: string;
  let sample: string;
  let described: readonly { name: string; type: string }[] | null = null;
  let settle: (facts: TextFacts | null, rows: number) => ((p: number) => number) | null;
  if (format === 'parquet') {
    from = sample = `read_parquet(${quoteLiteral(file)})`;
    settle = () => (p) => p;
  } else if (format === 'csv' || format === 'tsv') {
    if (await longLineAmongFirst(file, SNIFF_LINES)) return null;
    const dialect = await sniffCsv(db, file, format);
    if (dialect === null) return null;
    // Quotes the sniffer did not take for quoting (one unbalanced quote makes it give up on them,
    // and values then keep theirs): the careful read re-reads with `"` as the quote.
    if (!dialect.quoted && (await quoteNearStart(file))) return null;
    // Sniffed once: both reads below name the dialect and columns, so neither sniffs again. The
    // sample reads small buffers (DuckDB fills a whole buffer before the first row: 64 MB ones
    // took 190 ms for 100,000 rows); the full read keeps DuckDB's default, faster on big files.
    from = dialect.read(null);
    sample = dialect.read(SAMPLE_BUFFER_BYTES);
    described = dialect.columns.map((name) => ({ name, type: 'VARCHAR' }));
    settle = (facts, rows) => csvLines(facts, rows, dialect);
  } else {
    const read = (columns: string) =>
      `read_json(${quoteLiteral(file)}, format = ${quoteLiteral(format === 'jsonl' ? 'newline_delimited' : 'auto')}, ` +
      `maximum_depth = 1, maximum_object_size = ${IN_PLACE_LINE_BYTES}${columns})`;
    // The keys are detected once; both reads name them, as text (DuckDB writes a JSON scalar as
    // `->> '$'` does; an object or array as its JSON), so neither samples the file again.
    const keys = await describe(db, read(''));
    if (keys === null) return null;
    const spec = keys.map((k) => `${quoteLiteral(k.name)}: 'VARCHAR'`).join(', ');
    from = sample = read(`, columns = {${spec}}`);
    described = keys.map((k) => ({ name: k.name, type: 'VARCHAR' }));
    settle = (facts) => {
      if (facts === null) return (p) => p;
      // A BOM or UTF-16 JSON is read from a copy (loadRaw); an array's rows are its elements.
      if (facts.bom || facts.encoding !== 'utf8') return null;
      return facts.firstChar === '[' ? (p) => p : lineAt(facts.blankLines);
    };
  }
  described ??= await describe(db, sample);
  if (described === null) return null; // loadRaw says what is wrong with it

  const columns = described.map((d) => d.name);
  const sourceTypes = new Map(described.map((d) => [d.name, d.type]));
  return {
    file,
    from,
    sample,
    columns,
    sourceTypes,
    textSql: (column) => asText(column, sourceTypes.get(column) ?? 'VARCHAR'),
    settle: async (rows) => settle(await scan, rows),
  };
}

/**
 * A CSV file's line numbering, when its scan agrees with the rows read: each physical line after
 * the header is a row or a blank line (which DuckDB skips). Null when the file needs `loadRaw`.
 */
function csvLines(facts: TextFacts | null, rows: number, dialect: CsvDialect): ((p: number) => number) | null {
  const hasHeader = dialect.header;
  if (facts === null) return hasHeader ? (p) => p + 1 : (p) => p; // zstd: no scan, as loadRaw has it
  // A quoted value over several lines shows as fewer rows than lines below, and goes to loadRaw.
  if ((facts.hasQuote && !dialect.quoted) || facts.mixedLineEnds || facts.longLines > 0 || facts.blankLines.length >= facts.lines) return null;
  const headerLines = hasHeader ? firstDataLine(facts) : 0;
  const skipped = facts.blankLines.filter((l) => l > headerLines).map((l) => l - headerLines);
  if (rows + skipped.length !== facts.lines - headerLines) return null;
  const data = lineAt(skipped);
  return (p) => data(p) + headerLines;
}

/**
 * The line of the row at position p when the sorted lines `skipped` hold no row: the p-th line
 * that is not skipped (binary search over the skipped lines before it).
 *
 * @example
 * lineAt([2, 3])(2); // 4
 */
export function lineAt(skipped: readonly number[]): (position: number) => number {
  if (skipped.length === 0) return (p) => p;
  // Before the j-th skipped line (0-based) sit skipped[j] - j - 1 rows.
  return (p) => {
    let lo = 0;
    let hi = skipped.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (skipped[mid] - mid - 1 < p) lo = mid + 1;
      else hi = mid;
    }
    return p + lo;
  };
}

/** The columns DuckDB reads from `reader`, or null when it cannot read it. */
async function describe(db: Db, reader: string): Promise<{ name: string; type: string }[] | null> {
  try {
    const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader}`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  } catch {
    return null;
  }
}

/** A CSV file's dialect as DuckDB's sniffer found it, and reads of the file in it. */
interface CsvDialect {
  readonly columns: readonly string[];
  readonly header: boolean;
  /** The sniffer read `"` as the quote character. */
  readonly quoted: boolean;
  /** A `read_csv` call naming the dialect and every column as VARCHAR (no sniffing). */
  read(bufferBytes: number | null): string;
}

/** DuckDB's sniff of `file` (null when it cannot sniff it: loadRaw says why). */
async function sniffCsv(db: Db, file: string, format: 'csv' | 'tsv'): Promise<CsvDialect | null> {
  type Sniffed = { Delimiter: string; Quote: string; Escape: string; NewLineDelimiter: string; SkipRows: number; HasHeader: boolean; Columns: { name: string }[] };
  let sniffed: Sniffed;
  try {
    [sniffed] = await db.all<Sniffed>(
      `SELECT * FROM sniff_csv(${quoteLiteral(file)}, all_varchar = true, max_line_size = ${IN_PLACE_LINE_BYTES}, ` +
        `buffer_size = ${SAMPLE_BUFFER_BYTES}${format === 'tsv' ? `, delim = '\t'` : ''})`,
    );
  } catch {
    return null;
  }
  // DuckDB writes an option it left unset as "(empty)".
  const option = (v: string) => (v === '(empty)' ? '' : v);
  const columns = sniffed.Columns.map((c) => c.name);
  const header = Boolean(sniffed.HasHeader);
  const spec = columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ');
  const dialect =
    `auto_detect = false, delim = ${quoteLiteral(option(sniffed.Delimiter))}, quote = ${quoteLiteral(option(sniffed.Quote))}, ` +
    `escape = ${quoteLiteral(option(sniffed.Escape))}, new_line = ${quoteLiteral(option(sniffed.NewLineDelimiter))}, ` +
    `skip = ${Number(sniffed.SkipRows)}, header = ${header}, columns = {${spec}}, max_line_size = ${IN_PLACE_LINE_BYTES}`;
  return {
    columns,
    header,
    quoted: option(sniffed.Quote) === '"',
    read: (bufferBytes) => `read_csv(${quoteLiteral(file)}, ${dialect}${bufferBytes === null ? '' : `, buffer_size = ${bufferBytes}`})`,
  };
}

/** Whether the first bytes of a plain (not compressed) CSV file hold a double quote. */
async function quoteNearStart(file: string): Promise<boolean> {
  if (/\.(gz|gzip|zst|zstd)$/i.test(file)) return false; // the scan's hasQuote decides after the read
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(QUOTE_PEEK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, QUOTE_PEEK_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(34);
  } finally {
    await handle.close();
  }
}
