/**
 * One streaming pass over each input file before DuckDB reads it: the fingerprint for the
 * manifest, a check that a gzip file is complete, and the few facts about its lines that
 * DuckDB does not report.
 *
 * Why this exists:
 * - DuckDB reads a gzip file that was cut short as if it ended there (measured: half of a
 *   20,000-row file gave 9,433 rows and no error). Rows would be lost without a word, so the
 *   gzip stream is decompressed here and a truncated one stops the run.
 * - DuckDB skips blank lines without counting them, so a row's position in the table is not its
 *   line in the file. Knowing where the blank lines are lets `read.ts` give every row its real
 *   line number.
 * - DuckDB refuses a whole CSV file for one line over its `max_line_size`, or for line ends that
 *   mix CRLF and LF (its sniffer gives up). Knowing that a file has either lets `read.ts` read a
 *   repaired copy instead (`repair.ts`), so only the over-long line is rejected.
 * - UTF-16 text is decoded here (`encoding.ts`), so the facts describe its lines, not its bytes.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errors } from '../../core/messages.js';
import { encodingOf, openText, toUtf8, type TextEncoding } from './encoding.js';
import { MAX_LINE_BYTES } from './limits.js';
import type { InputFingerprint } from './types.js';

/** What the bytes of a text file say about its lines (after decompression). */
export interface TextFacts {
  /** Physical lines; a last line without a newline counts. */
  readonly lines: number;
  /**
   * 1-based physical line numbers of blank lines, ascending: empty (or a lone `\r`) lines, and
   * for JSON also lines of only spaces and tabs — exactly the lines DuckDB's readers skip.
   */
  readonly blankLines: readonly number[];
  /** The text starts with a UTF-8 byte-order mark. */
  readonly bom: boolean;
  /** The text contains a double quote somewhere. */
  readonly hasQuote: boolean;
  /** The first byte that is not whitespace (or a BOM), e.g. `[` for a JSON array; null when none. */
  readonly firstChar: string | null;
  /**
   * The first non-blank line (without BOM and line end), at most `FIRST_LINE_BYTES`; null when
   * none or longer. A CSV header or a JSON line's keys, for recognising vendor exports cheaply.
   */
  readonly firstLine: string | null;
  /** The encoding the text was stored in (the facts above are about its UTF-8 decoding). */
  readonly encoding: TextEncoding;
  /** Some lines end in CRLF and others in a bare LF. */
  readonly mixedLineEnds: boolean;
  /** Physical lines longer than `MAX_LINE_BYTES` (bytes of UTF-8, line end excluded). */
  readonly longLines: number;
}

const FIRST_LINE_BYTES = 1024 * 1024;

/**
 * Bytes read per chunk. Node's 64 KB default made the stream's per-chunk overhead most of the
 * scan (1M-row CSV: ~200 ms, against ~40 ms to read and hash it in 1 MB chunks), and the scan
 * runs beside DuckDB's read on the same two cores.
 */
const READ_CHUNK_BYTES = 1024 * 1024;

export interface FileScan {
  readonly fingerprint: InputFingerprint;
  /** null for binary formats (Parquet) and compressions Node cannot read (zstd). */
  readonly text: TextFacts | null;
}

export type ScanKind = 'csv' | 'json' | 'binary';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

/**
 * Fingerprint `file` (size and SHA-256 of its bytes as stored) and, for text, scan its lines.
 * A gzip file that is truncated or not gzip at all is an `unreadableFile` error.
 *
 * @example
 * const scan = await scanFile('/data/events.csv.gz', 'csv');
 * scan.fingerprint.sha256; // 'e3b0c4…'
 * scan.text?.blankLines;   // [] for a file without blank lines
 */
export async function scanFile(file: string, kind: ScanKind): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const name = path.basename(file).toLowerCase();
  const gz = /\.(gz|gzip)$/.test(name);
  const scanText = kind !== 'binary' && !/\.zst$/.test(name);
  const lines = scanText ? new LineScanner(kind === 'json') : null;
  if (scanText) await checkUtf8Head(file);
  let encoding: TextEncoding = 'utf8';
  const decode = toUtf8((e) => (encoding = e));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines?.push(chunk);
      done();
    },
  });
  try {
    if (gz && scanText) await pipeline(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), hasher, createGunzip(), decode, sink);
    else if (scanText) await pipeline(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), hasher, decode, sink);
    else await pipeline(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), hasher, sink);
  } catch (e) {
    throw errors.unreadableFile(file, streamReason(e));
  }
  return { fingerprint: { path: file, bytes, sha256: hash.digest('hex') }, text: lines ? lines.finish(encoding) : null };
}

function streamReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err?.message ?? '')) {
    return 'the gzip stream ends early (the file was cut short); no rows were read from it';
  }
  if (err?.code === 'Z_DATA_ERROR') return `not a valid gzip file (${err.message})`;
  return err?.message ?? String(e);
}

/** Finds line ends chunk by chunk; `indexOf` keeps the per-byte work in native code. */
class LineScanner {
  private line = 1;
  private content = false;
  private partial = false;
  private started = false;
  private bom = false;
  private quote = false;
  private first: string | null = null;
  private readonly blank: number[] = [];
  /** Bytes of the first non-blank line while it is being read; null once done (or too long). */
  private head: Buffer[] | null = [];
  private headBytes = 0;
  private headLine: string | null = null;
  /** Bytes of the current line so far, and the last byte seen (a CR before a chunk's first LF). */
  private lineBytes = 0;
  private lastByte = -1;
  private crlf = 0;
  private lf = 0;
  private long = 0;
  /**
   * Line ends outside double-quoted values (quote parity, "" toggling twice): a quoted value may
   * hold a CRLF in an LF file without the file's own line ends being mixed. Used only when the
   * quotes balance at the end; otherwise (a stray quote, a format without quoting) every line end
   * counts, as before.
   */
  private inQuotes = false;
  private crlfOutside = 0;
  private lfOutside = 0;

  constructor(private readonly json: boolean) {}

  push(chunk: Buffer): void {
    let pos = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.bom = true;
        pos = 3;
      }
    }
    if (!this.quote && chunk.indexOf(QUOTE, pos) !== -1) this.quote = true;
    let nextQuote = chunk.indexOf(QUOTE, pos);
    for (;;) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl === -1 ? chunk.length : nl;
      while (nextQuote !== -1 && nextQuote < end) {
        this.inQuotes = !this.inQuotes;
        nextQuote = chunk.indexOf(QUOTE, nextQuote + 1);
      }
      if (!this.content && end > pos) this.content = this.hasContent(chunk, pos, end);
      if (end > pos) this.partial = true;
      this.lineBytes += end - pos;
      if (this.head !== null && this.content) this.keepHead(chunk.subarray(pos, end));
      if (nl === -1) {
        if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1];
        return;
      }
      if ((nl > 0 ? chunk[nl - 1] : this.lastByte) === CR) {
        this.crlf++;
        if (!this.inQuotes) this.crlfOutside++;
        this.lineBytes--;
      } else {
        this.lf++;
        if (!this.inQuotes) this.lfOutside++;
      }
      if (this.lineBytes > MAX_LINE_BYTES) this.long++;
      this.lineBytes = 0;
      this.lastByte = NL;
      if (this.head !== null && this.content) this.closeHead();
      if (!this.content) this.blank.push(this.line);
      this.line++;
      this.content = false;
      this.partial = false;
      pos = nl + 1;
    }
  }

  private keepHead(part: Buffer): void {
    this.headBytes += part.length;
    if (this.headBytes > FIRST_LINE_BYTES) this.head = null;
    else this.head!.push(Buffer.from(part));
  }

  private closeHead(): void {
    this.headLine = Buffer.concat(this.head!).toString('utf8').replace(/\r$/, '');
    this.head = null;
  }

  private hasContent(chunk: Buffer, from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      const b = chunk[i];
      if (b === CR || (this.json && (b === SPACE || b === TAB))) continue;
      if (this.first === null && b !== SPACE && b !== TAB) this.first = String.fromCharCode(b);
      return true;
    }
    return false;
  }

  finish(encoding: TextEncoding): TextFacts {
    const lines = this.line - 1 + (this.partial ? 1 : 0);
    if (this.partial && !this.content) this.blank.push(this.line);
    if (this.head !== null && this.content) this.closeHead();
    if (this.lineBytes > MAX_LINE_BYTES) this.long++;
    return {
      lines,
      blankLines: this.blank,
      bom: this.bom,
      hasQuote: this.quote,
      firstChar: this.first,
      firstLine: this.headLine,
      encoding,
      mixedLineEnds: this.inQuotes ? this.crlf > 0 && this.lf > 0 : this.crlfOutside > 0 && this.lfOutside > 0,
      longLines: this.long,
    };
  }
}

/**
 * The first non-blank line of a (possibly gzipped) text file, without BOM or line end, reading
 * no more than it needs; null when the file has none within `FIRST_LINE_BYTES` or cannot be
 * read (the full scan reports why).
 *
 * @example
 * await readHead('/exports/segment.jsonl.gz'); // '{"type":"track","userId":"u1",…}'
 */
