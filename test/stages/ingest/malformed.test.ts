/**
 * The malformed-input corpus: each broken file ends in exact rejects with reasons (file, line,
 * raw value) or a one-line catalog error, and the row accounting always adds up. Small cases
 * are committed under test/fixtures/ingest/malformed/; big and binary ones are generated here.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { errors } from '../../../src/core/messages.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import type { IngestResult, RowAccounting } from '../../../src/stages/ingest/types.js';
import { expectCatalogError, fixture, makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('each', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');
const corpus = (name: string) => fixture(path.join('malformed', name));
const adds = (a: RowAccounting) => a.used + a.outOfWindow + a.duplicates + a.rejected + (a.setAside ?? 0);

async function read(file: string): Promise<IngestResult> {
  const result = await ingest(db, makeConfig([file], { maxRejectRate: 1 }), createContext(1), { now: NOW });
  for (const a of result.accounting) expect(adds(a), `${a.role} accounting`).toBe(a.read);
  return result;
}
const rejects = (r: IngestResult) => r.rejects.map((x) => [x.line, x.value, x.reason]);
const users = async () => (await db.all<{ user_id: string }>('SELECT user_id FROM events ORDER BY ts, user_id')).map((r) => r.user_id);

const tooFew = (n: number) => `malformed CSV row: too few columns (${n} field${n === 1 ? '' : 's'} where the header has 3)`;

describe('malformed CSV', () => {
  it('a truncated last line (no newline, cut mid-timestamp)', async () => {
    const r = await read(corpus('truncated-last-line.csv'));
    expect(rejects(r)).toEqual([[4, '2024-05-0', 'unparseable timestamp (column "timestamp", read as ISO 8601)']]);
    expect(r.accounting[0]).toMatchObject({ read: 3, used: 2 });
  });

  it('a line cut before its last field', async () => {
    const file = path.join(dir, 'cut-fields.csv');
    await writeFile(file, 'user_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\nu2,op');
    const r = await read(file);
    expect(rejects(r)).toEqual([[3, 'u2,op', tooFew(2)]]);
  });

  it('an unbalanced quote: the other quoted values still read; the open quote runs on and says how far', async () => {
    const r = await read(corpus('unbalanced-quote.csv'));
    expect(rejects(r)).toEqual([
      [
        4,
        'u3,"open,2024-05-01T10:10:00Z\nu4,open,2024-05-01T10:15:00Z',
        'malformed CSV row: unterminated quote (Value with unterminated quote found.); the record runs over lines 4–5',
      ],
    ]);
    expect(await db.all('SELECT user_id, event FROM events')).toEqual([
      { user_id: 'u1', event: 'open, app' },
      { user_id: 'u2', event: 'close' },
    ]);
  });

  it('rows with too many and too few columns', async () => {
    const r = await read(corpus('column-count.csv'));
    expect(rejects(r)).toEqual([
      [3, 'u2,open,2024-05-01T10:05:00Z,extra', 'malformed CSV row: too many columns (4 fields where the header has 3)'],
      [4, 'u3,open', tooFew(2)],
    ]);
    expect(await users()).toEqual(['u1', 'u4']);
  });

  it('a row far too wide is counted in full: DuckDB alone stops one field past the header', async () => {
    const file = path.join(dir, 'wide.csv');
    await writeFile(file, 'user_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\nu2,"open, app",2024-05-01T10:05:00Z,x,y,z\nu3,open,2024-05-01T10:10:00Z\n');
    const r = await read(file);
    // The quoted comma is one field: 6 in all.
    expect(rejects(r)).toEqual([[3, 'u2,"open, app",2024-05-01T10:05:00Z,x,y,z', 'malformed CSV row: too many columns (6 fields where the header has 3)']]);
  });

  it('a tab-separated row is counted by tabs', async () => {
    const file = path.join(dir, 'wide.tsv');
    await writeFile(file, 'user_id\tevent\ttimestamp\nu1\topen\t2024-05-01T10:00:00Z\nu2\topen,app\t2024-05-01T10:05:00Z\tx\tz\n');
    const r = await read(file);
    expect(rejects(r)).toEqual([[3, 'u2\topen,app\t2024-05-01T10:05:00Z\tx\tz', 'malformed CSV row: too many columns (5 fields where the header has 3)']]);
  });

  it('blank lines are no rows, and the lines after them keep their numbers', async () => {
    const r = await read(corpus('blank-lines.csv'));
    expect(r.accounting[0]).toMatchObject({ read: 4, used: 2, rejected: 2 });
    expect(rejects(r)).toEqual([
      [5, '', 'missing event name (column "event" is empty or absent)'],
      [7, 'u3,open', tooFew(2)],
    ]);
  });

  it('a quoted value over two lines counts as both lines for the rows after it', async () => {
    const r = await read(corpus('quoted-newline.csv'));
    expect(rejects(r)).toEqual([[4, '', 'missing event name (column "event" is empty or absent)']]);
    expect(await db.all('SELECT event FROM events ORDER BY ts')).toEqual([{ event: 'a note\nover two lines' }, { event: 'open' }]);
  });

  it('invalid UTF-8 rejects that row only', async () => {
    const file = path.join(dir, 'latin1.csv');
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from('user_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\nu2,'),
        Buffer.from([0xff, 0xfe, 0x41]),
        Buffer.from(',2024-05-01T10:00:00Z\nu3,café,2024-05-01T10:00:00Z\n'),
      ]),
    );
    const r = await read(file);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/^malformed CSV row: invalid UTF-8 \(/) });
    expect(await db.all('SELECT event FROM events ORDER BY user_id')).toEqual([{ event: 'open' }, { event: 'café' }]);
  });

  it('a byte-order mark before the header', async () => {
    const file = path.join(dir, 'bom.csv');
    await writeFile(file, '\ufeffuser_id,event,timestamp\nu1,open,2024-05-01T10:00:00Z\n');
    const r = await read(file);
    expect(r.events!.mapping.userId).toBe('user_id');
    expect(r.accounting[0]).toMatchObject({ read: 1, used: 1 });
  });

  it('mixed timestamp formats: ISO variants parse (offsets to UTC), the rest are rejected', async () => {
    const r = await read(corpus('mixed-timestamps.csv'));
    const bad = 'unparseable timestamp (column "timestamp", read as ISO 8601)';
    expect(rejects(r)).toEqual([
      [6, '1714557600', bad],
      [7, '05/01/2024 10:00', bad],
      [9, '1 May 2024', bad],
    ]);
    expect(await db.all(`SELECT event, strftime(ts, '%Y-%m-%dT%H:%M:%S.%f') AS ts FROM events ORDER BY event`)).toEqual([
      { event: 'a', ts: '2024-05-01T10:00:00.000000' },
      { event: 'b', ts: '2024-05-01T10:00:00.000000' },
      { event: 'c', ts: '2024-05-01T10:30:00.000000' },
      { event: 'd', ts: '2024-05-01T00:00:00.000000' },
      { event: 'g', ts: '2024-05-01T10:00:00.123456' },
    ]);
  });

  it('one 10 MB line: read, and a 10 MB id is rejected with its value cut to 1,000 characters', async () => {
    const file = path.join(dir, 'huge.csv');
    const big = 'x'.repeat(10 * 1024 * 1024);
    await writeFile(file, `user_id,event,timestamp,payload\nu1,open,2024-05-01T10:00:00Z,${big}\n${big},open,2024-05-01T10:00:00Z,p\nu2,open,2024-05-01T10:00:00Z,p\n`);
    const r = await read(file);
    expect(r.rejects).toEqual([{ file, line: 3, value: `${'x'.repeat(1000)}…`, reason: 'user id longer than 1000 characters (column "user_id")' }]);
    expect(await users()).toEqual(['u1', 'u2']);
  });
});

describe('malformed JSON lines', () => {
  it('null, empty, absent, blank and NA user ids are rejected; a numeric id is an id', async () => {
    const r = await read(corpus('null-user-ids.jsonl'));
    const empty = 'missing user id (column "user_id" is empty or absent)';
    const marker = 'missing user id (column "user_id" holds a missing-value marker like NA or null)';
    expect(rejects(r)).toEqual([
      [1, '', empty],
      [2, '', empty],
      [3, '', empty],
      [4, 'NA', marker],
      [5, '  ', empty],
      [6, 'null', marker],
    ]);
    expect(await users()).toEqual(['7']);
  });

  it('duplicate message ids: the first delivery counts, a rejected row is no first delivery', async () => {
    const r = await read(corpus('duplicate-ids.jsonl'));
    expect(r.accounting[0]).toMatchObject({ read: 6, used: 3, duplicates: 2, rejected: 1 });
    expect(await db.all('SELECT user_id, event FROM events')).toEqual([
      { user_id: 'u1', event: 'a' },
      { user_id: 'u1', event: 'b' },
      { user_id: 'u2', event: 'c' },
    ]);
  });

  it('a byte-order mark and blank lines', async () => {
    const file = path.join(dir, 'bom.jsonl');
    await writeFile(file, '\ufeff{"user_id":"u1","event":"a","timestamp":"2024-05-01T10:00:00Z"}\n\n  \n{"user_id":"","event":"b","timestamp":"2024-05-01T10:00:00Z"}\n');
    const r = await read(file);
    expect(rejects(r)).toEqual([[4, '', 'missing user id (column "user_id" is empty or absent)']]);
  });

  it('a line cut off mid-object, one missing its brace, an array and a number: each a reject on its own line, the rest read', async () => {
    const file = path.join(dir, 'broken-lines.jsonl');
    const good = (u: string, h: number) => JSON.stringify({ user_id: u, event: 'open', timestamp: `2024-05-01T${h}:00:00Z` });
    await writeFile(file, [good('u1', 10), '{"user_id": "u2", "event": ', good('u3', 11), '', '{"user_id": "u4", "event": "a"', '[1, 2]', '42', good('u5', 12), '{"user_id": "u6", "ev'].join('\n'));
    const r = await read(file);
    expect(rejects(r)).toEqual([
      [2, '{"user_id": "u2", "event": ', 'malformed JSON (Unexpected end of JSON input)'],
      [5, '{"user_id": "u4", "event": "a"', "malformed JSON (Expected ',' or '}' after property value in JSON at position 30)"],
      [6, '[1, 2]', 'not a JSON object (an array)'],
      [7, '42', 'not a JSON object (a number)'],
      [9, '{"user_id": "u6", "ev', 'malformed JSON (Unterminated string in JSON at position 21)'],
    ]);
    expect(r.accounting[0]).toMatchObject({ read: 8, used: 3, rejected: 5 });
    expect(await users()).toEqual(['u1', 'u3', 'u5']);
  });

  it('a vendor export (Mixpanel JSON lines) with a line cut short: that line is a reject, the rest are read with the preset', async () => {
    const file = path.join(dir, 'mixpanel.jsonl');
    const row = (u: string, t: number, id: string) => JSON.stringify({ event: 'Open', properties: { time: t, distinct_id: u, $insert_id: id } });
    await writeFile(file, [row('m1', 1714500000, 'a'), '', row('m2', 1714500060, 'b'), '{"event":"Open","properties":{"time":17146', row('m1', 1714500120, 'c')].join('\n') + '\n');
    const r = await read(file);
    expect(rejects(r)).toEqual([[4, '{"event":"Open","properties":{"time":17146', "malformed JSON (Expected ',' or '}' after property value in JSON at position 42)"]]);
    expect(r.accounting[0]).toMatchObject({ read: 4, used: 3, rejected: 1 });
    expect(await users()).toEqual(['m1', 'm2', 'm1']);
  });

  it('over the reject-rate limit, a broken JSON lines file stops with the counts and its first broken line', async () => {
    const file = fixture('broken.jsonl');
    const error = await ingest(db, makeConfig([file]), createContext(1), { now: NOW }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_REJECT_RATE' });
    expect((error as Error).message).toContain('broken.jsonl:2');
  });

  it('a JSON array cut short is a one-line error (an array is one document, not lines)', async () => {
    const file = path.join(dir, 'cut-array.json');
    await writeFile(file, '[{"user_id": "u1", "event": "open", "timestamp": "2024-05-01T10:00:00Z"},\n{"user_id": "u2", "ev');
    const error = await ingest(db, makeConfig([file]), createContext(1), { now: NOW }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UNREADABLE', subject: file });
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
});

describe('files that cannot be read at all: one-line errors', () => {
  it('a header-only file', async () => {
    const file = fixture('header-only.csv');
    await expectCatalogError(ingest(db, makeConfig([file]), createContext(1), { now: NOW }), errors.emptyInput(file, 'events'));
  });

  it('a gzip file cut short (DuckDB alone would read the first half without a word)', async () => {
    const file = path.join(dir, 'cut.csv.gz');
    const rows = Array.from({ length: 20_000 }, (_, i) => `u${i},open,2024-05-01T10:00:00Z`);
    const gz = gzipSync(Buffer.from(['user_id,event,timestamp', ...rows].join('\n') + '\n'));
    await writeFile(file, gz.subarray(0, gz.length >> 1));
    await expectCatalogError(
      ingest(db, makeConfig([file]), createContext(1), { now: NOW }),
      errors.unreadableFile(file, 'the gzip stream ends early (the file was cut short); no rows were read from it'),
    );
  });

  it('a vendor export cut short (read with its preset) is the same one-line error', async () => {
    const file = path.join(dir, 'amplitude_2024-05-01_9#0.json.gz');
    const rows = Array.from({ length: 5_000 }, (_, i) =>
      JSON.stringify({ event_type: 'click', user_id: `u${i}`, event_time: '2024-05-01 10:00:00.000000', $insert_id: `i${i}` }),
    );
    const gz = gzipSync(Buffer.from(rows.join('\n') + '\n'));
    await writeFile(file, gz.subarray(0, gz.length >> 1));
    await expectCatalogError(
      ingest(db, makeConfig([file], { events: { preset: 'amplitude' } }), createContext(1), { now: NOW }),
      errors.unreadableFile(file, 'the gzip stream ends early (the file was cut short); no rows were read from it'),
    );
  });

  it('a .gz file that is not gzip', async () => {
    const file = path.join(dir, 'plain.csv.gz');
    await writeFile(file, 'user_id,event,timestamp\n');
    const error = await ingest(db, makeConfig([file]), createContext(1), { now: NOW }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UNREADABLE', message: `cannot read ${file}: not a valid gzip file (incorrect header check)` });
  });
});

describe('the accounting adds up for any mix of good and broken rows', () => {
  type Kind = 'good' | 'blank' | 'noUser' | 'naUser' | 'badTs' | 'tooMany' | 'tooFew' | 'old' | 'future' | 'dup';
  const kinds = fc.oneof(
    { weight: 8, arbitrary: fc.constant<Kind>('good') },
    { weight: 1, arbitrary: fc.constantFrom<Kind>('blank', 'noUser', 'naUser', 'badTs', 'tooMany', 'tooFew', 'old', 'future', 'dup') },
  );

  it('read = used + out of window + duplicates + rejected, and rejects sit on the right lines', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(kinds, { minLength: 1, maxLength: 40 }), async (tail) => {
        const rows: Kind[] = ['good', ...tail];
        const bad = rows.filter((k) => k === 'badTs').length;
        const malformed = rows.filter((k) => k === 'tooMany' || k === 'tooFew').length;
        // Keep the file recognisably a 4-column ISO-timestamp CSV (else it is a different error).
        fc.pre(2 * bad < rows.length - malformed && 3 * malformed < rows.length);
        const lines: string[] = [];
        const rejectLines: number[] = [];
        let used = 0;
        let dups = 0;
        // A re-delivery repeats the last good row whole: its event id, user, event and time.
        let lastGood: string | null = null;
        rows.forEach((k, i) => {
          const line = i + 2; // the header is line 1
          const ts = `2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z`;
          const id = `e${i}`;
          switch (k) {
            case 'good':
              lastGood = `u${i % 3},open,${ts},${id}`;
              lines.push(lastGood);
              used++;
              return;
            case 'blank':
              lines.push('');
              return;
            case 'dup':
              if (lastGood === null) {
                lastGood = `u1,open,${ts},${id}`;
                lines.push(lastGood);
                used++;
              } else {
                lines.push(lastGood);
                dups++;
              }
              return;
            case 'noUser':
              lines.push(`,open,${ts},${id}`);
              break;
            case 'naUser':
              lines.push(`NA,open,${ts},${id}`);
              break;
            case 'badTs':
              lines.push(`u1,open,soon,${id}`);
              break;
            case 'tooMany':
              lines.push(`u1,open,${ts},${id},extra`);
              break;
            case 'tooFew':
              lines.push(`u1,open`);
              break;
            case 'old':
              lines.push(`u1,open,1985-05-01T10:00:00Z,${id}`);
              break;
            case 'future':
              lines.push(`u1,open,2030-05-01T10:00:00Z,${id}`);
              break;
          }
          rejectLines.push(line);
        });
        const file = path.join(dir, `prop-${n++}.csv`);
        await writeFile(file, ['user_id,event,timestamp,event_id', ...lines].join('\n') + '\n');
        const r = await ingest(db, makeConfig([file], { maxRejectRate: 1, window: { days: 20_000 } }), createContext(1), { now: NOW });
        const [a] = r.accounting;
        expect(adds(a)).toBe(a.read);
        expect(a.read).toBe(rows.filter((k) => k !== 'blank').length);
        expect(r.rejects.map((x) => x.line)).toEqual(rejectLines);
        expect(a).toMatchObject({ used, duplicates: dups, outOfWindow: 0 });
      }),
      { numRuns: 40 },
    );
  });
});
