/**
 * A file that is not what its name says is named for what it is, before any parser reads it:
 * "this looks like an Excel workbook — export it as CSV", not DuckDB's "Error when sniffing file".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { errors } from '../../../src/core/messages.js';
import { binaryKind } from '../../../src/stages/ingest/magic.js';
import { resolveInputs } from '../../../src/stages/ingest/files.js';
import { tempDir } from '../../helpers/tmp.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('files that are not what their name says', () => {
  it.each([
    ['an Excel workbook or other zip archive (.xlsx, .zip)', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0)],
    ['an old Excel workbook (.xls)', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)],
    ['a Parquet file', text('PAR1\u0015\u0004')],
    ['a gzip-compressed file', bytes(0x1f, 0x8b, 8, 0)],
    ['a PNG image', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a)],
    ['a PDF document', text('%PDF-1.7')],
    ['a SQLite database', text('SQLite format 3\u0000')],
  ])('recognises %s', (what, head) => {
    expect(binaryKind(head)?.what).toBe(what);
  });

  it('leaves text alone, whatever it starts with', () => {
    for (const s of ['user_id,event,timestamp\n', '{"user_id": 1}\n', '\ufeffuser_id,event\n', 'PA,R1\n', '']) expect(binaryKind(text(s))).toBeNull();
  });

  it('refuses an xlsx or PNG named .csv in one line, and reads a gzip named .gz and Parquet named .parquet', async () => {
    const dir = tempDir('segmint-magic-');
    const xlsx = join(dir, 'events.csv');
    writeFileSync(xlsx, bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0));
    await expect(resolveInputs([xlsx], 'events')).rejects.toThrow(
      errors.notThisFormat(xlsx, 'events', 'an Excel workbook or other zip archive (.xlsx, .zip)', 'CSV', binaryKind(bytes(0x50, 0x4b, 3, 4))!.hint).message,
    );
    const gz = join(dir, 'ok.csv.gz');
    writeFileSync(gz, gzipSync('user_id,event,timestamp\n'));
    expect(await resolveInputs([gz], 'events')).toEqual([gz]);
    const pq = join(dir, 'ok.parquet');
    writeFileSync(pq, text('PAR1 not really but named so'));
    expect(await resolveInputs([pq], 'events')).toEqual([pq]);
    const renamed = join(dir, 'renamed.jsonl');
    writeFileSync(renamed, gzipSync('{"a":1}\n'));
    await expect(resolveInputs([renamed], 'users')).rejects.toThrow(/users file .*renamed\.jsonl is a gzip-compressed file, not the JSON lines its name says/);
  });
});
