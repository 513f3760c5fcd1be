/**
 * A file saved in another encoding than UTF-8 (Windows-1252, Latin-1) is named as such before
 * any reading: DuckDB dropped or rejected its rows one by one, and the user saw "no data rows",
 * "no user id column (found no columns)" or a reject rate to raise (QA). A few bad lines in a
 * UTF-8 file stay rejected rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { errors } from '../../../src/core/messages.js';
import { checkUtf8Head } from '../../../src/stages/ingest/scan.js';
import { runCli, tempDir } from '../../helpers/cli.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('checkUtf8Head', () => {
  it('names a Latin-1 file, how much of it is not UTF-8 and its first such line', async () => {
    const file = join(tempDir(), 'users.csv');
    writeFileSync(file, latin1('user_id,city\nu1,São Paulo\nu2,München\nu3,Zürich\n'));
    await expect(checkUtf8Head(file)).rejects.toThrow(errors.notUtf8(file, 3, 4, 2).message);
    const gz = join(tempDir(), 'users.csv.gz');
    writeFileSync(gz, gzipSync(latin1('user_id,city\nu1,São Paulo\nu2,München\n')));
    await expect(checkUtf8Head(gz)).rejects.toThrow(errors.notUtf8(gz, 2, 3, 2).message);
  });

  it('leaves UTF-8 text alone, a few bad lines included (they are rejected rows), and UTF-16 with its mark', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'user_id,city\nu1,São Paulo\nu2,München\n');
    await expect(checkUtf8Head(good)).resolves.toBeUndefined();
    const few = join(dir, 'few.csv');
    writeFileSync(few, Buffer.concat([Buffer.from('user_id,city\n' + Array.from({ length: 9 }, (_, i) => `u${i},Lyon\n`).join('')), latin1('u9,Besançon\n')]));
    await expect(checkUtf8Head(few)).resolves.toBeUndefined();
    // Longer than the 64 KB judged: the cut falls inside a two-byte letter, which is not a bad line.
    const long = join(dir, 'long.csv');
    writeFileSync(long, 'user_id,city\n' + 'u,' + 'é'.repeat(40_000) + '\n');
    await expect(checkUtf8Head(long)).resolves.toBeUndefined();
    const utf16 = join(dir, 'utf16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('user_id,city\nu1,São Paulo\n', 'utf16le')]));
    await expect(checkUtf8Head(utf16)).resolves.toBeUndefined();
  });

  it('stops init, validate and run with that line, before any run folder', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.csv');
    writeFileSync(events, latin1('user_id,event,timestamp\nu1,café_ordered,2024-05-01T10:00:00Z\nu2,crème_added,2024-05-02T10:00:00Z\n'));
    for (const args of [['init', events, '--out', join(dir, 'job.yaml')], ['validate', '--events', events, '--quiet'], ['run', '--events', events, '--out', join(dir, 'reports'), '--quiet']]) {
      const r = await runCli(args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`error: ${events} is not UTF-8 text: 2 of its first 3 lines hold bytes that are not (first: line 2)`)]);
    }
  });
});
