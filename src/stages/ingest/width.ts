/**
 * How many columns a file has, found before DuckDB reads it: a very wide file (tens of thousands
 * of columns) runs DuckDB out of memory while reading, so it is refused first (`MAX_COLUMNS`).
 */
import type { Db } from '../../core/duckdb.js';
import { errors } from '../../core/messages.js';
import { quoteLiteral } from '../../core/sql.js';
import { openText } from './encoding.js';
import type { FileFormat } from './files.js';
import { MAX_COLUMNS, MAX_LINE_BYTES } from './limits.js';

const NL = 10;
const CR = 13;
const QUOTE = 34;
const DELIMITERS = [44, 9, 59, 124]; // , \t ; |
const TAB = 9;
/** JSON lines: the first object is parsed to count its keys when it is at most this long. */
const JSON_LINE_BYTES = 8 * 1024 * 1024;

/**
 * Throw `errors.tooManyColumns` when `file` has more than `MAX_COLUMNS` columns: CSV/TSV by its
 * first non-blank line (fields split by the delimiter found most often outside quotes), JSON
 * lines by the keys of its first object, Parquet by its schema. JSON arrays are not checked.
 *
 * @example
 * await checkWidth(db, '/data/users.csv', 'csv'); // throws for a 20,000-column export
 */
export async function checkWidth(db: Db, file: string, format: FileFormat): Promise<void> {
  let columns: number | null = null;
  if (format === 'parquet') {
    const rows = await db.all(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`).catch(() => null);
    columns = rows?.length ?? null;
  } else if (format === 'csv' || format === 'tsv' || format === 'jsonl') {
    const line = await firstLine(file, format === 'jsonl' ? JSON_LINE_BYTES : MAX_LINE_BYTES, format);
    if (line !== null) columns = line.columns;
  }
  if (columns !== null && columns > MAX_COLUMNS) throw errors.tooManyColumns(file, columns, MAX_COLUMNS);
}

/** The first non-blank line's column count, reading at most `limit` bytes of it; null when unknown. */
async function firstLine(file: string, limit: number, format: 'csv' | 'tsv' | 'jsonl'): Promise<{ columns: number } | null> {
  const text = openText(file);
  const counts = new Map<number, number>(DELIMITERS.map((d) => [d, 0]));
  const kept: Buffer[] = [];
  let bytes = 0;
  let quoted = false;
  let content = false;
  let done = false;
  try {
    for await (const chunk of text.stream as AsyncIterable<Buffer>) {
      let i = bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
      const start = i;
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === NL) {
          if (content) {
            done = true;
            break;
          }
          continue;
        }
        if (b !== CR && b !== 32 && b !== TAB) content = true;
        if (b === QUOTE) quoted = !quoted;
        else if (!quoted && counts.has(b)) counts.set(b, counts.get(b)! + 1);
      }
      if (format === 'jsonl') kept.push(chunk.subarray(start, i));
      bytes += i - start;
      if (done || bytes > limit) break;
    }
  } catch {
    return null; // the scan reports why the file cannot be read
  } finally {
    text.close();
  }
  if (!content || bytes > limit) return null;
  if (format === 'jsonl') {
    try {
      const row: unknown = JSON.parse(Buffer.concat(kept).toString('utf8'));
      return row !== null && typeof row === 'object' && !Array.isArray(row) ? { columns: Object.keys(row).length } : null;
    } catch {
      return null;
    }
  }
  const fields = format === 'tsv' ? counts.get(TAB)! : Math.max(...counts.values());
  return { columns: fields + 1 };
}
