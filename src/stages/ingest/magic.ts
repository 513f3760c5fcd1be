/**
 * Files that are not what their name says, recognised from their first bytes before anything
 * tries to parse them: a workbook, an image or a PDF named `.csv`, or a Parquet or gzip file under
 * the wrong extension. DuckDB's own message for these ("Error when sniffing file", or a header
 * read out of binary) sends people looking in the wrong place; this says what the file is and
 * what to do.
 */
import { open } from 'node:fs/promises';
import { errors } from '../../core/messages.js';
import { formatOf, type FileFormat } from './files.js';

const FORMAT_WORDS: Readonly<Record<FileFormat, string>> = { csv: 'CSV', tsv: 'TSV', jsonl: 'JSON lines', json: 'JSON', parquet: 'Parquet' };

export interface BinaryKind {
  /** What the file is, in words: "an Excel workbook (.xlsx)". */
  readonly what: string;
  readonly hint: string;
}

const starts = (head: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** The kind of a file from its first bytes; null for text (or anything unrecognised). */
export function binaryKind(head: Uint8Array): BinaryKind | null {
  const exportCsv = 'open it and save or export it as CSV (UTF-8), then point segmint at that file';
  if (starts(head, [0x50, 0x4b, 0x03, 0x04])) return { what: 'an Excel workbook or other zip archive (.xlsx, .zip)', hint: exportCsv };
  if (starts(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { what: 'an old Excel workbook (.xls)', hint: exportCsv };
  if (starts(head, ascii('PAR1'))) return { what: 'a Parquet file', hint: 'give it a .parquet extension so it is read as Parquet' };
  if (starts(head, [0x1f, 0x8b])) return { what: 'a gzip-compressed file', hint: 'give it its .gz extension (e.g. events.csv.gz) so it is decompressed first' };
  if (starts(head, [0x28, 0xb5, 0x2f, 0xfd])) return { what: 'a zstd-compressed file', hint: 'give it its .zst extension, or decompress it first' };
  if (starts(head, [0x89, 0x50, 0x4e, 0x47])) return { what: 'a PNG image', hint: 'point segmint at the data export (CSV, JSON lines or Parquet), not a picture of it' };
  if (starts(head, [0xff, 0xd8, 0xff])) return { what: 'a JPEG image', hint: 'point segmint at the data export (CSV, JSON lines or Parquet), not a picture of it' };
  if (starts(head, ascii('GIF8'))) return { what: 'a GIF image', hint: 'point segmint at the data export (CSV, JSON lines or Parquet), not a picture of it' };
  if (starts(head, ascii('%PDF'))) return { what: 'a PDF document', hint: 'export the data itself as CSV; a PDF report cannot be read as rows' };
  if (starts(head, ascii('SQLite format 3'))) return { what: 'a SQLite database', hint: 'export the table as CSV (sqlite3 -header -csv db "SELECT * FROM events" > events.csv)' };
  return null;
}

/**
 * Refuses a file whose first bytes say it is not the format its name announces (one line naming
 * the file, what it is and what to do). A compressed name (`.gz`) is checked after decompression
 * by the readers, so only its own magic is trusted here.
 */
export async function checkNotBinary(file: string, role: string): Promise<void> {
  const format = formatOf(file);
  const compressed = /\.(gz|gzip|zst)$/i.test(file);
  let head: Uint8Array;
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return; // unreadable files get their own error where they are read
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const kind = binaryKind(head);
  if (kind === null) return;
  // The file is what its name says: Parquet named .parquet, gzip named .gz, zstd named .zst.
  if (format === 'parquet' && kind.what === 'a Parquet file') return;
  if (compressed && (kind.what === 'a gzip-compressed file' || kind.what === 'a zstd-compressed file')) return;
  throw errors.notThisFormat(file, role, kind.what, FORMAT_WORDS[format ?? 'csv'], kind.hint);
}