export async function readHead(file: string): Promise<string | null> {
  let line: string | undefined;
  const firstLine = (chunks: readonly Buffer[]) =>
    Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, '').split('\n').find((l, i, all) => l.trim() !== '' && i < all.length - 1);
  const head = await readStart(file, (chunks, bytes) => (line = firstLine(chunks)) !== undefined || bytes > FIRST_LINE_BYTES);
  if (head === null) return null;
  if (line !== undefined) return line.replace(/\r$/, '');
  if (head.length > FIRST_LINE_BYTES) return null;
  // The whole file, shorter than the limit, with no line end after its first line.
  const rest = head.toString('utf8').replace(/^\ufeff/, '').trim();
  return rest === '' ? null : rest.split('\n')[0].replace(/\r$/, '');
}

/**
 * The first bytes of a (possibly gzipped) file, read chunk by chunk until `enough` says so (given
 * the chunks and their byte count) or the file ends; `rawBytes` caps what is read of a plain file.
 * Null when the file cannot be read: the full scan reports why.
 */
async function readStart(file: string, enough: (chunks: readonly Buffer[], bytes: number) => boolean, rawBytes?: number): Promise<Buffer | null> {
  const gz = /\.(gz|gzip)$/i.test(file);
  const source = createReadStream(file, { end: gz || rawBytes === undefined ? undefined : rawBytes - 1 });
  const stream = gz ? source.pipe(createGunzip()) : source;
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (enough(chunks, bytes)) break;
    }
    return Buffer.concat(chunks);
  } catch {
    return null;
  } finally {
    source.destroy();
    if (stream !== source) stream.destroy();
  }
}

/** Bytes at the start of a file whose lines `checkUtf8Head` judges. */
const UTF8_HEAD_BYTES = 64 * 1024;

/**
 * Throws `notUtf8` when most lines at the start of a (possibly gzipped) UTF-8 file are not valid
 * UTF-8: a whole file saved as Windows-1252 or Latin-1. DuckDB then drops or rejects its rows one
 * by one, and what the user saw was "no data rows", "no user id column (found no columns)" or a
 * reject rate to raise, never the encoding. A few bad lines stay rejected rows with their line
 * (the reader's own check). Files with a UTF-16/32 byte-order mark are not UTF-8 and not judged.
 *
 * @example
 * await checkUtf8Head('/exports/users-latin1.csv'); // throws: … is not UTF-8 text: 3 of its first 4 lines …
 */
export async function checkUtf8Head(file: string): Promise<void> {
  // One byte past the limit tells a file cut at it from one that ends there.
  const read = await readStart(file, (_, bytes) => bytes > UTF8_HEAD_BYTES, UTF8_HEAD_BYTES + 1);
  if (read === null) return; // An unreadable file: the full scan says why.
  const bytes = read.length;
  const head = read.subarray(0, UTF8_HEAD_BYTES);
  if (encodingOf(head).encoding !== 'utf8' || isUtf8(head)) return;
  // Whole lines only: the last one may be cut mid-character by the byte limit.
  const whole = bytes > UTF8_HEAD_BYTES ? head.subarray(0, head.lastIndexOf(0x0a) + 1) : head;
  let start = 0;
  let lines = 0;
  let invalid = 0;
  let first = 0;
  while (start < whole.length) {
    const end = whole.indexOf(0x0a, start);
    const line = whole.subarray(start, end === -1 ? whole.length : end);
    lines++;
    if (!isUtf8(line)) {
      invalid++;
      if (first === 0) first = lines;
    }
    start = end === -1 ? whole.length : end + 1;
  }
  // The header line is ASCII in most exports: judge the data lines it heads.
  if (lines > 0 && invalid * 2 > Math.max(lines - 1, 1)) throw errors.notUtf8(file, invalid, lines, first);
}

/**
 * Whether one of the first `lines` lines of a (possibly gzipped) text file is longer than
 * `MAX_LINE_BYTES`, reading no further than it needs (false when the file cannot be read: the
 * full scan reports why).
 *
 * @example
 * await longLineAmongFirst('/exports/events.csv', 20_480); // false for an ordinary export
 */
export async function longLineAmongFirst(file: string, lines: number): Promise<boolean> {
  const text = openText(file);
  let seen = 0;
  let length = 0;
  try {
    for await (const chunk of text.stream as AsyncIterable<Buffer>) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(NL, pos);
        length += (nl === -1 ? chunk.length : nl) - pos;
        // One byte of slack for a CR before the LF.
        if (length > MAX_LINE_BYTES + 1) return true;
        if (nl === -1) break;
        if (++seen >= lines) return false;
        length = 0;
        pos = nl + 1;
      }
    }
    return false;
  } catch {
    return false;
  } finally {
    text.close();
  }
}
