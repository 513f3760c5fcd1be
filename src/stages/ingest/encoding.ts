/**
 * Text encodings of input files, told by their byte-order mark.
 *
 * segmint reads UTF-8 (with or without a BOM). UTF-16 with a BOM is what Excel writes for
 * "Unicode text" and what many Windows tools export, so it is transcoded to UTF-8 instead of
 * refused: the scan decodes it on the fly (so its line facts describe the text, not the bytes),
 * and the reader reads a private UTF-8 copy (`repair.ts`). Why a copy rather than DuckDB's own
 * `encoding = 'utf-16'`: that option exists for CSV only (not JSON) and reads little-endian only
 * (measured: a UTF-16 BE file came back as one column of garbage). UTF-32 is rare enough that
 * it is refused with a hint (`errors.unsupportedEncoding`).
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be';

/** How each encoding is named in messages. */
export const ENCODING_NAMES: Readonly<Record<TextEncoding, string>> = {
  utf8: 'UTF-8',
  utf16le: 'UTF-16 LE',
  utf16be: 'UTF-16 BE',
  utf32le: 'UTF-32 LE',
  utf32be: 'UTF-32 BE',
};

/** The encoding announced by the first bytes of a text (UTF-8 when there is no BOM), and the BOM's length. */
export function encodingOf(head: Uint8Array): { encoding: TextEncoding; bomBytes: number } {
  const [a, b, c, d] = head;
  // UTF-32 LE starts like UTF-16 LE (FF FE), so it is tested first.
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf32le', bomBytes: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf32be', bomBytes: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf16le', bomBytes: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf16be', bomBytes: 2 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf8', bomBytes: 3 };
  return { encoding: 'utf8', bomBytes: 0 };
}

/** True for the encodings segmint transcodes to UTF-8 before reading. */
export function isUtf16(encoding: TextEncoding): encoding is 'utf16le' | 'utf16be' {
  return encoding === 'utf16le' || encoding === 'utf16be';
}

/**
 * The encoding of a (possibly gzipped) text file from its first four bytes; 'utf8' when it cannot
 * be read (the scan reports why).
 *
 * @example
 * await sniffEncoding('/exports/users.txt'); // 'utf16le' for an Excel "Unicode text" export
 */
export async function sniffEncoding(file: string): Promise<TextEncoding> {
  const gz = /\.(gz|gzip)$/i.test(file);
  const source = createReadStream(file, gz ? {} : { end: 3 });
  const gunzip = gz ? createGunzip() : null;
  const parts: Buffer[] = [];
  let bytes = 0;
  try {
    const stream = gunzip ? source.pipe(gunzip) : source;
    source.on('error', (e) => gunzip?.destroy(e));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      bytes += chunk.length;
      if (bytes >= 4) break;
    }
  } catch {
    return 'utf8';
  } finally {
    source.destroy();
    gunzip?.destroy();
  }
  return encodingOf(Buffer.concat(parts)).encoding;
}

/**
 * A stream turning text in any encoding `encodingOf` knows into UTF-8: UTF-16 is decoded (and its
 * BOM dropped); UTF-8 and UTF-32 pass through unchanged (UTF-32 is refused before reading). The
 * encoding is decided from the first four bytes. `onEncoding` is told which one it was.
 */
export function toUtf8(onEncoding: (encoding: TextEncoding) => void = () => {}): Transform {
  let head: Buffer | null = Buffer.alloc(0);
  let decoder: TextDecoder | null = null;
  const emit = (t: Transform, chunk: Buffer) => {
    if (decoder === null) t.push(chunk);
    else {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) t.push(Buffer.from(text, 'utf8'));
    }
  };
  const decide = (t: Transform) => {
    const start = head!;
    head = null;
    const { encoding } = encodingOf(start);
    onEncoding(encoding);
    // TextDecoder drops the BOM itself (ignoreBOM is false by default).
    if (isUtf16(encoding)) decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
    emit(t, start);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= 4) decide(this);
      } else emit(this, chunk);
      done();
    },
    flush(done) {
      if (head !== null) decide(this);
      if (decoder !== null) {
        const rest = decoder.decode();
        if (rest.length > 0) this.push(Buffer.from(rest, 'utf8'));
      }
      done();
    },
  });
}

/**
 * A (possibly gzipped) text file as a stream of UTF-8, for reading a little of it: errors of the
 * file or the gzip stream surface on the returned stream; `close` stops reading.
 *
 * @example
 * const text = openText('/exports/events.csv.gz');
 * for await (const chunk of text.stream) { … break; }
 * text.close();
 */
export function openText(file: string): { stream: Readable; close(): void } {
  const source = createReadStream(file);
  const gunzip = /\.(gz|gzip)$/i.test(file) ? createGunzip() : null;
  const decode = toUtf8();
  const fail = (e: Error) => decode.destroy(e);
  source.on('error', fail);
  if (gunzip) {
    gunzip.on('error', fail);
    source.pipe(gunzip).pipe(decode);
  } else source.pipe(decode);
  return {
    stream: decode,
    close: () => {
      source.destroy();
      gunzip?.destroy();
      decode.destroy();
    },
  };
}
