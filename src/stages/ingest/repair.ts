/**
 * Private UTF-8 copies of text files DuckDB cannot read as they are, written as a stream (never
 * whole in memory) into a fresh temp folder only this process can read (mkdtemp, mode 0700).
 *
 * Why copies: DuckDB reads files, not streams, and fails a whole file for problems that belong to
 * one line or to the encoding:
 * - UTF-16 text (`encoding.ts`) is transcoded to UTF-8.
 * - A line longer than `MAX_LINE_BYTES` stops DuckDB's CSV reader with an error even with
 *   `store_rejects` on. In the copy that line is left empty (DuckDB skips empty lines), so every
 *   other line keeps its number, and the line comes back as a malformed row with its start.
 * - Line ends that mix CRLF and LF make DuckDB's CSV sniffer give up on the file. The copy ends
 *   every line in LF. A quoted value spanning lines then holds LF where the file had CRLF, which
 *   is the only change to any value.
 * - JSON does not allow a byte-order mark and DuckDB fails on one ("Malformed JSON … line 2"),
 *   though RFC 8259 lets readers ignore it: the copy has none.
 * - One malformed JSON line (a download cut short, a line missing its brace) fails DuckDB's read
 *   of a whole JSON lines file. With `jsonObjects`, a line that is not a JSON object is left
 *   empty in the copy and comes back as a malformed row, like an over-long line.
 * A copy is only made when the scan has seen one of these, so ordinary files are read in place.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errors } from '../../core/messages.js';
import { toUtf8 } from './encoding.js';
import { MAX_LINE_BYTES, MAX_VALUE_CHARS } from './limits.js';

export interface TextCopy {
  readonly file: string;
  /** Physical lines (1-based) left empty because they were longer than `MAX_LINE_BYTES`, with their start. */
  readonly longLines: readonly { readonly line: number; readonly value: string }[];
  /** With `jsonObjects`: lines (1-based) left empty because they are not a JSON object, with their start and why. */
  readonly notJson: readonly { readonly line: number; readonly value: string; readonly reason: string }[];
  cleanup(): Promise<void>;
}

const NL = 10;
const CR = 13;
/** Bytes kept of an over-long line for its reject value: enough for `MAX_VALUE_CHARS` characters of UTF-8. */
const PREFIX_BYTES = 4 * MAX_VALUE_CHARS;

/** The reject reason of a line left empty for its length. */
export const LONG_LINE_REASON = `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, the most segmint reads in one line`;

/** The lines a copy left empty (too long, or not a JSON object), each with why, in line order. */
export function linesLeftEmpty(copy: TextCopy): { line: number; value: string; reason: string }[] {
  return [...copy.notJson, ...copy.longLines.map((l) => ({ ...l, reason: LONG_LINE_REASON }))].sort((x, y) => x.line - y.line);
}

/**
 * A UTF-8 copy of `file` (gzip decompressed, BOM dropped); with `lines`, also LF line ends and
 * over-long lines emptied. Call `cleanup` when DuckDB is done with it.
 *
 * @example
 * const copy = await textCopy('/exports/users.txt', { lines: true });
 * copy.longLines; // [{ line: 7, value: 'u7,xxxxxxxx…' }]
 */
export async function textCopy(file: string, options: { lines: boolean; jsonObjects?: boolean }): Promise<TextCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), 'segmint-text-'));
  const out = path.join(dir, path.basename(file).replace(/\.(gz|gzip)$/i, ''));
  const repair = options.lines ? new LineRepair(options.jsonObjects === true) : null;
  const stages: NodeJS.ReadWriteStream[] = [];
  if (/\.(gz|gzip)$/i.test(file)) stages.push(createGunzip());
  stages.push(toUtf8(), stripBom());
  if (repair) stages.push(repair.stream());
  try {
    await pipeline([createReadStream(file), ...stages, createWriteStream(out, { mode: 0o600 })]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw errors.unreadableFile(file, e instanceof Error ? e.message : String(e));
  }
  return { file: out, longLines: repair?.long ?? [], notJson: repair?.notJson ?? [], cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function stripBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (first && chunk.length > 0) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      done(null, chunk);
    },
  });
}

/** Rewrites lines one at a time; a line is held until its end (at most `MAX_LINE_BYTES` of it). */
class LineRepair {
  readonly long: { line: number; value: string }[] = [];
  readonly notJson: { line: number; value: string; reason: string }[] = [];
  private line = 1;
  private parts: Buffer[] = [];
  private bytes = 0;
  /** The start of the current line once it is known to be too long; its rest is dropped. */
  private dropped: Buffer | null = null;

  constructor(private readonly jsonObjects = false) {}

  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        const out: Buffer[] = [];
        let pos = 0;
        for (;;) {
          const nl = chunk.indexOf(NL, pos);
          this.add(chunk.subarray(pos, nl === -1 ? chunk.length : nl));
          if (nl === -1) break;
          this.endLine(out, true);
          pos = nl + 1;
        }
        done(null, out.length > 0 ? Buffer.concat(out) : undefined);
      },
      flush: (done) => {
        const out: Buffer[] = [];
        if (this.bytes > 0 || this.dropped !== null) this.endLine(out, false);
        done(null, out.length > 0 ? Buffer.concat(out) : undefined);
      },
    });
  }

  private add(part: Buffer): void {
    if (part.length === 0) return;
    this.bytes += part.length;
    if (this.dropped !== null) return;
    this.parts.push(part);
    // One byte of slack: a CR before the LF is not part of the line.
    if (this.bytes > MAX_LINE_BYTES + 1) this.drop();
  }

  private drop(): void {
    this.dropped = Buffer.concat(this.parts).subarray(0, PREFIX_BYTES);
    this.parts = [];
  }

  /**
   * Whether the current line (held whole in `parts`) is blank (spaces and tabs only, which
   * DuckDB skips) or one JSON object; records it in `notJson` when it is neither.
   */
  private isJsonObjectOrBlank(): boolean {
    const text = Buffer.concat(this.parts).toString('utf8');
    if (/^[ \t]*$/.test(text)) return true;
    let reason: string;
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
      reason = `not a JSON object (${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`})`;
    } catch (e) {
      reason = `malformed JSON (${e instanceof Error ? e.message : String(e)})`;
    }
    this.notJson.push({ line: this.line, value: text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text, reason });
    return false;
  }

  private endLine(out: Buffer[], newline: boolean): void {
    const last = this.parts.at(-1);
    if (last !== undefined && last[last.length - 1] === CR) {
      this.parts[this.parts.length - 1] = last.subarray(0, last.length - 1);
      this.bytes--;
    }
    if (this.dropped === null && this.bytes > MAX_LINE_BYTES) this.drop();
    if (this.dropped !== null) {
      // Cut at a character boundary: decoding drops a partial last character as U+FFFD.
      const text = this.dropped.toString('utf8').replace(/\uFFFD$/, '');
      this.long.push({ line: this.line, value: `${text.slice(0, MAX_VALUE_CHARS)}…` });
    } else if (this.jsonObjects && !this.isJsonObjectOrBlank()) {
      // Left empty: DuckDB skips it like a blank line, and every other line keeps its number.
    } else out.push(...this.parts);
    if (newline) out.push(Buffer.from([NL]));
    this.line++;
    this.parts = [];
    this.bytes = 0;
    this.dropped = null;
  }
}
