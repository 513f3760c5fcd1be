/**
 * The physical lines of records DuckDB's CSV reader rejected, when its own line numbers are off.
 *
 * Why: DuckDB numbers lines without the newlines inside quoted values (measured: after a value
 * over three lines, a rejected record on physical line 6 is reported as line 4), so after such a
 * value every rejected record would be reported too early. Its `line_byte_position` is a byte
 * offset in the file as read (after gzip, before any BOM is dropped) at or shortly before the
 * record: at its start, at the end of the line before it, or at the blank lines before it. So the
 * file is read from the top up to the last such record, and each record is the first line from
 * that offset on whose text starts like the record's.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface RejectedRecord {
  /** DuckDB's `line_byte_position`. */
  readonly byte: number;
  /** The start of the record's first line as DuckDB quotes it (no line end). */
  readonly head: string;
  /** Lines to look at from the one holding `byte` (the blank lines DuckDB quoted before it, plus slack). */
  readonly within: number;
}

const NL = 10;
const CR = 13;
/** Bytes of each line compared with a record's head. */
const COMPARE_BYTES = 256;

/**
 * The 1-based physical line of each record (in the order given), or null where the text was not
 * found near the offset (the caller keeps DuckDB's line then).
 *
 * @example
 * await locateRecords('/data/events.csv', [{ byte: 45, head: 'u3,a', within: 2 }]); // [6]
 */
export async function locateRecords(file: string, records: readonly RejectedRecord[]): Promise<(number | null)[]> {
  const out: (number | null)[] = records.map(() => null);
  const order = records.map((_, i) => i).sort((a, b) => records[a].byte - records[b].byte);
  const heads = records.map((r) => Buffer.from(r.head, 'utf8').subarray(0, COMPARE_BYTES));
  // Records whose window has opened, with the lines each may still look at.
  const open: { i: number; left: number }[] = [];
  let next = 0;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  let prefix: Buffer[] = [];
  let prefixBytes = 0;

  const endLine = (end: number): boolean => {
    // The window of a record opens on the line holding its offset (or a later one).
    while (next < order.length && records[order[next]].byte < end + 1) {
      open.push({ i: order[next], left: Math.max(1, records[order[next]].within) });
      next++;
    }
    if (open.length > 0) {
      let text = Buffer.concat(prefix);
      if (text.length > 0 && text[text.length - 1] === CR && prefixBytes <= COMPARE_BYTES) text = text.subarray(0, text.length - 1);
      for (let k = 0; k < open.length; k++) {
        const o = open[k];
        const head = heads[o.i];
        const match = head.length > 0 && text.length >= head.length && text.subarray(0, head.length).equals(head);
        if (match) {
          out[o.i] = line;
          open.splice(k, 1);
          break; // one record per line
        }
      }
      for (let k = open.length - 1; k >= 0; k--) if (--open[k].left <= 0) open.splice(k, 1);
    }
    line++;
    lineStart = end + 1;
    prefix = [];
    prefixBytes = 0;
    return next >= order.length && open.length === 0;
  };

  const source = createReadStream(file);
  const stream = /\.(gz|gzip)$/i.test(file) ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(NL, pos);
        const stop = nl === -1 ? chunk.length : nl;
        if (prefixBytes < COMPARE_BYTES + 1 && stop > pos) {
          const part = chunk.subarray(pos, Math.min(stop, pos + COMPARE_BYTES + 1 - prefixBytes));
          prefix.push(Buffer.from(part));
          prefixBytes += part.length;
        }
        if (nl === -1) break;
        if (endLine(offset + nl)) return out;
        pos = nl + 1;
      }
      offset += chunk.length;
    }
    if (lineStart < offset || prefixBytes > 0) endLine(offset);
    return out;
  } finally {
    source.destroy();
    if (stream !== source) stream.destroy();
  }
}
