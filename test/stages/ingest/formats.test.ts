/**
 * Formats beyond the basics in columns.test.ts: sniffed delimiters and headers, JSON arrays,
 * gzipped JSON lines, and several inputs of different formats in one run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import type { Db } from '../../../src/core/duckdb.js';
import { quoteLiteral } from '../../../src/core/sql.js';
import { ingest } from '../../../src/stages/ingest/index.js';
import { fingerprint } from '../../../src/stages/ingest/files.js';
import { scanFile } from '../../../src/stages/ingest/scan.js';
import { makeConfig, useDbAndDir } from './helpers.js';

let db: Db;
let dir: string;
useDbAndDir('file', { db: (d) => (db = d), dir: (d) => (dir = d) });

const NOW = new Date('2024-06-01T00:00:00Z');
const TS = '2024-05-01T12:00:00Z';

async function file(name: string, content: string | Buffer): Promise<string> {
  const f = path.join(dir, name);
  await mkdir(path.dirname(f), { recursive: true });
  await writeFile(f, content);
  return f;
}
const rows = async () => db.all<{ user_id: string; event: string }>('SELECT user_id, event FROM events ORDER BY user_id');

describe('CSV dialects, sniffed', () => {
  it.each([
    ['semicolons', 'semi.csv', `user_id;event;timestamp\nu1;"a;b";${TS}\nu2;c;${TS}\n`],
    ['pipes in a .txt', 'pipes.txt', `user_id|event|timestamp\nu1|a;b|${TS}\nu2|c|${TS}\n`],
    ['tabs in a .csv', 'tabs.csv', `user_id\tevent\ttimestamp\nu1\ta;b\t${TS}\nu2\tc\t${TS}\n`],
    ['single quotes left alone, CRLF line ends', 'crlf.csv', `user_id,event,timestamp\r\nu1,a;b,${TS}\r\nu2,c,${TS}\r\n`],
  ])('%s', async (_label, name, content) => {
    const result = await ingest(db, makeConfig([await file(name, content)]), createContext(1), { now: NOW });
    expect(result.accounting[0]).toMatchObject({ read: 2, used: 2, rejected: 0 });
    expect(await rows()).toEqual([
      { user_id: 'u1', event: 'a;b' },
      { user_id: 'u2', event: 'c' },
    ]);
  });

  it('a file without a header: columns are column0, column1, … and can be named in the config', async () => {
    const f = await file('no-header.csv', `u1,open,${TS}\nu2,close,${TS}\n`);
    const config = makeConfig([f], { columns: { userId: 'column0', event: 'column1', timestamp: 'column2' } });
    const result = await ingest(db, config, createContext(1), { now: NOW });
    expect(result.accounting[0]).toMatchObject({ read: 2, used: 2 });
    expect(await rows()).toEqual([
      { user_id: 'u1', event: 'open' },
      { user_id: 'u2', event: 'close' },
    ]);
  });
});

describe('JSON', () => {
  it('a JSON array of objects (rows numbered by element)', async () => {
    const f = await file('array.json', JSON.stringify([
      { user_id: 'u1', event: 'open', timestamp: TS },
      { user_id: '', event: 'open', timestamp: TS },
      { user_id: 'u2', event: 'close', timestamp: TS },
    ], null, 2));
    const result = await ingest(db, makeConfig([f], { maxRejectRate: 1 }), createContext(1), { now: NOW });
    expect(result.rejects.map((r) => r.line)).toEqual([2]);
    expect(result.accounting[0]).toMatchObject({ read: 3, used: 2 });
  });

  it('gzipped JSON lines, and JSON lines in a .json file (as Amplitude names them)', async () => {
    const lines = `{"user_id":"u1","event":"open","timestamp":"${TS}"}\n{"user_id":"u2","event":"close","timestamp":"${TS}"}\n`;
    const a = await file('a.jsonl.gz', gzipSync(lines));
    const b = await file('b.json', lines.replace(/u1/, 'u3').replace(/u2/, 'u4'));
    const result = await ingest(db, makeConfig([a, b]), createContext(1), { now: NOW });
    expect(result.accounting[0]).toMatchObject({ files: [a, b], read: 4, used: 4 });
  });
});

describe('several inputs at once', () => {
  it('CSV, JSON lines and Parquet with different column names, each mapped on its own', async () => {
    const csv = await file('multi/a.csv', `user_id,event,timestamp\nu1,open,${TS}\n`);
    const jsonl = await file('multi/b.jsonl', `{"distinct_id":"u2","event_name":"close","time":1714564800}\n`);
    const parquet = path.join(dir, 'multi', 'c.parquet');
    await db.run(`COPY (SELECT 'u3' AS userId, 'save' AS eventName, TIMESTAMP '2024-05-01 12:00:00' AS eventTime) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    const result = await ingest(db, makeConfig([csv, path.join(dir, 'multi', '*.{jsonl,parquet}')]), createContext(1), { now: NOW });
    expect(result.accounting[0]).toMatchObject({ files: [csv, jsonl, parquet], read: 3, used: 3, rejected: 0 });
    expect(await rows()).toEqual([
      { user_id: 'u1', event: 'open' },
      { user_id: 'u2', event: 'close' },
      { user_id: 'u3', event: 'save' },
    ]);
  });
});

describe('Parquet with real timestamp types', () => {
  it('TIMESTAMP, TIMESTAMPTZ and DATE columns are read as they are; missing and implausible ones are rejected with their value', async () => {
    const ts = path.join(dir, 'native', 'ts.parquet');
    const tz = path.join(dir, 'native', 'tz.parquet');
    const day = path.join(dir, 'native', 'day.parquet');
    await mkdir(path.join(dir, 'native'), { recursive: true });
    await db.run(
      `COPY (SELECT * FROM (VALUES ('u1', 'open', TIMESTAMP '2024-05-01 12:00:00.123456'), ('u2', 'open', NULL), ('u3', 'open', TIMESTAMP '1970-01-01 00:00:00')) t(user_id, event, ts)) ` +
        `TO ${quoteLiteral(ts)} (FORMAT parquet)`,
    );
    await db.run(`COPY (SELECT 'u4' AS user_id, 'save' AS event, TIMESTAMPTZ '2024-05-01 14:00:00+02:00' AS ts) TO ${quoteLiteral(tz)} (FORMAT parquet)`);
    await db.run(`COPY (SELECT 'u5' AS user_id, 'close' AS event, DATE '2024-05-02' AS ts) TO ${quoteLiteral(day)} (FORMAT parquet)`);
    const config = makeConfig([ts, tz, day]);
    const result = await ingest(db, { ...config, output: { ...config.output, maxRejectRate: 1 } }, createContext(1), { now: NOW });
    expect(result.accounting[0]).toMatchObject({ read: 5, used: 3, rejected: 2 });
    const used = await db.all<{ user_id: string; t: string }>(`SELECT user_id, strftime(ts, '%Y-%m-%d %H:%M:%S.%f') AS t FROM events ORDER BY user_id`);
    expect(used).toEqual([
      { user_id: 'u1', t: '2024-05-01 12:00:00.123456' },
      { user_id: 'u4', t: '2024-05-01 12:00:00.000000' },
      { user_id: 'u5', t: '2024-05-02 00:00:00.000000' },
    ]);
    expect(result.rejects.map((r) => [r.line, r.value, r.reason.split(' (')[0]])).toEqual([
      [2, '', 'missing timestamp'],
      [3, '1970-01-01 00:00:00', 'implausible timestamp before 1990-01-01'],
    ]);
  });
});

describe('the file scan', () => {
  it('fingerprints the stored bytes and finds blank lines in the decompressed text', async () => {
    const text = 'user_id,event,timestamp\r\n\r\nu1,a,x\n\nu2,b,y';
    const gz = await file('scan.csv.gz', gzipSync(text));
    const scan = await scanFile(gz, 'csv');
    expect(scan.fingerprint).toEqual(await fingerprint(gz));
    expect(scan.fingerprint.bytes).toBe(gzipSync(text).length);
    expect(scan.text).toEqual({ lines: 5, blankLines: [2, 4], bom: false, hasQuote: false, firstChar: 'u', firstLine: 'user_id,event,timestamp', encoding: 'utf8', mixedLineEnds: true, longLines: 0 });
  });

  it('sees a BOM, quotes, whitespace-only lines (JSON) and a first line split across chunks', async () => {
    const long = `{"k":"${'v'.repeat(200_000)}"}`;
    const f = await file('scan.jsonl', `\ufeff${long}\n   \n{"q":"\\""}\n`);
    const scan = await scanFile(f, 'json');
    expect(scan.text).toEqual({ lines: 3, blankLines: [2], bom: true, hasQuote: true, firstChar: '{', firstLine: long, encoding: 'utf8', mixedLineEnds: false, longLines: 0 });
  });

  it('Parquet is fingerprinted but not scanned as text', async () => {
    const f = path.join(dir, 'scan.parquet');
    await db.run(`COPY (SELECT 1 AS x) TO ${quoteLiteral(f)} (FORMAT parquet)`);
    expect((await scanFile(f, 'binary')).text).toBeNull();
  });
});
